// AWS: revoke the role's active sessions as the IAM console does — the inline policy AWSRevokeOlderSessions,
// deny everything to tokens issued before now — through @aws-sdk/client-iam. Undo deletes that policy.
import { DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { REVOKE_POLICY_NAME, revokeOlderSessionsPolicy, tokenIssueTime } from './aws-policy.js';
import type { ActionOutcome, ContainmentExecutor, ContainmentTarget } from './types.js';

export interface IamContainmentOptions {
  region: string;
  /** IAM's endpoint when not the SDK's own (a VPC endpoint; the tests' fake). */
  endpoint?: string;
  /** Explicit credentials (tests); unset, the SDK's default chain (the bot's own role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  timeoutMs?: number;
}

/** IAM's error codes, as the SDK names them (with or without the Exception suffix), in words. */
export function iamFailure(err: unknown, roleName: string, what: 'put' | 'delete'): ActionOutcome {
  const e = (err ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  const name = (e.name ?? '').replace(/Exception$/, '');
  switch (name) {
    case 'NoSuchEntity':
      return what === 'put'
        ? { ok: false, reason: `IAM has no role named ${roleName} in this account (NoSuchEntity): nothing was revoked`, retryable: false }
        : { ok: false, reason: 'IAM has no such policy on the role any more (NoSuchEntity)', retryable: false };
    case 'LimitExceeded':
      return { ok: false, reason: `IAM refused: the role’s inline policies would exceed their size limit (LimitExceeded); remove or shrink an inline policy of ${roleName}, then retry`, retryable: true };
    case 'MalformedPolicyDocument':
      return { ok: false, reason: 'IAM refused the policy document as malformed (MalformedPolicyDocument)', retryable: false };
    case 'Throttling':
    case 'ThrottlingException':
      return { ok: false, reason: 'IAM throttled the call (Throttling): retry in a few seconds', retryable: true };
    case 'AccessDenied':
    case 'UnauthorizedOperation':
      return { ok: false, reason: `IAM refused: the bot may not ${what === 'put' ? 'iam:PutRolePolicy' : 'iam:DeleteRolePolicy'} on this role (AccessDenied) — see SECURITY.md`, retryable: false };
    case 'UnmodifiableEntity':
      return { ok: false, reason: 'IAM refused: the role cannot be modified (a service-linked role)', retryable: false };
  }
  if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, reason: 'IAM did not answer in time', retryable: true };
  const status = e.$metadata?.httpStatusCode;
  return { ok: false, reason: status ? `IAM answered HTTP ${status}${/^[A-Za-z]{1,64}$/.test(name) ? ` (${name})` : ''}` : 'IAM could not be reached', retryable: true };
}

export class IamContainment implements ContainmentExecutor {
  private readonly iam: IAMClient;

  constructor(opts: IamContainmentOptions) {
    this.iam = new IAMClient({
      region: opts.region,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      // One attempt: the responder sees a throttle and retries; the SDK never retries a containment behind their back.
      maxAttempts: 1,
      requestHandler: { requestTimeout: opts.timeoutMs ?? 15_000 },
    });
  }

  async execute(target: ContainmentTarget, at: Date): Promise<ActionOutcome> {
    if (target.kind !== 'aws_revoke_role_sessions') return { ok: false, reason: 'not an AWS action', retryable: false };
    try {
      await this.iam.send(new PutRolePolicyCommand({ RoleName: target.roleName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument: revokeOlderSessionsPolicy(at) }));
      return {
        ok: true,
        answer: `IAM put ${REVOKE_POLICY_NAME} on ${target.roleName}: every session issued before ${tokenIssueTime(at)} is denied. The instance’s own calls fail too until it gets fresh credentials from its instance profile.`,
      };
    } catch (err) {
      return iamFailure(err, target.roleName, 'put');
    }
  }

  async undo(target: ContainmentTarget): Promise<ActionOutcome> {
    if (target.kind !== 'aws_revoke_role_sessions') return { ok: false, reason: 'not an AWS action', retryable: false };
    try {
      await this.iam.send(new DeleteRolePolicyCommand({ RoleName: target.roleName, PolicyName: REVOKE_POLICY_NAME }));
      return { ok: true, answer: `IAM deleted ${REVOKE_POLICY_NAME} from ${target.roleName}: the role’s older sessions work again` };
    } catch (err) {
      return iamFailure(err, target.roleName, 'delete');
    }
  }
}
