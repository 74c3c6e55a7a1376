// IP address parsing to fixed-width bit strings, shared by the CIDR sets and the AWS ranges trie.

export type IpFamily = 4 | 6;
/** An address as 32-bit words, most significant first: one word for IPv4, four for IPv6. */
export interface ParsedIp {
  family: IpFamily;
  words: Uint32Array;
}

function parseV4Words(s: string): number | undefined {
  // Hand-rolled: this runs for every address of every investigation and benchmark.
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else if (c === 46 && digits > 0 && dots < 3) {
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return (n * 256 + octet) >>> 0;
}

function parseV6(s: string): Uint32Array | undefined {
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const v4 = parseV4Words(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    // Keep a "::" that ends right before the IPv4 part; drop a single separating colon.
    s = s[lastColon - 1] === ':' ? s.slice(0, lastColon + 1) : s.slice(0, lastColon);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = toGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? toGroups(halves[1] ?? '') : [];
  const groups: number[] = [];
  for (const g of [...head, ...rest]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
  }
  const explicit = head.length + rest.length + tail.length;
  if (halves.length === 1 && explicit !== 8) return undefined;
  if (halves.length === 2 && explicit > 7) return undefined;
  groups.push(...head.map((g) => parseInt(g, 16)));
  if (halves.length === 2) for (let i = explicit; i < 8; i++) groups.push(0);
  groups.push(...rest.map((g) => parseInt(g, 16)), ...tail);
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++) words[i] = (((groups[2 * i] ?? 0) << 16) | (groups[2 * i + 1] ?? 0)) >>> 0;
  return words;
}

/** Parses an IPv4 or IPv6 address; IPv4-mapped IPv6 (::ffff:a.b.c.d) is read as IPv4. */
export function parseIp(text: string): ParsedIp | undefined {
  const s = text.trim();
  if (s.length === 0 || s.length > 64) return undefined;
  if (!s.includes(':')) {
    const v4 = parseV4Words(s);
    return v4 === undefined ? undefined : { family: 4, words: Uint32Array.of(v4) };
  }
  const words = parseV6(s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s);
  if (!words) return undefined;
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return { family: 4, words: Uint32Array.of(words[3] ?? 0) };
  return { family: 6, words };
}

export function isIp(text: string): boolean {
  return parseIp(text) !== undefined;
}

/** Bit i (0 = most significant) of an address. */
export function bitAt(words: Uint32Array, i: number): number {
  return ((words[i >>> 5] ?? 0) >>> (31 - (i & 31))) & 1;
}

export interface Cidr {
  text: string;
  family: IpFamily;
  words: Uint32Array;
  bits: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr, bitsText, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return undefined;
  return { text: text.trim(), family: ip.family, words: ip.words, bits };
}

/** Equality of addresses, not of spellings (2001:db8::1 = 2001:DB8:0::1). */
export function sameIp(a: string, b: string): boolean {
  const pa = parseIp(a);
  const pb = parseIp(b);
  if (!pa || !pb) return a === b;
  return pa.family === pb.family && pa.words.every((w, i) => w === pb.words[i]);
}

/**
 * The spellings an index may hold an address under: as given, and canonical (RFC 5952: lower case, zeros
 * compressed, as Okta and Elastic write IPv6). A keyword field matches only its exact spelling.
 */
export function ipSpellings(text: string): string[] {
  const s = text.trim();
  if (!s.includes(':') || !isIp(s)) return [s];
  try {
    const canonical = new URL(`http://[${s.replace(/^\[|\]$/g, '')}]/`).hostname.slice(1, -1);
    return canonical === s ? [s] : [s, canonical];
  } catch {
    return [s];
  }
}
