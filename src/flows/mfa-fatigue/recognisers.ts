// Which inputs the MFA push fatigue flow takes (flows.md §4): the canonical alert; a native Okta push denial or
// user report (user.mfa.okta_verify.deny_push, user.account.report_suspicious_activity_by_enduser) as Okta gives it
// and as Elastic's Okta integration stores it — by event type, whatever its behaviours say; and the Elastic
// Security alerts of the rules routed to it by id (by default Elastic's prebuilt push-bombing rule).
import type { OktaMfaFatigueAlert } from '../../alerts/types.js';
import { canonicalAlert, type AnyRecogniser } from '../../alerts/shapes.js';
import { isMfaTriggerEcsEvent, isMfaTriggerEvent, parseOktaMfaEcsEvent, parseOktaMfaEvent } from '../../alerts/okta-mfa.js';
import { parseKibanaMfaAlert } from '../../alerts/kibana.js';
import type { RuleRouting } from '../plugin.js';

/**
 * Elastic's prebuilt Okta push-bombing rule ("Potentially Successful Okta MFA Bombing via Push Notifications",
 * earlier "Potential Abuse of Repeated MFA Push Notifications"): recognised by id, its name changed between releases.
 */
export const ELASTIC_PUSH_BOMBING_RULE_ID = '97a8e584-fd3b-421f-9b9d-9c9d9e57e9d7';

export const MFA_FATIGUE_RECOGNISERS: ReadonlyArray<AnyRecogniser<OktaMfaFatigueAlert>> = [
  canonicalAlert('okta.mfa_fatigue'),
  { shape: 'okta-event', byType: true, recognise: ({ event, raw }) => (isMfaTriggerEvent(event) ? { alert: parseOktaMfaEvent(event, raw) } : undefined) },
  { shape: 'okta-ecs', byType: true, recognise: ({ doc, raw }) => (isMfaTriggerEcsEvent(doc) ? { alert: parseOktaMfaEcsEvent(doc, raw) } : undefined) },
];

export const MFA_FATIGUE_RULE_ROUTING: RuleRouting<OktaMfaFatigueAlert> = { defaultRuleIds: [ELASTIC_PUSH_BOMBING_RULE_ID], parse: parseKibanaMfaAlert };
