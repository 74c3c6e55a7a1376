// Where the Okta API token may be sent: checked by the configuration and again by the API adapter.

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** https, or http to this machine only (tests and a local proxy): never an API token in clear over a network. */
export function oktaOrgUrlProblem(orgUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(orgUrl);
  } catch {
    return 'must be a URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname)) return undefined;
  return 'must start with https:// (http:// only for a loopback address)';
}
