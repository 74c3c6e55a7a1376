// Who put an alert's body in the record, and what a later post of the same id may change (SECURITY.md, "Re-posts").
// Integrations (a bot or app's post) and /triage's look-up of the stored alert are trusted alike; a person's post
// less: it may be a forgery of an id the SIEM has not sent yet, never a replacement of what an integration sent.

import { ANYONE } from '../config.js';

/** Who may post alerts (SLACK_ALERT_POSTERS), in the words start-up and `triage config check` print. */
export function describeAlertPosters(posters: readonly string[]): string {
  if (posters.length === 0) return 'only integrations (bots and apps) may post alerts; people use /triage';
  if (posters.includes(ANYONE)) return 'anyone in the alert channels may post alerts (SLACK_ALERT_POSTERS=*); an integration’s alert is never replaced by a person’s post';
  return `only these ids may post alerts: ${posters.join(', ')}`;
}

export const ALERT_ORIGINS = ['integration', 'person', 'lookup'] as const;
export type AlertOrigin = (typeof ALERT_ORIGINS)[number];

const TRUST: Record<AlertOrigin, number> = { person: 0, integration: 1, lookup: 1 };

/** Records written before origins were kept were the channel's integrations' in practice: treated as such. */
const trustOf = (origin: AlertOrigin | undefined) => TRUST[origin ?? 'integration'];

/** Whether a body from `next` may replace the stored body from `stored`. */
export const mayReplace = (stored: AlertOrigin | undefined, next: AlertOrigin): boolean => trustOf(next) >= trustOf(stored);

/**
 * Whether the standing decision carries over to the replacing body. A person's decision is never wiped by a re-post
 * or a re-run; the one exception is a more trusted body replacing a person's post: the decision was taken on what
 * that person wrote, so it stays with that report (its message and the audit trail), and the real alert starts open.
 */
export const decisionCarriesOver = (stored: AlertOrigin | undefined, next: AlertOrigin): boolean => trustOf(next) <= trustOf(stored);
