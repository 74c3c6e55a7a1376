// The inline policy the IAM console's "Revoke active sessions" puts on a role: deny everything to sessions
// whose token was issued before now. Sessions issued later (the instance's fresh credentials) are unaffected.

export const REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';

/** ISO time to the second, as the console writes it ("2026-12-07T02:50:00Z"). */
export function tokenIssueTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function revokeOlderSessionsPolicy(issuedBefore: Date): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': tokenIssueTime(issuedBefore) } } }],
  });
}
