// Similar MFA push fatigue alerts: the user alone (Okta id, else the login lower-cased: Okta logins are
// case-insensitive). Never the requesting IP's AS organisation: the attacker chooses where the pushes come from.
import type { OktaMfaFatigueAlert } from '../../alerts/types.js';
import { fact, text, type Similarity } from '../similarity.js';

export function mfaFatigueSimilarity(alert: OktaMfaFatigueAlert, facts: Record<string, unknown>): Similarity | undefined {
  const user = fact(facts, 'user');
  const u = user && typeof user === 'object' ? (user as Record<string, unknown>) : {};
  const who = text(fact(u, 'id')) ?? text(fact(u, 'login'))?.toLowerCase() ?? alert.userId ?? alert.userLogin?.toLowerCase();
  return who ? { kind: 'user', parts: [who] } : undefined;
}
