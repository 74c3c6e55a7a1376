// Similar impossible-travel alerts: the same user from the mystery session's network.
import type { OktaTravelAlert } from '../../alerts/types.js';
import { fact, networkOf, text, type Similarity } from '../similarity.js';

export function oktaSimilarity(alert: OktaTravelAlert, facts: Record<string, unknown>): Similarity | undefined {
  const which = fact(facts, 'mystery');
  if (which !== 'A' && which !== 'B') return undefined; // no mystery session: nothing to be similar to
  const session = fact(facts, which === 'A' ? 'session_a' : 'session_b');
  if (!session || typeof session !== 'object') return undefined;
  const s = session as Record<string, unknown>;
  const user = fact(facts, 'user');
  const u = user && typeof user === 'object' ? (user as Record<string, unknown>) : {};
  // The Okta user id is stable; a login only when the id is unknown (lower case: Okta logins are case-insensitive).
  const who = text(fact(u, 'id')) ?? text(fact(u, 'login'))?.toLowerCase() ?? alert.userId ?? alert.userLogin?.toLowerCase();
  if (!who) return undefined;
  // Never the AS organisation: one covers every customer of an ISP or a cloud (issue 23, finding 3).
  const ip = text(fact(s, 'ip'));
  const network = ip ? networkOf(ip) : undefined;
  return network ? { kind: 'user and network', parts: [who, network] } : undefined;
}
