// Planning: the target comes from the evidence's facts; anything ambiguous or non-evidence refuses.
import { describe, expect, it } from 'vitest';
import { planContainment } from '../../src/containment/plan.js';
import { revokeOlderSessionsPolicy, REVOKE_POLICY_NAME } from '../../src/containment/aws-policy.js';
import { recogniseAlert } from '../../src/flows/recognise.js';
import type { Alert } from '../../src/alerts/types.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { fixture } from '../support/fixtures.js';
import { FLOW_PLUGINS } from '../../src/flows/registry.js';
import { awsFacts, emailFacts, mfaFacts, oktaFacts, oktaSession, verdictWith } from '../support/facts.js';
import type { AwsFacts } from '../../src/flows/aws/verdict-facts.js';
import type { OktaFacts, OktaSessionFacts } from '../../src/flows/okta/verdict-facts.js';
import type { MfaFatigueFacts } from '../../src/flows/mfa-fatigue/verdict-facts.js';

const ROLE = 'arn:aws:iam::111122223333:role/app-role';
const rest = { alert_id: 'a-1', verdict: 'malicious' as const, score: 90, summary: 's', path: [] };
/** A verdict as storage may hand one back: any flow name, facts of any shape (the hostile cases). */
const verdict = (flow: string, facts: Record<string, unknown>): Verdict => ({ ...rest, flow, facts }) as unknown as Verdict;
const aws = (facts: Partial<AwsFacts>): Verdict => verdictWith('aws_instance_credentials', awsFacts(facts), rest);
const okta = (b: Partial<OktaSessionFacts>, extra: Partial<OktaFacts> = {}): Verdict =>
  verdictWith('okta_impossible_travel', oktaFacts({ user: { id: '00uevidence0001', login: 'alice@example.com' }, session_a: oktaSession({ actor_id: '00uevidence0001' }), session_b: oktaSession({ actor_id: '00uevidence0001', ...b }), ...extra }), rest);
const cyrenAlert = (): Alert => {
  const outcome = recogniseAlert(fixture('cyren/incident.json'));
  if (outcome.kind !== 'alert') throw new Error('fixture is no alert');
  return outcome.alert;
};

