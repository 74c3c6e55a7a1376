// Entry point: any supported alert input → normalised Alerts, each claimed by the flow whose plug-in recognises
// it. One alert per shape (recogniseAlert); documents that carry several (a list, `aws guardduty get-findings`
// output, an Okta Event Hook delivery, Cyren's incident list) → one Alert each (recogniseAlerts). The shapes are
// read by src/alerts/shapes.ts; which flow takes an input of a shape is each plug-in's `recognisers`, and an
// Elastic Security alert goes where its rule id is routed (rule-routes.ts).
import { decodeJson, expandDots, isObject, KeyBudget, ownValue, type JsonObject } from '../alerts/json.js';
import { within } from '../alerts/fields.js';
import { isKibanaAlert, mentionsKibana } from '../alerts/kibana.js';
import { ECS_SHAPES, RAW_SHAPES, type AnyRecogniser, type Recognised, type ShapeMatch, type ShapeName } from '../alerts/shapes.js';
import { containerOf, MAX_ALERTS_PER_DOCUMENT, notAnAlert, type AlertsOutcome, type ParseOutcome, type SkippedPart } from '../alerts/documents.js';
import { ALERT_TYPES, AlertParseError, type Alert } from '../alerts/types.js';
import { storedAlertOf, type StoredAlert } from '../alerts/stored.js';
import { FLOW_PLUGINS } from './registry.js';
import { recogniseRuleAlert } from './rule-routes.js';

export { MAX_ALERTS_PER_DOCUMENT, type AlertsOutcome, type ParseOutcome, type SkippedPart } from '../alerts/documents.js';
export { AlertParseError, type Alert } from '../alerts/types.js';

const EXPECTED =
  'expected the canonical alert JSON, an AWS GuardDuty finding (camelCase, EventBridge, get-findings/boto3 or Elastic-stored), ' +
  'an Okta System Log event (bare, EventBridge or Event Hook), an Elastic Security alert of a mapped detection rule, ' +
  'a Cyren Inbox Security incident, or a list of them';

const ALERT_TYPE_LIST = `${ALERT_TYPES.slice(0, -1).join(', ')} or ${ALERT_TYPES.at(-1)}`;

/** Every flow's recognisers by shape: those claiming by type name first, then in the registry's order. */
const RECOGNISERS: ReadonlyMap<ShapeName, ReadonlyArray<AnyRecogniser<Alert>>> = (() => {
  const all = FLOW_PLUGINS.flatMap((p): ReadonlyArray<AnyRecogniser<Alert>> => p.recognisers);
  const byShape = new Map<ShapeName, AnyRecogniser<Alert>[]>();
  for (const r of [...all.filter((r) => r.byType), ...all.filter((r) => !r.byType)]) byShape.set(r.shape, [...(byShape.get(r.shape) ?? []), r]);
  return byShape;
})();

/**
 * One recogniser's answer for an input of its shape. The cast is where TypeScript cannot correlate a recogniser's
 * shape with the match's input: the check on `shape` is what makes it true.
 */
function ask(recogniser: AnyRecogniser<Alert>, match: ShapeMatch): Recognised<Alert> {
  if (recogniser.shape !== match.shape) return undefined;
  return (recogniser.recognise as (input: ShapeMatch['input']) => Recognised<Alert>)(match.input);
}

/** The first flow's claim on an input of this shape; else the first reason a flow gave not to take it; else nothing. */
function claimOf(match: ShapeMatch): ParseOutcome | undefined {
  let decline: string | undefined;
  for (const recogniser of RECOGNISERS.get(match.shape) ?? []) {
    const answer = within(match.prefix, () => ask(recogniser, match));
    if (answer === undefined) continue;
    if ('alert' in answer) return { kind: 'alert', alert: answer.alert };
    decline ??= answer.decline;
  }
  return decline === undefined ? undefined : notAnAlert(decline);
}

/** The first claim on the input seen as each shape in turn (a shape no flow answers for gives way to the next). */
function firstClaim<D>(shapes: ReadonlyArray<D>, seeAs: (shape: D) => ShapeMatch | undefined): ParseOutcome | undefined {
  for (const shape of shapes) {
    const match = seeAs(shape);
    const claim = match && claimOf(match);
    if (claim) return claim;
  }
  return undefined;
}

/**
 * Recognises a decoded value as one of the supported single-alert shapes. Throws AlertParseError when it is
 * one but malformed. `budget` bounds the keys dotted-key expansion may create (shared across a document).
 */
export function recogniseAlert(value: unknown, budget: KeyBudget = new KeyBudget()): ParseOutcome {
  if (!isObject(value)) return notAnAlert(Array.isArray(value) ? 'a list of alerts, not one alert' : 'not a JSON object');
  // Dotted keys are expanded once per parse, within the key budget.
  const kibana = mentionsKibana(value) ? (expandDots(value, budget) as JsonObject) : undefined;
  // An Elastic Security alert carries its source event's fields too (a bare Okta event, a canonical alert): its
  // rule decides, before any shape it copies.
  if (kibana && isKibanaAlert(kibana)) return recogniseRuleAlert(kibana, value);
  const raw = firstClaim(RAW_SHAPES, (shape) => shape(value));
  if (raw) return raw;
  const box = containerOf(value);
  if (box) return notAnAlert(`a document with several alerts (${box.what})`);
  const expanded = kibana ?? (expandDots(value, budget) as JsonObject);
  const stored = firstClaim(ECS_SHAPES, (shape) => shape(expanded, value));
  if (stored) return stored;
  if (typeof ownValue(value, 'type') === 'string' && Object.hasOwn(value, 'id')) {
    throw new AlertParseError('type', 'unknown alert type', `expected ${ALERT_TYPE_LIST}`);
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

/** The id of an alert document a flow would investigate (undefined: none would); throws AlertParseError when malformed. */
export function investigableAlertId(value: unknown): string | undefined {
  const outcome = recogniseAlert(value);
  return outcome.kind === 'alert' ? outcome.alert.id : undefined;
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

/**
 * The alert of a stored body: the stored canonical alert when current, else the body parsed again. Throws
 * AlertParseError when the body no longer parses.
 */
export function readStoredAlert(stored: Partial<StoredAlert> & { raw: string }): Alert {
  return storedAlertOf(stored, stored.raw) ?? parseAlertStrict(stored.raw);
}
