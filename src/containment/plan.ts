// Planning, pure: for a malicious or suspicious verdict, the one action and its exact target, from the facts the
// flow gathered out of the evidence. Free text of the alert is never read here; Cyren's case id is the
// vendor's own id as its API gave it (SECURITY.md). Anything ambiguous refuses, it never guesses.
import type { Alert } from '../alerts/types.js';
import type { Verdict } from '../flows/verdict.js';
import { REVOKE_POLICY_NAME, revokeOlderSessionsPolicy } from './aws-policy.js';
import type { ContainmentPlan } from './types.js';

export type PlanOutcome = { plan: ContainmentPlan } | { refused: string };

// Okta user ids are alphanumeric ("00u1abcd…"); IAM role names and paths as IAM defines them.
const OKTA_ID = /^[A-Za-z0-9]{1,64}$/;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/((?:[\x21-\x2e\x30-\x7e]+\/)*)([\w+=,.@-]{1,64})$/;
const CYREN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const CYREN_SOURCE = 'Cyren Inbox Security';

const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
const record = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function planContainment(verdict: Verdict, alert: Alert | undefined): PlanOutcome {
  if (verdict.verdict !== 'malicious' && verdict.verdict !== 'suspicious') return { refused: `containment is offered on malicious or suspicious verdicts only (this one is ${verdict.verdict})` };
  switch (verdict.flow) {
    case 'okta_impossible_travel':
      return planOkta(verdict.facts);
    case 'aws_instance_credentials':
      return planAws(verdict.facts);
    case 'okta_mfa_fatigue':
      return planMfaFatigue(verdict.facts);
    case 'malicious_email':
      return planCyren(alert);
    default:
      return { refused: 'no containment action for this flow' };
  }
}

/** The user of the alerting sign-in as the System Log names it (session B's actor.id). */
export function planOkta(facts: Record<string, unknown>): PlanOutcome {
  const b = record(own(facts, 'session_b'));
  const a = record(own(facts, 'session_a'));
  const actor = str(b && own(b, 'actor_id'));
  if (!actor) return { refused: 'the alerting sign-in in the System Log names no Okta user id: there is no target from the evidence' };
  if (!OKTA_ID.test(actor)) return { refused: 'the Okta user id in the System Log is not an Okta id' };
  const other = str(a && own(a, 'actor_id'));
  if (other && other !== actor) return { refused: 'the two sessions’ System Log events name different Okta users: the target is ambiguous' };
  const userId = str(record(own(facts, 'user')) && own(record(own(facts, 'user'))!, 'id'));
  if (userId && userId !== actor) return { refused: 'the alert’s user differs from the user the System Log shows signing in: the target is ambiguous' };
  return { plan: planOktaTarget(actor, 'actor.id of the alerting sign-in in the Okta System Log') };
}

function planOktaTarget(actor: string, targetFrom: string): ContainmentPlan {
  return {
    target: { kind: 'okta_clear_sessions', oktaUserId: actor },
    action: 'Clear all of the user’s Okta sessions and revoke their OAuth tokens',
    apiCall: `DELETE /api/v1/users/${actor}/sessions?oauthTokens=true`,
    targetFrom,
    consequence: 'The user is signed out everywhere and must sign in again (with MFA) on every device and app.',
    undoable: false,
  };
}

/** MFA push fatigue: the one user the System Log's push, rejection, approval and report events name as actor. */
export function planMfaFatigue(facts: Record<string, unknown>): PlanOutcome {
  const ids = own(facts, 'actor_ids');
  const list = Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : [];
  if (list.length === 0) return { refused: 'the MFA events in the System Log name no Okta user id: there is no target from the evidence' };
  if (list.length > 1) return { refused: `the MFA events in the System Log name ${list.length} Okta users: the target is ambiguous` };
  const actor = list[0]!;
  if (!OKTA_ID.test(actor)) return { refused: 'the Okta user id in the System Log is not an Okta id' };
  const userId = str(record(own(facts, 'user')) && own(record(own(facts, 'user'))!, 'id'));
  if (userId && userId !== actor) return { refused: 'the alert’s user differs from the user the System Log’s MFA events name: the target is ambiguous' };
  const plan = planOktaTarget(actor, 'actor.id of the user’s MFA push events in the Okta System Log');
  return { plan };
}

/** The role that issued the stolen key's sessions, as CloudTrail names it (session_context.session_issuer.arn). */
export function planAws(facts: Record<string, unknown>): PlanOutcome {
  const issuers = own(facts, 'session_issuer_arns');
  const list = Array.isArray(issuers) ? issuers.filter((i): i is string => typeof i === 'string') : [];
  if (list.length === 0) return { refused: 'the key’s CloudTrail events name no session issuer: there is no role from the evidence' };
  if (list.length > 1) return { refused: `the key’s CloudTrail events name ${list.length} session issuers: the role is ambiguous` };
  const arn = list[0]!;
  const m = ROLE_ARN.exec(arn);
  if (!m) return { refused: 'the session issuer in CloudTrail is not an IAM role ARN' };
  const [, , accountId, path, roleName] = m as unknown as [string, string, string, string, string];
  // IAM cannot revoke a service-linked role's sessions, and they are AWS's, not ours.
  if (path.startsWith('aws-service-role/')) return { refused: 'the session issuer is a service-linked role, whose sessions IAM cannot revoke' };
  const account = str(own(facts, 'account_id'));
  if (account && account !== accountId) return { refused: 'the session issuer’s account differs from the key’s account: the target is ambiguous' };
  return {
    plan: {
      target: { kind: 'aws_revoke_role_sessions', roleArn: arn, roleName, accountId },
      action: `Revoke the role’s active sessions: put the inline policy ${REVOKE_POLICY_NAME} that denies everything to sessions issued before the call`,
      apiCall: `iam:PutRolePolicy RoleName=${roleName} PolicyName=${REVOKE_POLICY_NAME} PolicyDocument=${revokeOlderSessionsPolicy(new Date(0)).replace('1970-01-01T00:00:00Z', '<time of the call>')}`,
      targetFrom: 'aws.cloudtrail.user_identity.session_context.session_issuer.arn of the key’s CloudTrail events',
      consequence:
        'Every session of this role issued before the call is denied — the stolen key, and the instance’s own credentials too: the instance’s calls fail until it gets fresh credentials from its instance profile (within minutes, or restart the application).',
      undoable: true,
    },
  };
}

/** Cyren's own case id, as its API gave it in the incident the alert is. */
export function planCyren(alert: Alert | undefined): PlanOutcome {
  if (!alert || alert.type !== 'email.malicious' || alert.source !== CYREN_SOURCE) return { refused: 'only Cyren Inbox Security incidents can be remediated from here' };
  const raw = record(alert.raw);
  const caseId = str(raw && own(raw, 'case_id'));
  if (!caseId || !CYREN_ID.test(caseId)) return { refused: 'the Cyren incident carries no usable case_id' };
  return {
    plan: {
      target: { kind: 'cyren_resolve_case', caseId, incidentId: alert.id },
      action: 'Resolve the Cyren case as phishing and soft-delete the message from every mailbox it reached',
      apiCall: `PATCH /v1/cases/${caseId}/resolution {"resolution":"phishing","resolution_reason":"Identified phishing URL","actions":["SOFT_DELETE"]}`,
      targetFrom: 'case_id of the Cyren incident, as Cyren’s API gave it',
      consequence: 'The message is moved out of the recipients’ inboxes (recoverable from their deleted items).',
      undoable: false,
    },
  };
}
