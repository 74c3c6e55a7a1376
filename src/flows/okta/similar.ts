// Similar impossible-travel alerts: the same user from the network of the session in question.
import type { OktaTravelAlert } from '../../alerts/types.js';
import { networkOf, text, type Similarity } from '../similarity.js';
import type { OktaFacts } from './verdict-facts.js';

export function oktaSimilarity(alert: OktaTravelAlert, facts: OktaFacts | undefined): Similarity | undefined {
  if (!facts || facts.mystery === null) return undefined; // no session in question (or no facts): nothing to be similar to
  const session = facts.mystery === 'A' ? facts.session_a : facts.session_b;
  if (!session) return undefined;
  // The Okta user id is stable; a login only when the id is unknown (lower case: Okta logins are case-insensitive).
  const who = text(facts.user.id) ?? text(facts.user.login)?.toLowerCase() ?? alert.userId ?? alert.userLogin?.toLowerCase();
  if (!who) return undefined;
  // Never the AS organisation: one covers every customer of an ISP or a cloud (issue 23, finding 3).
  const ip = text(session.ip);
  const network = ip ? networkOf(ip) : undefined;
  return network ? { kind: 'user and network', parts: [who, network] } : undefined;
}
