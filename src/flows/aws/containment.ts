// The AWS flow's containment: revoke the sessions of the role that issued the stolen key's sessions, as CloudTrail
// names it (session_context.session_issuer.arn) — one role, in the key's account, never a service-linked one.
import { own, str, type ContainmentPlanner } from '../containment.js';
import { REVOKE_POLICY_NAME, revokeOlderSessionsPolicy } from './revoke-policy.js';

// IAM role ARNs, paths and names as IAM defines them.
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/((?:[\x21-\x2e\x30-\x7e]+\/)*)([\w+=,.@-]{1,64})$/;

export const planAwsContainment: ContainmentPlanner = (facts) => {
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
};
