// Where a network or DNS event names what it reached, and the registrable domain of that name when the
// data carries it (Elastic's pipelines and `triage ingest` add it). Shared by both evidence
// implementations and by ingest, so they read a contact the same way.
import { isSameOrSubdomain } from '../enrich/url.js';
import { strings } from './documents.js';

export const DOMAIN_FIELDS = [
  { name: 'dns.question.name', registered: 'dns.question.registered_domain' },
  { name: 'destination.domain', registered: 'destination.registered_domain' },
  { name: 'url.domain', registered: 'url.registered_domain' },
] as const;

export const NAME_FIELDS: string[] = DOMAIN_FIELDS.map((f) => f.name);

/**
 * Did the event reach the registrable domain (or a subdomain)? Where it carries the name's registered
 * domain, that decides (an exact name too); only where it does not is the name compared by its labels.
 */
export function reachesDomain(doc: unknown, domain: string): boolean {
  const d = domain.toLowerCase();
  return DOMAIN_FIELDS.some((f) => {
    const names = strings(doc, f.name).map((n) => n.toLowerCase().replace(/\.$/, ''));
    const registered = strings(doc, f.registered).map((r) => r.toLowerCase());
    if (registered.includes(d) || names.includes(d)) return true;
    return registered.length === 0 && names.some((n) => isSameOrSubdomain(n, d));
  });
}

/** The names an event carries in any name field. */
export function reachedNames(doc: unknown): string[] {
  return NAME_FIELDS.flatMap((f) => strings(doc, f));
}
