// What makes two alerts of a flow "similar" (suppress-similar): a kind and the parts that must match. Each
// flow computes its own from the alert and its verdict's facts; src/suppress/key.ts hashes it into a key.
import { parseIp } from '../enrich/ip.js';

export type SimilarityKind =
  | 'instance'
  | 'role'
  | 'access key'
  | 'user and AS organisation'
  | 'user and network'
  | 'user'
  | 'sender domain and indicator domains'
  | 'sender domain and attachment hashes'
  | 'sender domain and attachment names'
  | 'sender address and indicator domains'
  | 'sender address and attachment hashes'
  | 'sender address and attachment names';

export interface Similarity {
  kind: SimilarityKind;
  /** Each part a value from the alert or evidence (shown as values). */
  parts: string[];
}

/** A value that says something: trimmed, and undefined when absent or blank. */
export const text = (v: string | null | undefined): string | undefined => (v !== null && v !== undefined && v.trim() !== '' ? v.trim() : undefined);
export const sortedSet = (values: string[]): string[] => [...new Set(values)].sort();

/** The network an address belongs to: its /24 (IPv4) or /48 (IPv6), in CIDR notation. */
export function networkOf(ip: string): string | undefined {
  const parsed = parseIp(ip);
  if (!parsed) return undefined;
  if (parsed.family === 4) {
    const w = parsed.words[0]! >>> 8;
    return `${w >>> 16}.${(w >>> 8) & 255}.${w & 255}.0/24`;
  }
  const groups = [parsed.words[0]! >>> 16, parsed.words[0]! & 0xffff, parsed.words[1]! >>> 16];
  return `${groups.map((g) => g.toString(16)).join(':')}::/48`;
}
