// Similar e-mail alerts: the sender's scope with the indicators' domains, else the attachments' hashes, else their names.
import type { EmailAlert } from '../../alerts/types.js';
import { sortedSet, text, type Similarity } from '../similarity.js';
import type { EmailFacts } from './verdict-facts.js';
import { senderScope, urlScope } from './indicator-scope.js';

export function emailSimilarity(alert: EmailAlert, facts: EmailFacts | undefined): Similarity | undefined {
  const sender = text(facts?.sender) ?? alert.sender;
  // A free-mail sender is its full address; anyone else is their registrable domain (indicator-scope.ts).
  const scope = sender ? senderScope(sender) : undefined;
  if (!scope) return undefined; // without the sender, "similar" would be far too wide
  const who = scope.kind === 'address' ? 'sender address' : 'sender domain';
  if (alert.urls.length > 0) {
    const scopes = sortedSet(alert.urls.flatMap((u) => urlScope(u) ?? []));
    return scopes.length ? { kind: `${who} and indicator domains`, parts: [scope.value, ...scopes] } : undefined;
  }
  if (alert.hashes.length > 0) return { kind: `${who} and attachment hashes`, parts: [scope.value, ...sortedSet(alert.hashes.map((h) => h.toLowerCase()))] };
  if (alert.fileNames.length > 0) return { kind: `${who} and attachment names`, parts: [scope.value, ...sortedSet(alert.fileNames.map((n) => n.toLowerCase()))] };
  return undefined;
}
