// A binary trie over address bits: longest-prefix match in at most 32/128 steps, no allocation per lookup.
import { bitAt, parseCidr, parseIp, type Cidr, type IpFamily, type ParsedIp } from './ip.js';

class BitTrie<T> {
  // Flat arrays instead of node objects: compact and fast to walk.
  private zero: number[] = [0];
  private one: number[] = [0];
  private value: number[] = [-1];
  private values: T[] = [];

  insert(words: Uint32Array, bits: number, v: T): void {
    let node = 0;
    for (let i = 0; i < bits; i++) {
      const branch = bitAt(words, i) === 0 ? this.zero : this.one;
      let next = branch[node] ?? 0;
      if (next === 0) {
        next = this.zero.length;
        this.zero.push(0);
        this.one.push(0);
        this.value.push(-1);
        branch[node] = next;
      }
      node = next;
    }
    // The first entry for an exact prefix wins; later duplicates add nothing.
    if ((this.value[node] ?? -1) < 0) {
      this.value[node] = this.values.length;
      this.values.push(v);
    }
  }

  longest(words: Uint32Array, maxBits: number): T | undefined {
    let node = 0;
    let found = this.value[0] ?? -1;
    for (let i = 0; i < maxBits; i++) {
      node = ((words[i >>> 5]! >>> (31 - (i & 31))) & 1) === 0 ? this.zero[node]! : this.one[node]!;
      if (node === 0) break;
      const v = this.value[node]!;
      if (v >= 0) found = v;
    }
    return found >= 0 ? this.values[found] : undefined;
  }
}

/** A set of CIDR prefixes (IPv4 and IPv6) with a value per prefix; the longest matching prefix wins. */
export class PrefixTable<T> {
  private readonly tries: Record<IpFamily, BitTrie<T>> = { 4: new BitTrie<T>(), 6: new BitTrie<T>() };
  private count = 0;

  add(cidr: Cidr, v: T): void {
    this.tries[cidr.family].insert(cidr.words, cidr.bits, v);
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  lookup(ip: string): T | undefined {
    const parsed = parseIp(ip);
    return parsed ? this.lookupParsed(parsed) : undefined;
  }

  lookupParsed(ip: ParsedIp): T | undefined {
    return this.tries[ip.family].longest(ip.words, ip.family === 4 ? 32 : 128);
  }

  static fromCidrs(cidrs: string[]): PrefixTable<string> {
    const table = new PrefixTable<string>();
    for (const text of cidrs) {
      const cidr = parseCidr(text);
      if (!cidr) throw new Error(`not a CIDR: ${text.slice(0, 80)}`);
      table.add(cidr, cidr.text);
    }
    return table;
  }
}
