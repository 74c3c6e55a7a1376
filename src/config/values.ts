// Value rules of the configuration that need more than a pattern (kept beside config.ts, same layer).

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** https, or http to this machine only (tests and a local proxy): never an API token in clear over a network. */
export function oktaOrgUrlProblem(orgUrl: string): string | undefined {
  const url = URL.canParse(orgUrl) ? new URL(orgUrl) : undefined;
  if (!url) return 'must be a URL';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname))) return undefined;
  return 'must start with https:// (http:// only for a loopback address)';
}

/** Kibana's base URL for evidence links: https (http only to this machine), no credentials, no query or fragment. */
export function kibanaUrlProblem(kibanaUrl: string): string | undefined {
  const url = URL.canParse(kibanaUrl) ? new URL(kibanaUrl) : undefined;
  if (!url) return 'must be a URL';
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname)))) return 'must start with https:// (http:// only for a loopback address)';
  if (url.username || url.password) return 'must not carry a user name or password (links are shown to people)';
  // The links are built on the value as written: `?` or `#` alone (empty search/hash) and white space the parser drops would break them.
  if (url.search || url.hash || /[?#]/.test(kibanaUrl)) return 'must be the base URL, without a query or fragment';
  if (/[\s\u0000-\u001f\u007f]/.test(kibanaUrl)) return 'must not contain white space or control characters';
  return undefined;
}

/** An IPv4 or IPv6 address with an optional prefix length, by syntax only. */
export function isCidrSyntax(s: string): boolean {
  const [addr, bits, extra] = s.split('/');
  if (extra !== undefined || addr === undefined) return false;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  const max = v4 ? 32 : addr.includes(':') ? 128 : -1;
  if (max < 0) return false;
  if (v4 && v4.slice(1).some((o) => Number(o) > 255)) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}
