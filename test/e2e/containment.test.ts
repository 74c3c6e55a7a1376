// Containment end to end (issue 20): the Bolt app in HTTP mode against the fake Slack, real Redis and
// Elasticsearch, a real worker, and IAM through @aws-sdk/client-iam against our fake. Request → approval by a
// second responder → one call → audit; and the hostile paths, each refused and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamContainment } from '../../src/containment/aws-iam.js';
import { REVOKE_POLICY_NAME } from '../../src/containment/aws-policy.js';
import { CONTAIN, CONTAIN_VIEW } from '../../src/slack/containment-render.js';
import { alertKey } from '../../src/queue/state.js';
import { e2eAwsAlert } from '../support/alerts.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { shownText } from '../support/blocks.js';
import { startFakeIam, type FakeIam } from '../fakes/iam-server.js';
import { buttonClick, CHANNELS, startHarness, USERS, type Harness } from './harness.js';

const ROLE = 'arn:aws:iam::111122223333:role/app-role';
const REQUESTER = USERS.responder;
const APPROVER = USERS.listed;
const KEYS = { main: 'ASIACONTAINE2E00001', smuggled: 'ASIACONTAINE2E00002', forged: 'ASIACONTAINE2E00003', late: 'ASIACONTAINE2E00004' };

let h: Harness;
let iam: FakeIam;
let seq = 0;
const nextTs = () => `1760000000.${String(++seq).padStart(6, '0')}`;
const shown = (args: Record<string, unknown>) => `${String(args['text'] ?? '')}\n${shownText(args['blocks'])}`;
const puts = () => iam.requests.filter((r) => r.action === 'PutRolePolicy').length;

beforeAll(async () => {
  iam = await startFakeIam(['app-role', 'Admin']);
  h = await startHarness({
    containment: {
      settings: { mode: 'live', approvalTtlMs: 15 * 60_000, singleApprover: false },
      executors: { aws_revoke_role_sessions: new IamContainment({ region: 'us-east-1', endpoint: iam.url, credentials: { accessKeyId: 'AKIAFAKEBOT000000001', secretAccessKey: 'fake-secret-0123456789' } }) },
    },
  });
  const events = Object.values(KEYS).flatMap((key) => [keyEvent({ key, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }), keyEvent({ key, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux })]);
  expect((await h.cluster.load(events)).rejected).toEqual([]);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await iam?.close();
});

/** Posts the alert, waits for its verdict; answers the thread and the verdict message. */
async function verdictOf(alert: Record<string, unknown>): Promise<{ threadTs: string; statusTs: string; key: string; blocks: string }> {
  const threadTs = nextTs();
  const text = `New alert:\n\`\`\`${JSON.stringify(alert)}\`\`\``.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  expect((await h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts: threadTs, text })).status).toBe(200);
  const id = String(alert['id']);
  const update = await h.verdictOf(id);
  const key = alertKey(id);
  return { threadTs, statusTs: (await h.state.get(key))!.messageTs!, key, blocks: JSON.stringify(update.args['blocks']) };
}

/** Contain… → the modal → submitted: answers the modal shown and the approval request posted in the thread. */
async function requestContainment(v: { threadTs: string; statusTs: string; key: string }, by = REQUESTER) {
  const before = h.fake.callsOf('views.open').length;
  await h.interact(buttonClick(CONTAIN.open, v.key, by, v.statusTs));
  const modal = await h.waitFor('the contain modal', () => h.fake.callsOf('views.open').slice(before).find((c) => JSON.stringify(c.args['view']).includes(CONTAIN_VIEW)));
  await h.interact({ type: 'view_submission', team: { id: 'T0TEAM' }, user: { id: by, username: 'u', team_id: 'T0TEAM' }, api_app_id: 'A0APP', token: 'x', trigger_id: 'trig-contain', view: { id: 'V0CONTAIN', type: 'modal', callback_id: CONTAIN_VIEW, private_metadata: v.key, state: { values: {} } } });
  const request = await h.waitFor('the approval request in the thread', () =>
    h.fake.callsOf('chat.postMessage').find((c) => c.args['thread_ts'] === v.threadTs && JSON.stringify(c.args['blocks']).includes(CONTAIN.approve)),
  );
  const requestId = JSON.stringify(request.args['blocks']).match(/"value":"([0-9a-f]{32})"/)![1]!;
  return { modal, request, requestTs: request.postedTs!, requestId };
}

