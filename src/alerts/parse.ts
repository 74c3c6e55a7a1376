// Entry point: any supported alert input → normalized Alerts. One alert per shape (recogniseAlert);
// documents that carry several (a list, `aws guardduty get-findings` output, an Okta Event Hook
// delivery, Cyren's incident list) → one Alert each (recogniseAlerts).
import { decodeJson, expandDots, isObject, KeyBudget, ownValue, type JsonObject } from './json.js';
import { within } from './fields.js';
import { isCanonical, parseCanonical } from './canonical.js';
import { findingType, guardDutyFinding, isHandledFindingType, parseGuardDuty } from './guardduty.js';
import { guardDutyEcsType, isGuardDutyEcs, parseGuardDutyEcs } from './guardduty-ecs.js';
import { isOktaEcsEvent, isVelocityEcsEvent, isVelocityEvent, oktaLogEvent, parseOktaEcsEvent, parseOktaEvent } from './okta.js';
import { isCyren, parseCyren } from './cyren.js';
import { isMfaTriggerEcsEvent, isMfaTriggerEvent, parseOktaMfaEcsEvent, parseOktaMfaEvent } from './okta-mfa.js';
import { isKibanaAlert, kibanaAlertFlow, kibanaRuleId, parseKibanaMfaAlert } from './kibana.js';
import { AlertParseError, type Alert } from './types.js';

export type ParseOutcome = { kind: 'alert'; alert: Alert } | { kind: 'not-an-alert'; reason: string };

/** A part of a document that was not an alert, and why (for the CLI's notes; Slack ignores them). */
export interface SkippedPart {
  at: string;
  reason: string;
}

export type AlertsOutcome = { kind: 'alerts'; alerts: Alert[]; skipped: SkippedPart[] } | { kind: 'not-an-alert'; reason: string };

/** One document yields at most this many investigations; more refuse the document. */
export const MAX_ALERTS_PER_DOCUMENT = 100;

const EXPECTED =
  'expected the canonical alert JSON, an AWS GuardDuty finding (camelCase, EventBridge, get-findings/boto3 or Elastic-stored), ' +
  'an Okta System Log event (bare, EventBridge or Event Hook), an Elastic Security alert of a mapped detection rule, ' +
  'a Cyren Inbox Security incident, or a list of them';

const notAnAlert = (reason: string): ParseOutcome => ({ kind: 'not-an-alert', reason });

/** A document that carries several alerts: where its list is, and what it is called in messages. */
interface Container {
  path: string;
  items: unknown[];
  what: string;
}

function containerOf(value: unknown): Container | undefined {
  if (Array.isArray(value)) return { path: '', items: value, what: 'list' };
  if (!isObject(value)) return undefined;
  // `aws guardduty get-findings` and boto3 print {"Findings": [...]}; the REST API answers {"findings": [...]}.
  for (const key of ['Findings', 'findings']) {
    const list = ownValue(value, key);
    if (Array.isArray(list)) return { path: key, items: list, what: 'GuardDuty findings' };
  }
  const data = ownValue(value, 'data');
  // Cyren's API: {"data": [incident, …]}.
  if (Array.isArray(data)) return { path: 'data', items: data, what: 'Cyren incidents' };
  // An Okta Event Hook delivery: {"eventType": "com.okta.event_hook", "data": {"events": [...]}}.
  const events = isObject(data) ? ownValue(data, 'events') : undefined;
  if (Array.isArray(events)) return { path: 'data.events', items: events, what: 'Okta Event Hook delivery' };
  return undefined;
}

/**
 * Recognises a decoded value as one of the supported single-alert shapes. Throws AlertParseError when it is
 * one but malformed. `budget` bounds the keys dotted-key expansion may create (shared across a document).
 */
