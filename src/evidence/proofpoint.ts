// Proofpoint TAP clicks (flows.md M2, v3): the port and what both implementations read the same way.
// Shapes follow Elastic's proofpoint_tap package (data streams clicks_permitted and clicks_blocked):
// - `url.full` is the clicked URL, URL-decoded by the pipeline's urldecode processor;
// - `email.to.address` is the recipient whose rewritten link was clicked (a list, or a string in older versions);
// - `destination.ip` is where the click came from (Proofpoint's clickIP); `source.ip` is the *sender's* IP;
// - the click time is `proofpoint_tap.<stream>.click_time`; `@timestamp` is the later of the click and the
//   threat time in current versions, the click time in older ones (which carry no click_time).
import { timestamp, values, type EcsDocument } from './documents.js';
import type { Interaction, Searched, TimeWindow } from './ports.js';

export const CLICKS_PERMITTED = 'proofpoint_tap.clicks_permitted';
export const CLICKS_BLOCKED = 'proofpoint_tap.clicks_blocked';

/** permitted: URL Defense let the click through (an interaction); blocked: it stopped it (named, never an interaction). */
export type ClickAction = 'permitted' | 'blocked';

export const CLICK_STREAMS: ReadonlyArray<{ action: ClickAction; dataset: string; clickTime: string; classification: string }> = [
  { action: 'permitted', dataset: CLICKS_PERMITTED, clickTime: `${CLICKS_PERMITTED}.click_time`, classification: `${CLICKS_PERMITTED}.classification` },
  { action: 'blocked', dataset: CLICKS_BLOCKED, clickTime: `${CLICKS_BLOCKED}.click_time`, classification: `${CLICKS_BLOCKED}.classification` },
];

export const CLICK_URL_FIELD = 'url.full';
export const RECIPIENT_FIELD = 'email.to.address';
export const CLICK_IP_FIELD = 'destination.ip';

/** Clicks of one recipient on one logged URL, permitted or blocked. `users` holds the recipient (none when the event names none). */
export interface ProofpointClick extends Interaction {
  /** url.full as logged (URL-decoded by Elastic's pipeline). */
  url: string;
  action: ClickAction;
  /** Where the clicks came from (clickIP). */
  clickIps: string[];
  /** Proofpoint's threat classification: phish, malware, spam … */
  classifications: string[];
}

export interface ProofpointClicksFound extends Searched<ProofpointClick[]> {
  /** What the listing leaves out that cannot hide a permitted click (blocked clicks of recipients beyond the cap). */
  notes?: string[];
}

export interface ProofpointClickEvidence {
  /**
   * Permitted and blocked clicks whose url.full is one of the spellings (or its URL-decoded form),
   * case-insensitively, clicked in the window; hasData: any click at all was clicked in the window.
   */
  clicks(spellings: string[], window: TimeWindow): Promise<ProofpointClicksFound>;
}

/** When a click happened: its click_time, else (older pipeline versions) @timestamp. */
export function clickTime(doc: EcsDocument, action: ClickAction): Date | undefined {
  const stream = CLICK_STREAMS.find((s) => s.action === action)!;
  const t = values(doc, stream.clickTime)[0];
  if (typeof t === 'string' || typeof t === 'number') {
    const d = new Date(t);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return timestamp(doc);
}
