// The containment adapters through the real SDKs (Okta, IAM) and fetch (Cyren), against fakes of ours that
// fail as the services do. Every failure is said in words, without secrets, and says whether Retry may help.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OktaContainment } from '../../src/containment/okta.js';
import { IamContainment } from '../../src/containment/aws-iam.js';
import { CyrenContainment, CYREN_RESOLUTION } from '../../src/containment/cyren.js';
import { REVOKE_POLICY_NAME } from '../../src/containment/aws-policy.js';
import type { ActionOutcome } from '../../src/containment/types.js';
import { startFakeOkta, type FakeOkta } from '../fakes/okta-server.js';
import { ROLE_INLINE_POLICY_LIMIT, startFakeIam, type FakeIam } from '../fakes/iam-server.js';
import { startFakeCyren, type FakeCyren } from '../fakes/cyren-server.js';

const USER = '00uevidence0001';
const AT = new Date('2026-12-07T03:20:00.456Z');
const role = { kind: 'aws_revoke_role_sessions' as const, roleArn: 'arn:aws:iam::111122223333:role/app-role', roleName: 'app-role', accountId: '111122223333' };
const failed = (o: ActionOutcome) => (o.ok ? undefined : o);

let okta: FakeOkta;
let iam: FakeIam;
let cyren: FakeCyren;
beforeAll(async () => {
  [okta, iam, cyren] = await Promise.all([startFakeOkta({ users: [{ id: USER, login: 'alice@example.com', factors: [] }] }), startFakeIam(['app-role', 'full-role']), startFakeCyren(['case-fixture-0001'])]);
});
afterAll(async () => Promise.all([okta?.close(), iam?.close(), cyren?.close()]));