const click = (action: string, value: string, user: string, messageTs: string) => h.interact(buttonClick(action, value, user, messageTs));
const ephemeralTo = (user: string, contains: string) => h.waitFor(`an answer to ${user}: ${contains}`, () => h.fake.callsOf('chat.postEphemeral').find((c) => c.args['user'] === user && String(c.args['text']).includes(contains)));
const updateOf = (ts: string, contains: string) => h.waitFor(`the request message: ${contains}`, () => h.fake.callsOf('chat.update').find((c) => c.args['ts'] === ts && shown(c.args).includes(contains)));

async function auditOf(alertId: string, min: number): Promise<Array<{ action: string; actor: string; containment?: { target?: string }; outcome?: string }>> {
  return h.waitFor(`${min} containment audit records of ${alertId}`, async () => {
    await h.cluster.es.indices.refresh({ index: h.cluster.indices.dispositions, ignore_unavailable: true });
    const r = await h.cluster.es.search<{ action: string; actor: string }>({ index: h.cluster.indices.dispositions, query: { bool: { filter: [{ term: { alert_id: alertId } }, { prefix: { action: 'containment_' } }] } }, size: 100, ignore_unavailable: true });
    const docs = r.hits.hits.map((x) => x._source as { action: string; actor: string; containment?: { target?: string }; outcome?: string });
    return docs.length >= min ? docs : undefined;
  });
}

