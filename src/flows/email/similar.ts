// Similar e-mail alerts: the sender's domain with the indicators' domains, else the attachments' hashes, else their names.
import type { EmailAlert } from '../../alerts/types.js';
import { hostOf, registrableDomain } from '../../enrich/url.js';
import { fact, sortedSet, text, type Similarity } from '../similarity.js';

export function emailSimilarity(alert: EmailAlert, facts: Record<string, unknown>): Similarity | undefined {
  const sender = text(fact(facts, 'sender')) ?? alert.sender;
  const at = sender?.lastIndexOf('@') ?? -1;
  const senderDomain = sender && at >= 0 ? registrableDomain(sender.slice(at + 1).replace(/>$/, '')) : undefined;
  if (!senderDomain) return undefined; // without the sender's domain, "similar" would be far too wide
  if (alert.urls.length > 0) {
    // Each URL's registrable domain, else its host (an IP literal has no registrable domain).
    const domains = sortedSet(alert.urls.flatMap((u) => {
      const d = registrableDomain(u) ?? hostOf(u)?.toLowerCase();
      return d ? [d] : [];
    }));
    return domains.length ? { kind: 'sender domain and indicator domains', parts: [senderDomain, ...domains] } : undefined;
  }
  if (alert.hashes.length > 0) return { kind: 'sender domain and attachment hashes', parts: [senderDomain, ...sortedSet(alert.hashes.map((h) => h.toLowerCase()))] };
  if (alert.fileNames.length > 0) return { kind: 'sender domain and attachment names', parts: [senderDomain, ...sortedSet(alert.fileNames.map((n) => n.toLowerCase()))] };
  return undefined;
}