describe('containment planning', () => {
  it('is offered on malicious and suspicious verdicts only', () => {
    expect('plan' in planContainment(okta({}), undefined)).toBe(true);
    expect('plan' in planContainment({ ...okta({}), verdict: 'suspicious' }, undefined)).toBe(true);
    for (const v of ['benign', 'inconclusive'] as const) expect(planContainment({ ...okta({}), verdict: v }, undefined)).toEqual({ refused: expect.stringMatching(/malicious or suspicious/) });
  });

  it('Okta: the user id of the alerting sign-in in the System Log, and the revoke-sessions call with oauthTokens=true', () => {
    const out = planContainment(okta({}), undefined);
    expect(out).toMatchObject({ plan: { target: { kind: 'okta_clear_sessions', oktaUserId: '00uevidence0001' }, apiCall: 'DELETE /api/v1/users/00uevidence0001/sessions?oauthTokens=true', undoable: false } });
  });

  it('Okta: no actor in the evidence, an actor that is no Okta id, or sessions of two users refuse', () => {
    expect(planContainment(okta({ actor_id: null }), undefined)).toEqual({ refused: expect.stringMatching(/no Okta user id/) });
    expect(planContainment(okta({ actor_id: '00u/../../groups' }), undefined)).toEqual({ refused: expect.stringMatching(/not an Okta id/) });
    expect(planContainment(okta({}, { session_a: oktaSession({ actor_id: '00uother000000001' }) }), undefined)).toEqual({ refused: expect.stringMatching(/different Okta users/) });
  });

  it('hostile: an alert naming another user than the one the System Log shows refuses instead of picking either', () => {
    const out = planContainment(okta({}, { user: { id: '00uvictimceo0001' } }), undefined);
    expect(out).toEqual({ refused: expect.stringMatching(/differs from the user the System Log shows/) });
  });

  it('MFA push fatigue: the one Okta user the MFA events name; none, several, a non-id or a different alert user refuse', () => {
    const mfa = (facts: Partial<MfaFatigueFacts>): Verdict => verdictWith('okta_mfa_fatigue', mfaFacts({ user: { login: 'alice@example.com' }, ...facts }), rest);
    expect(planContainment(mfa({ actor_ids: ['00uevidence0001'] }), undefined)).toMatchObject({ plan: { target: { kind: 'okta_clear_sessions', oktaUserId: '00uevidence0001' }, apiCall: 'DELETE /api/v1/users/00uevidence0001/sessions?oauthTokens=true' } });
    expect(planContainment({ ...mfa({ actor_ids: ['00uevidence0001'] }), verdict: 'benign' }, undefined)).toEqual({ refused: expect.stringMatching(/malicious or suspicious/) });
    expect(planContainment(mfa({ actor_ids: [] }), undefined)).toEqual({ refused: expect.stringMatching(/no Okta user id/) });
    expect(planContainment(mfa({ actor_ids: ['00uevidence0001', '00uother000000001'] }), undefined)).toEqual({ refused: expect.stringMatching(/2 Okta users/) });
    expect(planContainment(mfa({ actor_ids: ['00u/../groups'] }), undefined)).toEqual({ refused: expect.stringMatching(/not an Okta id/) });
    expect(planContainment(mfa({ actor_ids: ['00uevidence0001'], user: { id: '00uother000000001' } }), undefined)).toEqual({ refused: expect.stringMatching(/differs/) });
  });

  it('AWS: the single session issuer role from CloudTrail, with the console’s revoke policy', () => {
    const out = planContainment(aws({ session_issuer_arns: [ROLE], account_id: '111122223333', role_arn: ROLE }), undefined);
    expect(out).toMatchObject({ plan: { target: { kind: 'aws_revoke_role_sessions', roleArn: ROLE, roleName: 'app-role', accountId: '111122223333' }, undoable: true } });
    if (!('plan' in out)) throw new Error('no plan');
    expect(out.plan.apiCall).toContain(`PolicyName=${REVOKE_POLICY_NAME}`);
    expect(out.plan.consequence).toMatch(/instance’s calls fail until it gets fresh credentials/);
  });

  it('AWS: a role path is kept out of the role name; none, several, a user, a service-linked role or another account refuse', () => {
    const pathed = planContainment(aws({ session_issuer_arns: ['arn:aws:iam::111122223333:role/apps/web/app-role'] }), undefined);
    expect(pathed).toMatchObject({ plan: { target: { roleName: 'app-role' } } });
    const refused = (facts: Partial<AwsFacts>) => planContainment(aws(facts), undefined);
    expect(refused({ session_issuer_arns: [] })).toEqual({ refused: expect.stringMatching(/no session issuer/) });
    expect(refused({ session_issuer_arns: [ROLE, 'arn:aws:iam::111122223333:role/other'] })).toEqual({ refused: expect.stringMatching(/2 session issuers/) });
    expect(refused({ session_issuer_arns: ['arn:aws:iam::111122223333:user/ops'] })).toEqual({ refused: expect.stringMatching(/not an IAM role/) });
    expect(refused({ session_issuer_arns: ['arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS'] })).toEqual({ refused: expect.stringMatching(/service-linked/) });
    expect(refused({ session_issuer_arns: [ROLE], account_id: '999988887777' })).toEqual({ refused: expect.stringMatching(/account differs/) });
  });

  it('hostile: AWS ignores the role the alert or its free text names; only the session issuer counts', () => {
    const withNote = { session_issuer_arns: [ROLE], role_arn: 'arn:aws:iam::111122223333:role/Admin', note: 'revoke arn:aws:iam::111122223333:role/Admin' };
    const out = planContainment(aws(withNote), undefined);
    expect(out).toMatchObject({ plan: { target: { roleArn: ROLE } } });
  });

  it('Cyren: the case id Cyren’s API gave, resolved as phishing with the message soft-deleted', () => {
    const out = planContainment(verdictWith('malicious_email', emailFacts(), rest), cyrenAlert());
    expect(out).toMatchObject({ plan: { target: { kind: 'cyren_resolve_case', caseId: 'case-fixture-0001', incidentId: 'inc-fixture-0001' } } });
    if (!('plan' in out)) throw new Error('no plan');
    expect(out.plan.apiCall).toMatch(/^PATCH \/v1\/cases\/case-fixture-0001\/resolution /);
  });

  it('Cyren: another source, or a case id that could steer the URL, refuses', () => {
    const alert = cyrenAlert();
    expect(planContainment(verdictWith('malicious_email', emailFacts(), rest), { ...alert, source: 'Proofpoint' })).toEqual({ refused: expect.stringMatching(/only Cyren/) });
    const steering = { ...alert, raw: { ...(alert.raw as object), case_id: '../../admin/users?x=1' } };
    expect(planContainment(verdictWith('malicious_email', emailFacts(), rest), steering)).toEqual({ refused: expect.stringMatching(/no usable case_id/) });
  });

  it('the revoke policy is the console’s: deny * on * to tokens issued before the time, to the second', () => {
    expect(JSON.parse(revokeOlderSessionsPolicy(new Date('2026-12-07T02:50:00.123Z')))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-12-07T02:50:00Z' } } }],
    });
  });

  it('comes from the flow’s plug-in: each flow declares its planner, and a flow without one offers nothing', () => {
    expect(FLOW_PLUGINS.filter((p) => p.containment).map((p) => p.id).sort()).toEqual(['aws_instance_credentials', 'malicious_email', 'okta_impossible_travel', 'okta_mfa_fatigue']);
    // A verdict read back from storage whose flow no plug-in has (an older or newer release's).
    const stranger = { ...verdict('okta_impossible_travel', {}), flow: 'retired_flow' } as unknown as Verdict;
    expect(planContainment(stranger, undefined)).toEqual({ refused: 'no containment action for this flow' });
  });

  it('hostile: facts of another flow’s shape, or an alert of another flow, never give a target', () => {
    // An Okta travel verdict whose facts carry what the MFA and AWS planners would read.
    expect(planContainment(verdict('okta_impossible_travel', { actor_ids: ['00uevidence0001'], session_issuer_arns: [ROLE] }), undefined)).toEqual({ refused: expect.stringMatching(/no Okta user id/) });
    // An e-mail verdict with an Okta alert beside it: Cyren's case id only comes from a Cyren incident.
    const oktaAlert = recogniseAlert(fixture('okta-mfa/deny-push.json'));
    if (oktaAlert.kind !== 'alert') throw new Error('fixture is no alert');
    expect(planContainment(verdict('malicious_email', {}), { ...oktaAlert.alert, raw: { case_id: 'case-1' } })).toEqual({ refused: expect.stringMatching(/only Cyren/) });
  });
});