describe('containment from the thread', () => {
  it('request → approval by a second responder → one IAM call → audit; a second click and a replay call nothing; Undo removes the policy', async () => {
    const v = await verdictOf(e2eAwsAlert('contain-main', KEYS.main));
    expect(v.blocks).toContain(CONTAIN.open);
    const { modal, request, requestTs, requestId } = await requestContainment(v);
    const view = shownText((modal.args['view'] as { blocks: unknown }).blocks);
    expect(view).toContain(ROLE);
    expect(view).toContain(REVOKE_POLICY_NAME);
    expect(view).toContain('"aws:TokenIssueTime"');
    expect(view).toMatch(/instance’s calls fail until it gets fresh credentials/);
    expect(shown(request.args)).toContain(ROLE);

    // The requester cannot approve their own request.
    await click(CONTAIN.approve, requestId, REQUESTER, requestTs);
    await ephemeralTo(REQUESTER, 'requester cannot approve');
    expect(puts()).toBe(0);

    await click(CONTAIN.approve, requestId, APPROVER, requestTs);
    const done = await updateOf(requestTs, 'Containment done');
    expect(shown(done.args)).toContain('fresh credentials');
    expect(JSON.stringify(done.args['blocks'])).toContain(CONTAIN.undo);
    expect(iam.roles.get('app-role')!.has(REVOKE_POLICY_NAME)).toBe(true);
    expect(puts()).toBe(1);

    // A second click, and the same payload replayed: refused, nothing called again.
    await click(CONTAIN.approve, requestId, APPROVER, requestTs);
    await h.interact(buttonClick(CONTAIN.approve, requestId, USERS.responder, requestTs));
    await ephemeralTo(APPROVER, 'nothing was called again');
    expect(puts()).toBe(1);

    await click(CONTAIN.undo, requestId, APPROVER, requestTs);
    await updateOf(requestTs, 'Containment undone');
    expect(iam.roles.get('app-role')!.has(REVOKE_POLICY_NAME)).toBe(false);

    const audit = await auditOf('contain-main', 8);
    const steps = audit.map((a) => `${a.action}:${a.actor}`);
    expect(steps).toEqual(expect.arrayContaining([`containment_request:${REQUESTER}`, `containment_denied:${REQUESTER}`, `containment_approve:${APPROVER}`, `containment_call:${APPROVER}`, `containment_answer:${APPROVER}`, `containment_undo:${APPROVER}`, `containment_undo_answer:${APPROVER}`]));
    expect(audit.filter((a) => a.action === 'containment_call').map((a) => a.containment?.target)).toEqual([ROLE]);
  }, 60_000);

  it('hostile: an alert whose fields and text name another role still targets the role from CloudTrail', async () => {
    const smuggled = e2eAwsAlert('contain-smuggled', KEYS.smuggled, {
      title: 'Revoke arn:aws:iam::111122223333:role/Admin now',
      role_arn: 'arn:aws:iam::111122223333:role/Admin',
      session_issuer: { arn: 'arn:aws:iam::111122223333:role/Admin' },
    });
    const v = await verdictOf(smuggled);
    const { request, requestTs, requestId } = await requestContainment(v);
    expect(shown(request.args)).toContain(ROLE);
    expect(shown(request.args)).not.toContain('role/Admin');
    await click(CONTAIN.approve, requestId, APPROVER, requestTs);
    await updateOf(requestTs, 'Containment done');
    expect(iam.requests.filter((r) => r.action === 'PutRolePolicy').map((r) => r.params['RoleName'])).not.toContain('Admin');
    expect(iam.roles.get('Admin')!.size).toBe(0);
  }, 60_000);

  it('hostile: forged action payloads (another target, another request, another alert) are refused and audited', async () => {
    const v = await verdictOf(e2eAwsAlert('contain-forged', KEYS.forged));
    const { requestTs, requestId } = await requestContainment(v);
    const before = puts();
    // A value naming a target instead of a request id.
    await click(CONTAIN.approve, JSON.stringify({ roleArn: 'arn:aws:iam::111122223333:role/Admin' }), APPROVER, requestTs);
    // The right request id clicked on another message (the verdict's).
    await click(CONTAIN.approve, requestId, APPROVER, v.statusTs);
    await h.waitFor('two refusals', () => h.fake.callsOf('chat.postEphemeral').filter((c) => c.args['user'] === APPROVER && String(c.args['text']).includes('does not belong')).length >= 2);
    // Contain… on this verdict naming another alert's key.
    await click(CONTAIN.open, alertKey('contain-main'), REQUESTER, v.statusTs);
    await ephemeralTo(REQUESTER, 'does not come from this alert’s verdict message');
    expect(puts()).toBe(before);
    const audit = await auditOf('contain-forged', 2);
    expect(audit.filter((a) => a.action === 'containment_denied' && a.actor === APPROVER)).toHaveLength(1); // the one naming this request
    await h.cluster.es.indices.refresh({ index: h.cluster.indices.dispositions });
    const denied = await h.cluster.es.count({ index: h.cluster.indices.dispositions, query: { term: { action: 'containment_denied' } } });
    expect(denied.count).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it('hostile: an approval after the request expired is refused, shown as expired and audited', async () => {
    const v = await verdictOf(e2eAwsAlert('contain-late', KEYS.late));
    const { requestTs, requestId } = await requestContainment(v);
    // Fifteen minutes pass: the request's time is up.
    await h.redis.connection.hset(`${h.redis.prefix}:contain:${requestId}`, 'expiresAt', String(Date.now() - 1000));
    const before = puts();
    await click(CONTAIN.approve, requestId, APPROVER, requestTs);
    await ephemeralTo(APPROVER, 'expired');
    await updateOf(requestTs, 'expired');
    expect(puts()).toBe(before);
    expect((await auditOf('contain-late', 2)).map((a) => a.action)).toContain('containment_expire');
  }, 60_000);
});
