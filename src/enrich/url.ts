// URL normalisation for indicator matching, and registrable domains (public-suffix aware, ICANN section).
import { getDomain, getHostname } from 'tldts';

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

export interface NormalisedUrl {
  /** Lower-cased scheme, or undefined when the URL was written without one (as some proxies log it). */
  scheme?: string;
  /** Lower-cased host with a non-default port. */
  authority: string;
  /** Path without a trailing slash ("" for the root), query kept, fragment dropped. */
  rest: string;
}

export function normaliseUrl(url: string): NormalisedUrl | undefined {
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/?#\s]+)([^#\s]*)/i.exec(url.trim());
  if (!m) return undefined;
  const scheme = m[1]?.toLowerCase();
  let authority = (m[2] ?? '').toLowerCase();
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  const port = /:(\d+)$/.exec(authority);
  if (port && scheme && DEFAULT_PORTS[scheme] === port[1]) authority = authority.slice(0, -port[0].length);
  if (authority.endsWith('.')) authority = authority.slice(0, -1);
  let rest = m[3] ?? '';
  const q = rest.indexOf('?');
  let path = q >= 0 ? rest.slice(0, q) : rest;
  const query = q >= 0 ? rest.slice(q) : '';
  if (path.endsWith('/')) path = path.slice(0, -1);
  rest = path + query;
  return { ...(scheme ? { scheme } : {}), authority, rest };
}

/** Equal as flows.md defines it: scheme and host case-insensitive, default port and trailing path slash ignored. */
export function sameUrl(indicator: string, logged: string): boolean {
  const a = normaliseUrl(indicator);
  const b = normaliseUrl(logged);
  if (!a || !b) return false;
  if (a.scheme && b.scheme && a.scheme !== b.scheme) return false;
  return a.authority === b.authority && a.rest === b.rest;
}

/**
 * Spellings under which a proxy may have logged the URL; searched case-insensitively, then
 * confirmed with sameUrl (which keeps the path case-sensitive).
 */
export function urlSpellings(url: string): string[] {
  const n = normaliseUrl(url);
  if (!n) return [url];
  const schemes = n.scheme ? [n.scheme] : ['http', 'https'];
  const q = n.rest.indexOf('?');
  const path = q >= 0 ? n.rest.slice(0, q) : n.rest;
  const query = q >= 0 ? n.rest.slice(q) : '';
  const rests = [path + query, `${path}/${query}`];
  const out = new Set<string>([url]);
  for (const scheme of schemes) {
    const port = DEFAULT_PORTS[scheme];
    for (const authority of [n.authority, ...(port && !/:\d+$/.test(n.authority) ? [`${n.authority}:${port}`] : [])]) {
      for (const rest of rests) out.add(`${scheme}://${authority}${rest}`);
    }
  }
  for (const rest of rests) out.add(`${n.authority}${rest}`);
  return [...out];
}

/**
 * A logged URL as a proxy search compares it: scheme and host lower-cased (a root dot dropped), the rest as
 * written. Two spellings fold alike when they differ only where flows.md ignores case.
 */
export function foldSchemeAndHost(url: string): string {
  const m = /^((?:[a-z][a-z0-9+.-]*:\/\/)?)([^/?#]*)([\s\S]*)$/i.exec(url);
  if (!m) return url;
  const authority = m[2]!.toLowerCase().replace(/\.(?=:\d+$|$)/, '');
  return `${m[1]!.toLowerCase()}${authority}${m[3]!}`;
}

export function hostOf(url: string): string | undefined {
  const n = normaliseUrl(url);
  if (!n) return undefined;
  return getHostname(`http://${n.authority}`) ?? undefined;
}

/** login.evil.co.uk → evil.co.uk; undefined for IP literals and hosts without a public suffix. */
export function registrableDomain(hostOrUrl: string): string | undefined {
  const host = hostOrUrl.includes('/') || hostOrUrl.includes(':') ? hostOf(hostOrUrl) : hostOrUrl.toLowerCase();
  if (!host) return undefined;
  return getDomain(host, { allowPrivateDomains: false }) ?? undefined;
}

/** True when `name` is `domain` or one of its subdomains (label boundary: xevil.co.uk is not evil.co.uk's). */
export function isSameOrSubdomain(name: string, domain: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase();
  return n === d || n.endsWith(`.${d}`);
}
