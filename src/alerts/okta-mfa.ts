// The MFA push fatigue flow's native Okta alerts (flows.md §4): a user.mfa.okta_verify.deny_push or a
// user.account.report_suspicious_activity_by_enduser event, bare (System Log API), in a Log Streaming EventBridge
// envelope (`detail`), in an Event Hook delivery (`data.events[]`), or as Elastic's Okta integration stores it.
// The user is the event's actor, T its published time.
import { ownValue, type JsonObject } from './json.js';
import { getPath, optionalText, optionalToken, requiredToken, timeValue } from './fields.js';
import { AlertParseError, type OktaMfaFatigueAlert } from './types.js';

// Okta's event types (its Event Types catalogue); the flow's own vocabulary (flows/mfa-fatigue/activity.ts) names them too.
const DENY_PUSH = 'user.mfa.okta_verify.deny_push';
const REPORT_SUSPICIOUS = 'user.account.report_suspicious_activity_by_enduser';

export const MFA_TRIGGER_EVENT_TYPES: readonly string[] = [DENY_PUSH, REPORT_SUSPICIOUS];

const TITLES: Record<string, string> = {
  [DENY_PUSH]: 'Okta Verify push denied by the user',
  [REPORT_SUSPICIOUS]: 'User reported suspicious Okta activity',
};

/** A System Log event (camelCase, as the API returns it) of a type that raises this flow. */
export function isMfaTriggerEvent(event: JsonObject): boolean {
  const type = ownValue(event, 'eventType');
  return typeof type === 'string' && MFA_TRIGGER_EVENT_TYPES.includes(type);
}

export function parseOktaMfaEvent(event: JsonObject, raw: JsonObject): OktaMfaFatigueAlert {
  const eventType = ownValue(event, 'eventType') as string;
  const userId = optionalToken(event, 'actor.id');
  const userLogin = optionalToken(event, 'actor.alternateId');
  if (!userId && !userLogin) throw new AlertParseError('actor.id', 'missing (the event names no user)');
  return {
    type: 'okta.mfa_fatigue',
    id: requiredToken(event, 'uuid'),
    time: timeValue(getPath(event, 'published'), 'published'),
    title: optionalText(event, 'displayMessage', 300) ?? TITLES[eventType],
    severity: optionalText(event, 'severity', 40),
    source: 'Okta System Log',
    userId,
    userLogin,
    trigger: `Okta event ${eventType}`,
    raw,
  };
}

/** The event type of an (expanded) ECS document of Elastic's Okta integration. */
function ecsEventType(doc: JsonObject): unknown {
  return getPath(doc, 'okta.event_type') ?? (getPath(doc, 'event.dataset') === 'okta.system' ? getPath(doc, 'event.action') : undefined);
}

export function isMfaTriggerEcsEvent(doc: JsonObject): boolean {
  const type = ecsEventType(doc);
  return typeof type === 'string' && MFA_TRIGGER_EVENT_TYPES.includes(type);
}

export function parseOktaMfaEcsEvent(doc: JsonObject, raw: JsonObject): OktaMfaFatigueAlert {
  const eventType = ecsEventType(doc) as string;
  const userId = optionalToken(doc, 'okta.actor.id');
  const userLogin = optionalToken(doc, 'okta.actor.alternate_id') ?? optionalToken(doc, 'user.email');
  if (!userId && !userLogin) throw new AlertParseError('okta.actor.id', 'missing (the event names no user)');
  return {
    type: 'okta.mfa_fatigue',
    id: requiredToken(doc, getPath(doc, 'okta.uuid') !== undefined ? 'okta.uuid' : 'event.id'),
    time: timeValue(getPath(doc, '@timestamp'), '@timestamp'),
    title: optionalText(doc, 'okta.display_message', 300) ?? optionalText(doc, 'message', 300) ?? TITLES[eventType],
    severity: optionalText(doc, 'okta.severity', 40),
    source: 'Okta System Log (Elastic)',
    userId,
    userLogin,
    trigger: `Okta event ${eventType}`,
    raw,
  };
}