export function recogniseAlert(value: unknown, budget: KeyBudget = new KeyBudget()): ParseOutcome {
  if (!isObject(value)) return notAnAlert(Array.isArray(value) ? 'a list of alerts, not one alert' : 'not a JSON object');
  if (isCanonical(value)) return { kind: 'alert', alert: parseCanonical(value) };
  const finding = guardDutyFinding(value);
  if (finding) {
    const type = findingType(finding);
    if (!isHandledFindingType(type)) return notAnAlert(`GuardDuty finding type ${type.slice(0, 100) || '(none)'} is not handled`);
    return { kind: 'alert', alert: within(finding.prefix, () => parseGuardDuty(finding, value)) };
  }
  const okta = oktaLogEvent(value);
  if (okta) {
    // A push denial or a user's report raises the MFA fatigue flow (flows.md §4), whatever its behaviors say.
    if (isMfaTriggerEvent(okta.event)) return { kind: 'alert', alert: within(okta.prefix, () => parseOktaMfaEvent(okta.event, value)) };
    const velocity = within(okta.prefix, () => isVelocityEvent(okta.event));
    if (!velocity) return notAnAlert('Okta event without Velocity=POSITIVE');
    return { kind: 'alert', alert: within(okta.prefix, () => parseOktaEvent(okta.event, value)) };
  }
  if (isCyren(value)) return { kind: 'alert', alert: parseCyren(value) };
  const box = containerOf(value);
  if (box) return notAnAlert(`a document with several alerts (${box.what})`);
  // Dotted keys are expanded here only, once per parse, within the key budget.
  const expanded = expandDots(value, budget) as JsonObject;
  // An Elastic Security alert carries its source event's fields too: its rule decides, before any source shape.
  if (isKibanaAlert(expanded)) {
    const routed = kibanaAlertFlow(expanded);
    if (routed?.flow === 'okta_mfa_fatigue') return { kind: 'alert', alert: parseKibanaMfaAlert(expanded, value, routed.ruleId) };
    const ruleId = kibanaRuleId(expanded);
    return notAnAlert(ruleId ? `Elastic Security alert of rule ${ruleId} (no flow is mapped to it: DETECTION_RULE_FLOWS)` : 'Elastic Security alert without a rule id');
  }
  if (isGuardDutyEcs(expanded)) {
    const type = guardDutyEcsType(expanded);
    if (!isHandledFindingType(type)) return notAnAlert(`GuardDuty finding type ${type.slice(0, 100) || '(none)'} is not handled`);
    return { kind: 'alert', alert: parseGuardDutyEcs(expanded, value) };
  }
  if (isMfaTriggerEcsEvent(expanded)) return { kind: 'alert', alert: parseOktaMfaEcsEvent(expanded, value) };
  if (isOktaEcsEvent(expanded)) {
    if (!isVelocityEcsEvent(expanded)) return notAnAlert('Okta event without Velocity=POSITIVE');
    return { kind: 'alert', alert: parseOktaEcsEvent(expanded, value) };
  }
  if (typeof ownValue(value, 'type') === 'string' && Object.hasOwn(value, 'id')) {
    throw new AlertParseError('type', 'unknown alert type', 'expected aws.instance_credential_exfiltration, okta.superhuman, email.malicious or okta.mfa_fatigue');
  }
  return notAnAlert(`no supported alert shape recognised (${EXPECTED})`);
}

/** One item of a document, read as if it came alone (its own key budget); its problems name the item. */
function recogniseItem(item: unknown, at: string): ParseOutcome {
  try {
    return within(`${at}.`, () => recogniseAlert(item, new KeyBudget()));
  } catch (err) {
    if (err instanceof AlertParseError && err.field === '(input)') throw new AlertParseError(at, err.reason, err.hint);
    throw err;
  }
}

/**
 * Every alert a decoded document carries: one for a single alert, one per item of a list, of
 * `Findings`, of an Event Hook's `data.events` or of Cyren's `data`. Items that are not alerts
 * (other finding types, events without Velocity) are skipped; a malformed item refuses the document,
 * naming the item. More than MAX_ALERTS_PER_DOCUMENT alerts refuse it too. Each item is read as if
 * it came alone; the document as a whole is bounded by the input's size and depth caps.
 */
export function recogniseAlerts(value: unknown): AlertsOutcome {
  const box = containerOf(value);
  if (!box) {
    const one = recogniseAlert(value);
    return one.kind === 'alert' ? { kind: 'alerts', alerts: [one.alert], skipped: [] } : one;
  }
  const alerts: Alert[] = [];
  const skipped: SkippedPart[] = [];
  const bodies = new Map<string, string>();
  box.items.forEach((item, i) => {
    const at = `${box.path}[${i}]`;
    const one = recogniseItem(item, at);
    if (one.kind !== 'alert') return void skipped.push({ at, reason: one.reason });
    const body = JSON.stringify(one.alert.raw);
    const earlier = bodies.get(one.alert.id);
    if (earlier === body) return void skipped.push({ at, reason: `repeats alert ${one.alert.id}` });
    if (earlier !== undefined) throw new AlertParseError(at, `repeats the id ${one.alert.id.slice(0, 100)} of an earlier alert with a different body`);
    bodies.set(one.alert.id, body);
    alerts.push(one.alert);
    if (alerts.length > MAX_ALERTS_PER_DOCUMENT) throw new AlertParseError(box.path || '(input)', `more than ${MAX_ALERTS_PER_DOCUMENT} alerts in one document`);
  });
  if (alerts.length === 0) {
    const first = skipped[0];
    return { kind: 'not-an-alert', reason: `no alert among ${box.items.length} item(s) of ${box.what}${first ? ` (${first.at}: ${first.reason})` : ''}` };
  }
  return { kind: 'alerts', alerts, skipped };
}

export function parseAlertText(text: string): ParseOutcome {
  return recogniseAlert(decodeJson(text));
}

export function parseAlertsText(text: string): AlertsOutcome {
  return recogniseAlerts(decodeJson(text));
}

/** For callers that need exactly one alert (a stored alert body): anything else is an error. */
export function parseAlertStrict(text: string): Alert {
  const outcome = parseAlertText(text);
  if (outcome.kind === 'not-an-alert') throw new AlertParseError('(input)', `not a supported alert: ${outcome.reason}`);
  return outcome.alert;
}

/** For callers that need alerts (the CLI): a document without any is an error. */
export function parseAlertsStrict(text: string): { alerts: Alert[]; skipped: SkippedPart[] } {
  const outcome = parseAlertsText(text);
  if (outcome.kind === 'not-an-alert') throw new AlertParseError('(input)', `not a supported alert: ${outcome.reason}`);
  return outcome;
}

export { AlertParseError } from './types.js';
export type { Alert } from './types.js';
