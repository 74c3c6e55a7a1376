// The IAM "Revoke active sessions" policy is the AWS flow's vocabulary (its planner names it in the plan); the IAM
// adapter and the Slack rendering read it from there.
export { REVOKE_POLICY_NAME, revokeOlderSessionsPolicy, tokenIssueTime } from '../flows/aws/revoke-policy.js';
