// The input shapes the bot reads, and the contract of a recogniser. A shape is a vendor's format (the canonical
// alert, a GuardDuty finding, an Okta System Log event, a Cyren incident, and Elastic's stored forms); WHICH flow
// claims an input of a shape, and when, is declared by the flow's plug-in (its recognisers, src/flows/<flow>/),
// and src/flows/recognise.ts asks them. Shapes are tried in the order below; documents holding several alerts
// and Elastic Security alerts (routed by rule id) are handled by the dispatcher between the two lists.
import { ownValue, type JsonObject } from './json.js';
import { isCanonical, parseCanonical } from './canonical.js';
import { guardDutyFinding, spell, type FindingInput } from './guardduty.js';
import { isGuardDutyEcs } from './guardduty-ecs.js';
import { oktaLogEvent } from './okta.js';
import { isCyren } from './cyren.js';
import { getPath, requiredToken, within } from './fields.js';
import type { Alert, AlertType } from './types.js';

/** What each shape gives its recognisers. `raw` is the input as received (the alert keeps it). */
export interface ShapeInputs {
  /** {"id", "type", "time", …} with `type` one of ALERT_TYPES. */
  canonical: { doc: JsonObject };
  /** A GuardDuty finding of any type, bare or in an EventBridge envelope. */
  'guardduty-finding': { finding: FindingInput; raw: JsonObject };
  /** An Okta System Log event, bare or in a Log Streaming EventBridge envelope (`detail`). */
  'okta-event': { event: JsonObject; raw: JsonObject };
  /** A Cyren Inbox Security incident. */
  'cyren-incident': { doc: JsonObject };
  /** A GuardDuty finding as Elastic's AWS integration stores it (dotted keys expanded). */
  'guardduty-ecs': { doc: JsonObject; raw: JsonObject };
  /** An Okta System Log event as Elastic's Okta integration stores it (dotted keys expanded). */
  'okta-ecs': { doc: JsonObject; raw: JsonObject };
}

export type ShapeName = keyof ShapeInputs;

/** A recogniser's answer: the alert; or why the flow does not take this input (said when no flow takes it); or not its input at all. */
export type Recognised<A extends Alert> = { alert: A } | { decline: string } | undefined;

export interface Recogniser<A extends Alert, S extends ShapeName> {
  shape: S;
  /**
   * Claims inputs by an exact type name (an Okta event type): asked before the recognisers of the same shape that
   * read the content (behaviours), so a push denial is the fatigue flow's whatever its behaviours say.
   */
  byType?: true;
  /** Throws AlertParseError when the input is this flow's but malformed. */
  recognise(input: ShapeInputs[S]): Recognised<A>;
}

/** A recogniser of any shape. */
export type AnyRecogniser<A extends Alert> = { [S in ShapeName]: Recogniser<A, S> }[ShapeName];

/** An input seen as one shape: what its recognisers get, and where it sits in the input (for field names). */
export type ShapeMatch = { [S in ShapeName]: { shape: S; input: ShapeInputs[S]; prefix: string } }[ShapeName];

/** Shapes read from the input as it came, in this order. */
export const RAW_SHAPES: ReadonlyArray<(value: JsonObject) => ShapeMatch | undefined> = [
  (value) => (isCanonical(value) ? { shape: 'canonical', input: { doc: value }, prefix: '' } : undefined),
  (value) => {
    const finding = guardDutyFinding(value);
    return finding && { shape: 'guardduty-finding', input: { finding, raw: value }, prefix: finding.prefix };
  },
  (value) => {
    const okta = oktaLogEvent(value);
    return okta && { shape: 'okta-event', input: { event: okta.event, raw: value }, prefix: okta.prefix };
  },
  (value) => (isCyren(value) ? { shape: 'cyren-incident', input: { doc: value }, prefix: '' } : undefined),
];

const isOktaEcs = (doc: JsonObject) => typeof getPath(doc, 'okta.event_type') === 'string' || getPath(doc, 'event.dataset') === 'okta.system';

/** Elastic's stored shapes, read once dotted keys are expanded (after Elastic Security alerts), in this order. */
export const ECS_SHAPES: ReadonlyArray<(doc: JsonObject, raw: JsonObject) => ShapeMatch | undefined> = [
  (doc, raw) => (isGuardDutyEcs(doc) ? { shape: 'guardduty-ecs', input: { doc, raw }, prefix: '' } : undefined),
  (doc, raw) => (isOktaEcs(doc) ? { shape: 'okta-ecs', input: { doc, raw }, prefix: '' } : undefined),
];

/**
 * The id an input of a shape carries, whichever flow takes it: stored alert documents are keyed by it (ingest,
 * the in-memory lookup), below the flows. Throws AlertParseError when the id is malformed.
 */
export function shapeId(match: ShapeMatch): string {
  return within(match.prefix, () => {
    switch (match.shape) {
      case 'canonical':
        return requiredToken(match.input.doc, 'id');
      case 'guardduty-finding':
        return requiredToken(match.input.finding.finding, spell('id', match.input.finding.style));
      case 'okta-event':
        return requiredToken(match.input.event, 'uuid');
      case 'cyren-incident':
        return requiredToken(match.input.doc, 'incident_id');
      case 'guardduty-ecs':
        return requiredToken(match.input.doc, getPath(match.input.doc, 'aws.guardduty.id') !== undefined ? 'aws.guardduty.id' : 'event.id');
      case 'okta-ecs':
        return requiredToken(match.input.doc, getPath(match.input.doc, 'okta.uuid') !== undefined ? 'okta.uuid' : 'event.id');
    }
  });
}

/** The canonical alert of one type: the recogniser every flow declares for its own `type`. */
export function canonicalAlert<T extends AlertType>(type: T): Recogniser<Extract<Alert, { type: T }>, 'canonical'> {
  return {
    shape: 'canonical',
    recognise: ({ doc }) => {
      if (ownValue(doc, 'type') !== type) return undefined;
      const alert = parseCanonical(doc);
      return alert.type === type ? { alert: alert as Extract<Alert, { type: T }> } : undefined;
    },
  };
}
