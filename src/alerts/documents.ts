// A decoded input document: one alert, or several (a list, `aws guardduty get-findings` output, an Okta Event Hook
// delivery, Cyren's incident list). Which flow takes each alert is decided above the alerts, by the flows'
// recognisers (src/flows/recognise.ts); this file holds what needs no flow: the outcomes, where a document keeps
// its alerts, and the id a stored alert document carries.
import { expandDots, isObject, ownValue, KeyBudget, type JsonObject } from './json.js';
import { ECS_SHAPES, RAW_SHAPES, shapeId } from './shapes.js';
import { isKibanaAlert, mentionsKibana } from './kibana.js';
import { requiredToken } from './fields.js';
import type { Alert } from './types.js';

export type ParseOutcome = { kind: 'alert'; alert: Alert } | { kind: 'not-an-alert'; reason: string };

/** A part of a document that was not an alert, and why (for the CLI's notes; Slack ignores them). */
export interface SkippedPart {
  at: string;
  reason: string;
}

export type AlertsOutcome = { kind: 'alerts'; alerts: Alert[]; skipped: SkippedPart[] } | { kind: 'not-an-alert'; reason: string };

/** One document yields at most this many investigations; more refuse the document. */
export const MAX_ALERTS_PER_DOCUMENT = 100;

export const notAnAlert = (reason: string): ParseOutcome => ({ kind: 'not-an-alert', reason });

/** A document that carries several alerts: where its list is, and what it is called in messages. */
export interface Container {
  path: string;
  items: unknown[];
  what: string;
}

export function containerOf(value: unknown): Container | undefined {
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
 * The id of a single alert document in any shape the bot reads, whichever flow would take it (undefined when it
 * is no alert shape): ingest keys alert documents by it, and the in-memory lookup finds them by it. Throws
 * AlertParseError when the document is of a shape but its id is malformed.
 */
export function alertDocumentId(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const kibana = mentionsKibana(value) ? (expandDots(value, new KeyBudget()) as JsonObject) : undefined;
  // Before the shapes it may copy, as recogniseAlert reads it.
  if (kibana && isKibanaAlert(kibana)) return requiredToken(kibana, 'kibana.alert.uuid');
  for (const shape of RAW_SHAPES) {
    const match = shape(value);
    if (match) return shapeId(match);
  }
  if (containerOf(value)) return undefined;
  const expanded = kibana ?? (expandDots(value, new KeyBudget()) as JsonObject);
  for (const shape of ECS_SHAPES) {
    const match = shape(expanded, value);
    if (match) return shapeId(match);
  }
  return undefined;
}
