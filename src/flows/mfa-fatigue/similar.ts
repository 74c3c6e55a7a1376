// Similar MFA push fatigue alerts: the user alone (Okta id, else the login lower-cased: Okta logins are
// case-insensitive). Never the requesting IP's AS organisation: the attacker chooses where the pushes come from.
import type { OktaMfaFatigueAlert } from '../../alerts/types.js';
import { text, type Similarity } from '../similarity.js';
import type { MfaFatigueFacts } from './verdict-facts.js';

export function mfaFatigueSimilarity(alert: OktaMfaFatigueAlert, facts: MfaFatigueFacts | undefined): Similarity | undefined {
  const who = text(facts?.user.id) ?? text(facts?.user.login)?.toLowerCase() ?? alert.userId ?? alert.userLogin?.toLowerCase();
  return who ? { kind: 'user', parts: [who] } : undefined;
}
