// Entry point: any supported alert input → one normalized Alert.
import { decodeJson, expandDots, isObject, MAX_EXPANDED_KEYS, ownValue, type JsonObject } from './json.js';
import { isCanonical, parseCanonical } from './canonical.js';
import { guardDutyFinding, parseGuardDuty } from './guardduty.js';
import { isOktaEcsEvent, isOktaEvent, isVelocityEcsEvent, isVelocityEvent, parseOktaEcsEvent, parseOktaEvent } from './okta.js';
import { isCyren, parseCyren } from './cyren.js';
import { AlertParseError, type Alert } from './types.js';

export type ParseOutcome = { kind: 'alert'; alert: Alert } | { kind: 'not-an-alert'; reason: string };

/** Recognises a decoded value as one of the supported alert shapes. Throws AlertParseError when it is one but malformed. */
export function recogniseAlert(value: unknown): ParseOutcome {
  if (!isObject(value)) return { kind: 'not-an-alert', reason: 'not a JSON object' };
  if (isCanonical(value)) return { kind: 'alert', alert: parseCanonical(value) };
  const finding = guardDutyFinding(value);
  if (finding) {
    const found = ownValue(finding, 'type');
    const type = typeof found === 'string' ? found : '';
    if (!type.includes('InstanceCredentialExfiltration')) return { kind: 'not-an-alert', reason: `GuardDuty finding type ${type.slice(0, 100)} is not handled` };
    return { kind: 'alert', alert: parseGuardDuty(finding, value) };
  }
  if (isOktaEvent(value)) {
    if (!isVelocityEvent(value)) return { kind: 'not-an-alert', reason: 'Okta event without Velocity=POSITIVE' };
    return { kind: 'alert', alert: parseOktaEvent(value) };
  }
  // Dotted keys are expanded here only, once per parse, within a key budget.
  const expanded = expandDots(value, MAX_EXPANDED_KEYS) as JsonObject;
  if (isOktaEcsEvent(expanded)) {
    if (!isVelocityEcsEvent(expanded)) return { kind: 'not-an-alert', reason: 'Okta event without Velocity=POSITIVE' };
    return { kind: 'alert', alert: parseOktaEcsEvent(expanded, value) };
  }
  if (isCyren(value)) return { kind: 'alert', alert: parseCyren(value) };
  if (typeof ownValue(value, 'type') === 'string' && Object.hasOwn(value, 'id')) {
    throw new AlertParseError('type', `unknown alert type (expected aws.instance_credential_exfiltration, okta.superhuman or email.malicious)`);
  }
  return { kind: 'not-an-alert', reason: 'no supported alert shape recognised' };
}

export function parseAlertText(text: string): ParseOutcome {
  return recogniseAlert(decodeJson(text));
}

/** For callers that need an alert (the CLI): anything else is an error. */
export function parseAlertStrict(text: string): Alert {
  const outcome = parseAlertText(text);
  if (outcome.kind === 'not-an-alert') throw new AlertParseError('(input)', `not a supported alert: ${outcome.reason}`);
  return outcome.alert;
}

export { AlertParseError } from './types.js';
export type { Alert } from './types.js';
