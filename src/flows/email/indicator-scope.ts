// How far "similar" reaches for indicators an attacker chooses (issue 23, finding 3). An attacker picks the
// sender and the link host of a phish; a key as wide as "gmail.com" or "google.com" would let one dismissal
// quiet every later phish sent from any free-mail account or hosted on any Google Doc.
import { getDomain } from 'tldts';
import { hostOf, normaliseUrl } from '../../enrich/url.js';

/**
 * Free-mail providers: anyone can open an address there, so a sender there is the full address. Maintained here;
 * add a provider when an analyst sees one used for phishing (domains as they appear after the @, lower case).
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com',
  'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'hotmail.co.uk', 'outlook.fr', 'hotmail.fr', 'live.fr',
  'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'yahoo.co.jp', 'ymail.com', 'rocketmail.com',
  'aol.com', 'icloud.com', 'me.com', 'mac.com',
  'proton.me', 'protonmail.com', 'pm.me', 'tutanota.com', 'tuta.io',
  'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'zoho.com', 'yandex.ru', 'yandex.com', 'mail.ru',
  'qq.com', '163.com', '126.com',
]);

/**
 * Hosts where the tenant is in the path, not the host name (Google's shared hosts, file and code hosts, link
 * shorteners): the indicator is the page — host and path, without query or fragment. An analyst who dismissed one
 * Google Doc or Site dismissed that page, not every Doc or Site.
 */
export const PATH_TENANT_HOSTS: ReadonlySet<string> = new Set([
  'docs.google.com', 'drive.google.com', 'sites.google.com', 'script.google.com', 'forms.gle', 'storage.googleapis.com',
  'github.com', 'raw.githubusercontent.com', 'gist.github.com', 'gitlab.com', 'bitbucket.org',
  'dropbox.com', 'www.dropbox.com', 'dl.dropboxusercontent.com', '1drv.ms', 'onedrive.live.com',
  's3.amazonaws.com', 'bit.ly', 't.co', 'tinyurl.com', 'goo.gl', 'ow.ly', 'is.gd', 'rebrand.ly', 'cutt.ly',
]);

/**
 * Domains where every subdomain is another customer but the public-suffix list does not say so (SharePoint and
 * OneDrive for Business tenants): the indicator is the full host.
 */
export const TENANT_SUBDOMAIN_DOMAINS: ReadonlySet<string> = new Set(['sharepoint.com', 'onmicrosoft.com', 'atlassian.net', 'zendesk.com', 'force.com', 'service-now.com']);

/** The sender as similarity reads it: the full address at a free-mail provider, else its registrable domain. */
export function senderScope(sender: string): { kind: 'address' | 'domain'; value: string } | undefined {
  const at = sender.lastIndexOf('@');
  if (at < 1) return undefined;
  const domainPart = sender.slice(at + 1).replace(/>$/, '').toLowerCase();
  const domain = getDomain(domainPart, { allowPrivateDomains: true });
  if (!domain) return undefined;
  if (FREE_MAIL_DOMAINS.has(domainPart) || FREE_MAIL_DOMAINS.has(domain)) return { kind: 'address', value: `${sender.slice(0, at).replace(/^</, '').toLowerCase()}@${domainPart}` };
  return { kind: 'domain', value: domain };
}

/**
 * A URL indicator as similarity reads it: the page on a path-tenant host, the full host on a tenant-subdomain
 * domain, else the registrable domain with the public-suffix list's private section (`evil.github.io`, not
 * `github.io`); an IP literal is its host.
 */
export function urlScope(url: string): string | undefined {
  const host = hostOf(url)?.toLowerCase();
  if (!host) return undefined;
  if (PATH_TENANT_HOSTS.has(host)) {
    // The path, without query or trailing slash (normaliseUrl drops the fragment and one trailing slash).
    const path = (normaliseUrl(url)?.rest ?? '').split('?')[0]!.replace(/\/+$/, '');
    return `${host}${path}`;
  }
  const domain = getDomain(host, { allowPrivateDomains: true });
  if (domain && TENANT_SUBDOMAIN_DOMAINS.has(domain)) return host;
  return domain ?? host;
}
