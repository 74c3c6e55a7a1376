// Containment (issue 20): what may be done, to whom, and the outcome of doing it. The target of every action
// comes from the evidence the flow gathered (or, for Cyren, the case id Cyren's API gave), never from alert text.

export const CONTAINMENT_MODES = ['off', 'dry-run', 'live'] as const;
export type ContainmentMode = (typeof CONTAINMENT_MODES)[number];

export type ContainmentTarget =
  /** Okta: clear the user's sessions and revoke their OAuth tokens. */
  | { kind: 'okta_clear_sessions'; oktaUserId: string }
  /** AWS: deny every session of the role issued before the call (the IAM console's "Revoke active sessions"). */
  | { kind: 'aws_revoke_role_sessions'; roleArn: string; roleName: string; accountId: string }
  /** Cyren Inbox Security: resolve the case as phishing and remediate the message. */
  | { kind: 'cyren_resolve_case'; caseId: string; incidentId: string };

export type ContainmentKind = ContainmentTarget['kind'];

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

/** The service's answer to a call, in words: no secrets, no tokens, no raw bodies. */
export type ActionOutcome = { ok: true; answer: string } | { ok: false; reason: string; retryable: boolean };

/** One containment service, called through its official SDK or API. */
export interface ContainmentExecutor {
  execute(target: ContainmentTarget, at: Date): Promise<ActionOutcome>;
  /** Undo, where the service allows one (AWS: remove the inline policy). */
  undo?(target: ContainmentTarget): Promise<ActionOutcome>;
}

export type Executors = Partial<Record<ContainmentKind, ContainmentExecutor>>;