describe('Okta: clear sessions and revoke OAuth tokens', () => {
  const adapter = () => new OktaContainment({ orgUrl: okta.url, token: okta.token });

  it('calls DELETE /api/v1/users/{id}/sessions?oauthTokens=true through the SDK', async () => {
    expect(await adapter().execute({ kind: 'okta_clear_sessions', oktaUserId: USER }, AT)).toMatchObject({ ok: true });
    expect(okta.clearedSessions).toEqual([{ userId: USER, oauthTokens: true }]);
    expect(okta.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/api/v1/users/${USER}/sessions`, query: { oauthTokens: 'true' } });
  });

  it('404: an unknown user, said so, no retry offered', async () => {
    const out = failed(await adapter().execute({ kind: 'okta_clear_sessions', oktaUserId: '00unosuchuser001' }, AT));
    expect(out).toMatchObject({ reason: expect.stringMatching(/does not know this user \(E0000007\)/), retryable: false });
  });

  it('403: the token lacks the scope, said so without the token', async () => {
    okta.canManageUsers = false;
    try {
      const out = failed(await adapter().execute({ kind: 'okta_clear_sessions', oktaUserId: USER }, AT));
      expect(out).toMatchObject({ reason: expect.stringMatching(/okta\.users\.manage/), retryable: false });
      expect(JSON.stringify(out)).not.toContain(okta.token);
    } finally {
      okta.canManageUsers = true;
    }
  });

  it('429: not waited out; the reset time from X-Rate-Limit-Reset is told and Retry offered', async () => {
    okta.throttleNext(1, 30);
    const started = Date.now();
    const out = failed(await adapter().execute({ kind: 'okta_clear_sessions', oktaUserId: USER }, AT));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(out).toMatchObject({ reason: expect.stringMatching(/rate limit is spent; it resets in (29|30|31) s/), retryable: true });
  });
});

describe('AWS IAM: revoke the role’s older sessions', () => {
  const adapter = () => new IamContainment({ region: 'us-east-1', endpoint: iam.url, credentials: { accessKeyId: 'AKIAFAKEBOT000000001', secretAccessKey: 'fake-secret-key-0123456789' } });

  it('PutRolePolicy AWSRevokeOlderSessions, signed, with the console’s policy at the call’s time; Undo deletes it', async () => {
    const out = await adapter().execute(role, AT);
    expect(out).toMatchObject({ ok: true, answer: expect.stringMatching(/instance’s own calls fail too until it gets fresh credentials/) });
    const put = iam.requests.at(-1)!;
    expect(put).toMatchObject({ action: 'PutRolePolicy', signed: true, params: { RoleName: 'app-role', PolicyName: REVOKE_POLICY_NAME, Version: '2010-05-08' } });
    expect(JSON.parse(iam.roles.get('app-role')!.get(REVOKE_POLICY_NAME)!)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-12-07T03:20:00Z' } } }],
    });
    expect(await adapter().undo(role)).toMatchObject({ ok: true });
    expect(iam.requests.at(-1)).toMatchObject({ action: 'DeleteRolePolicy', params: { RoleName: 'app-role', PolicyName: REVOKE_POLICY_NAME } });
    expect(iam.roles.get('app-role')!.has(REVOKE_POLICY_NAME)).toBe(false);
  });

  it('NoSuchEntity: the role is not there', async () => {
    expect(failed(await adapter().execute({ ...role, roleName: 'gone-role' }, AT))).toMatchObject({ reason: expect.stringMatching(/no role named gone-role.*NoSuchEntity/), retryable: false });
  });

  it('LimitExceeded, Throttling and MalformedPolicyDocument are named, with Retry where it may help', async () => {
    iam.failNext('LimitExceeded');
    expect(failed(await adapter().execute(role, AT))).toMatchObject({ reason: expect.stringMatching(/LimitExceeded/), retryable: true });
    iam.failNext('Throttling');
    expect(failed(await adapter().execute(role, AT))).toMatchObject({ reason: expect.stringMatching(/throttled/), retryable: true });
    iam.failNext('MalformedPolicyDocument');
    expect(failed(await adapter().execute(role, AT))).toMatchObject({ reason: expect.stringMatching(/MalformedPolicyDocument/), retryable: false });
    expect(iam.requests.slice(-3).map((r) => r.action)).toEqual(['PutRolePolicy', 'PutRolePolicy', 'PutRolePolicy']);
  });

  it('the inline-policy size limit: a role whose inline policies are nearly full refuses the policy', async () => {
    iam.roles.get('full-role')!.set('big', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['x'.repeat(ROLE_INLINE_POLICY_LIMIT - 120)] }] }));
    const out = failed(await adapter().execute({ ...role, roleName: 'full-role' }, AT));
    expect(out).toMatchObject({ reason: expect.stringMatching(/size limit \(LimitExceeded\)/), retryable: true });
    expect(JSON.stringify(out)).not.toContain('fake-secret-key');
  });

  it('undo of a policy already gone says so', async () => {
    expect(failed(await adapter().undo(role))).toMatchObject({ reason: expect.stringMatching(/no such policy/) });
  });
});

describe('Cyren Inbox Security: resolve and remediate the case', () => {
  const adapter = () => new CyrenContainment({ baseUrl: cyren.url, clientId: cyren.clientId, clientSecret: cyren.clientSecret });

  it('token, then PATCH /v1/cases/{case_id}/resolution with the resolution and SOFT_DELETE', async () => {
    const out = await adapter().execute({ kind: 'cyren_resolve_case', caseId: 'case-fixture-0001', incidentId: 'inc-1' }, AT);
    expect(out).toMatchObject({ ok: true, answer: expect.stringMatching(/status: ok/) });
    expect(cyren.resolved.at(-1)).toEqual({ caseId: 'case-fixture-0001', body: CYREN_RESOLUTION });
  });

  it('401 expired token: one new token, one more try', async () => {
    const a = adapter();
    await a.execute({ kind: 'cyren_resolve_case', caseId: 'case-fixture-0001', incidentId: 'inc-1' }, AT);
    const issued = cyren.tokensIssued;
    cyren.expireTokens();
    expect(await a.execute({ kind: 'cyren_resolve_case', caseId: 'case-fixture-0001', incidentId: 'inc-1' }, AT)).toMatchObject({ ok: true });
    expect(cyren.tokensIssued).toBe(issued + 1);
  });

  it('404: an unknown case, said so; wrong credentials said without the secret', async () => {
    expect(failed(await adapter().execute({ kind: 'cyren_resolve_case', caseId: 'case-unknown', incidentId: 'inc-1' }, AT))).toMatchObject({ reason: expect.stringMatching(/does not know this case/), retryable: false });
    const bad = new CyrenContainment({ baseUrl: cyren.url, clientId: cyren.clientId, clientSecret: 'wrong-secret-value-0001' });
    const out = failed(await bad.execute({ kind: 'cyren_resolve_case', caseId: 'case-fixture-0001', incidentId: 'inc-1' }, AT));
    expect(out).toMatchObject({ reason: expect.stringMatching(/client credentials/) });
    expect(JSON.stringify(out)).not.toContain('wrong-secret-value');
  });
});
