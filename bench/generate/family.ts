// What every scenario family of the generator is made of: an alert whose verdict is known in advance and the
// evidence that makes it so. Shared by the flows' scenario files (scenarios.ts, mfa.ts).
import type { Rng } from './rng.js';

export type Doc = Record<string, unknown>;

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const iso = (t: number) => new Date(t).toISOString();

/** Slot of the heavy subjects' identifiers, past any alert's (alert counts stay below it). */
export const HEAVY_SLOT = 120_000;
export const MAX_ALERTS = 100_000;

export interface Expectation {
  verdict: string;
  score: number | null;
}

export interface ScenarioSizes {
  /** Events of the busy CloudTrail key in its 24 hours. */
  busyKeyEvents: number;
  /** Okta events of the user with many sign-ins, over 90 days. */
  busyUserEvents: number;
  /** People who clicked the widely clicked phishing link. */
  campaignClickers: number;
  /** Okta events (sign-ins, pushes, approvals) of the shared account with many MFA events, over 90 days. */
  busyMfaEvents: number;
}

export interface Ctx {
  /** The alert's slot: every identifier of the alert derives from it. */
  s: number;
  rng: Rng;
  /** Alert time. */
  T: number;
  sizes: ScenarioSizes;
}

/**
 * An alert as the intake receives it, and where its id is: alerts in a vendor's shape keep their id in the
 * vendor's field (an Okta event's `uuid`, a Kibana alert's `kibana.alert.uuid`), each path a list of keys.
 */
export interface BuiltAlert {
  alert: Doc;
  idPaths?: string[][];
}

export interface Family {
  name: string;
  expect: Expectation;
  build(ctx: Ctx): BuiltAlert & { events: () => Iterable<Doc> };
}

/** The alert with another id, in every place its shape keeps it. */
export function withAlertId(alert: Doc, idPaths: readonly string[][] | undefined, id: string): Doc {
  const copy = structuredClone(alert);
  for (const path of idPaths ?? [['id']]) {
    let at: Doc = copy;
    for (const key of path.slice(0, -1)) at = at[key] as Doc;
    at[path.at(-1)!] = id;
  }
  return copy;
}
