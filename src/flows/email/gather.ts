// Email flow, gather: one search per dataset and window, all in parallel.
import type { EmailAlert } from '../../alerts/types.js';
import type { DomainContact, EdrEvidence, IndicatorHit, ProxyEvidence, Searched, TimeWindow, UrlHit } from '../../evidence/ports.js';
import type { ProofpointClickEvidence, ProofpointClicksFound } from '../../evidence/proofpoint.js';
import { registrableDomain, urlSpellings } from '../../enrich/url.js';

const DAY = 24 * 3600_000;

export interface EmailEvidence {
  /** [T, investigation time]. */
  after: TimeWindow;
  /** [T − 30 d, T): the domains' prior popularity. */
  prior: TimeWindow;
  urls: Array<{ url: string; domain?: string }>;
  domains: string[];
  proxy?: Searched<UrlHit[]>;
  /** Proofpoint TAP clicks on the URLs after T (optional evidence, v3). */
  proofpoint?: ProofpointClicksFound;
  contacts?: Searched<DomainContact[]>;
  popularity?: Searched<Record<string, number>>;
  processes?: Searched<IndicatorHit[]>;
  files?: Searched<IndicatorHit[]>;
  rareThreshold: number;
}

export interface EmailPorts {
  proxy: ProxyEvidence;
  edr: EdrEvidence;
  proofpoint: ProofpointClickEvidence;
  rareDomainUserThreshold: number;
  now: () => Date;
}

export async function gatherEmail(alert: EmailAlert, ports: EmailPorts): Promise<EmailEvidence> {
  const t = alert.time.getTime();
  const after = { from: alert.time, to: new Date(Math.max(t, ports.now().getTime())) };
  // A range's upper bound is inclusive: stop a millisecond before T.
  const prior = { from: new Date(t - 30 * DAY), to: new Date(t - 1) };
  const urls = alert.urls.map((url) => {
    const domain = registrableDomain(url);
    return { url, ...(domain ? { domain } : {}) };
  });
  const domains = [...new Set(urls.flatMap((u) => (u.domain ? [u.domain] : [])))];
  const hasAttachments = alert.fileNames.length + alert.hashes.length > 0;
  const spellings = [...new Set(urls.flatMap((u) => urlSpellings(u.url)))];
  const [proxy, proofpoint, contacts, popularity, processes, files] = await Promise.all([
    urls.length ? ports.proxy.urlHits(spellings, after) : undefined,
    urls.length ? ports.proofpoint.clicks(spellings, after) : undefined,
    domains.length ? ports.edr.domainContacts(domains, after) : undefined,
    domains.length ? ports.edr.domainUsers(domains, prior) : undefined,
    hasAttachments ? ports.edr.processHits(alert.fileNames, alert.hashes, after) : undefined,
    hasAttachments ? ports.edr.fileHits(alert.fileNames, alert.hashes, after) : undefined,
  ]);
  return { after, prior, urls, domains, proxy, proofpoint, contacts, popularity, processes, files, rareThreshold: ports.rareDomainUserThreshold };
}
