// What a flow may declare about containment (its plug-in's optional `containment` field): for a malicious or
// suspicious verdict, the one action and its exact target, planned from the facts the flow gathered out of the
// evidence — never from alert text (SECURITY.md). Anything ambiguous refuses; a planner never guesses. The
// adapters that act, and the two-person approval, are src/containment/'s; the targets they take are named here.
import type { Alert } from '../alerts/types.js';

export type ContainmentTarget =
  /** Okta: clear the user's sessions and revoke their OAuth tokens. */
  | { kind: 'okta_clear_sessions'; oktaUserId: string }
  /** AWS: deny every session of the role issued before the call (the IAM console's "Revoke active sessions"). */
  | { kind: 'aws_revoke_role_sessions'; roleArn: string; roleName: string; accountId: string }
  /** Cyren Inbox Security: resolve the case as phishing and remediate the message. */
  | { kind: 'cyren_resolve_case'; caseId: string; incidentId: string };

export interface ContainmentPlan {
  target: ContainmentTarget;
  /** What will be done, in our words (no alert value in it: targets are shown as values by the renderer). */
  action: string;
  /** The API call as the service documents it, with the target filled in. */
  apiCall: string;
  /** Where the target was taken from. */
  targetFrom: string;
  /** What the responder must know before approving (AWS: the instance's own calls fail too). */
  consequence: string;
  undoable: boolean;
}

export type PlanOutcome = { plan: ContainmentPlan } | { refused: string };

/** A flow's containment planner: pure, from its verdict's facts (and, for a vendor's own case id, the alert). */
export type ContainmentPlanner = (facts: Record<string, unknown>, alert: Alert | undefined) => PlanOutcome;

// Readers of facts, which may come back from Redis: own keys only, exact types.
export const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
export const record = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Okta user ids are alphanumeric ("00u1abcd…"). */
export const OKTA_ID = /^[A-Za-z0-9]{1,64}$/;

/** The facts' `user.id`: the user the alert named, resolved by the flow. */
export const factsUserId = (facts: Record<string, unknown>): string | undefined => str(own(record(own(facts, 'user')) ?? {}, 'id'));

/** Clearing an Okta user's sessions: the action both Okta flows offer, its target taken from `targetFrom`. */
export function oktaClearSessions(actor: string, targetFrom: string): ContainmentPlan {
  return {
    target: { kind: 'okta_clear_sessions', oktaUserId: actor },
    action: 'Clear all of the user’s Okta sessions and revoke their OAuth tokens',
    apiCall: `DELETE /api/v1/users/${actor}/sessions?oauthTokens=true`,
    targetFrom,
    consequence: 'The user is signed out everywhere and must sign in again (with MFA) on every device and app.',
    undoable: false,
  };
}
