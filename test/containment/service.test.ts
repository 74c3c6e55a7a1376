// The two-person state machine on real Redis, audited to real Elasticsearch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Audit } from '../../src/audit/audit.js';
import { ContainmentService, type ContainmentSettings } from '../../src/containment/service.js';
import { ContainmentStore } from '../../src/containment/store.js';
import type { ActionOutcome, ContainmentExecutor, ContainmentPlan, ContainmentTarget } from '../../src/containment/types.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { testRedis } from '../support/redis.js';

const ROLE = 'arn:aws:iam::111122223333:role/app-role';
const plan: ContainmentPlan = {
  target: { kind: 'aws_revoke_role_sessions', roleArn: ROLE, roleName: 'app-role', accountId: '111122223333' },
  action: 'Revoke',
  apiCall: 'iam:PutRolePolicy RoleName=app-role',
  targetFrom: 'session issuer',
  consequence: 'the instance’s calls fail',
  undoable: true,
};

/** Counts calls; answers what the test queues (a port implementation, like the adapters). */
class CountingExecutor implements ContainmentExecutor {
  calls: ContainmentTarget[] = [];
  undos = 0;
  answers: ActionOutcome[] = [];
  async execute(target: ContainmentTarget): Promise<ActionOutcome> {
    this.calls.push(target);
    await new Promise((r) => setTimeout(r, 20)); // a real call takes time: a second click lands while it runs
    return this.answers.shift() ?? { ok: true, answer: 'policy put' };
  }
  async undo(): Promise<ActionOutcome> {
    this.undos++;
    return { ok: true, answer: 'policy deleted' };
  }
}

let redis: ReturnType<typeof testRedis>;
let cluster: TestCluster;
let audit: Audit;
let clock = new Date('2026-12-07T03:00:00Z');
const APPROVERS = new Set(['UREQUESTER1', 'UAPPROVER1', 'UAPPROVER2']);

function service(executor: ContainmentExecutor, settings: Partial<ContainmentSettings> = {}) {
  return new ContainmentService({
    store: new ContainmentStore(redis.connection, redis.prefix),
    executors: { aws_revoke_role_sessions: executor },
    audit,
    isApprover: async (u) => APPROVERS.has(u),
    settings: { mode: 'live', approvalTtlMs: 15 * 60_000, singleApprover: false, ...settings },
    now: () => clock,
  });
}
const ask = (s: ContainmentService) => s.request({ alertKey: 'k'.repeat(32), alertId: 'alert-1', plan, by: 'UREQUESTER1', channel: 'C1', threadTs: '1.1' });

async function auditSteps(requestId: string): Promise<string[]> {
  await cluster.es.indices.refresh({ index: cluster.indices.dispositions });
  const r = await cluster.es.search<{ action: string; actor: string }>({ index: cluster.indices.dispositions, query: { term: { 'containment.request_id': requestId } }, sort: [{ '@timestamp': 'asc' }], size: 50 });
  return r.hits.hits.map((h) => `${h._source!.action}:${h._source!.actor}`);
}

beforeAll(async () => {
  redis = testRedis('contain');
  cluster = await testCluster();
  audit = new Audit(cluster.es, { verdicts: cluster.indices.verdicts, dispositions: cluster.indices.dispositions });
});
afterAll(async () => {
  await redis?.cleanup();
  await cluster?.cleanup();
});

describe('containment: two-person rule', () => {
  it('request → approval by another responder → one call → done; every step audited with who', async () => {
    const exec = new CountingExecutor();
    const s = service(exec);
    const req = await ask(s);
    if (!req.done) throw new Error(req.reason);
    expect(req.request.status).toBe('pending');
    const approved = await s.approve(req.request.id, 'UAPPROVER1');
    expect(approved).toMatchObject({ done: true, request: { status: 'done', approvedBy: 'UAPPROVER1', result: { ok: true } } });
    expect(exec.calls).toEqual([plan.target]);
    // The test clock stands still: the steps share a time, so compare them as a set.
    expect((await auditSteps(req.request.id)).sort()).toEqual(['containment_answer:UAPPROVER1', 'containment_approve:UAPPROVER1', 'containment_call:UAPPROVER1', 'containment_request:UREQUESTER1']);
  });

  it('hostile: the requester cannot approve their own request (refused and audited); nothing is called', async () => {
    const exec = new CountingExecutor();
    const s = service(exec);
    const req = await ask(s);
    if (!req.done) throw new Error(req.reason);
    expect(await s.approve(req.request.id, 'UREQUESTER1')).toMatchObject({ done: false, reason: expect.stringMatching(/requester cannot approve/) });
    expect(exec.calls).toEqual([]);
    expect(await auditSteps(req.request.id)).toContain('containment_denied:UREQUESTER1');
  });

  it('single-approver mode, only when set, lets the requester approve', async () => {
    const exec = new CountingExecutor();
    const s = service(exec, { singleApprover: true });
    const req = await ask(s);
    if (!req.done) throw new Error(req.reason);
    expect(await s.approve(req.request.id, 'UREQUESTER1')).toMatchObject({ done: true, request: { status: 'done' } });
    expect(exec.calls).toHaveLength(1);
  });

  it('hostile: someone outside the approver group can neither request nor approve', async () => {
    const exec = new CountingExecutor();
    const s = service(exec);
    expect(await s.request({ alertKey: 'k'.repeat(32), alertId: 'alert-1', plan, by: 'UOUTSIDER1', channel: 'C1', threadTs: '1.1' })).toMatchObject({ done: false });
    const req = await ask(s);
    if (!req.done) throw new Error(req.reason);
    expect(await s.approve(req.request.id, 'UOUTSIDER1')).toMatchObject({ done: false, reason: expect.stringMatching(/approver group/) });
    expect(exec.calls).toEqual([]);
  });

  it('hostile: two approvals at once (a double click, a replay) call exactly once', async () => {
    const exec = new CountingExecutor();
    const s = service(exec);
    const req = await ask(s);
    if (!req.done) throw new Error(req.reason);
    const results = await Promise.all([s.approve(req.request.id, 'UAPPROVER1'), s.approve(req.request.id, 'UAPPROVER2'), s.approve(req.request.id, 'UAPPROVER1')]);
    expect(results.filter((r) => r.done)).toHaveLength(1);
    expect(exec.calls).toHaveLength(1);
    // A replay long after: still refused, still audited.
    expect(await s.approve(req.request.id, 'UAPPROVER2')).toMatchObject({ done: false, reason: expect.stringMatching(/already done: nothing was called again/) });
    expect((await auditSteps(req.request.id)).filter((a) => a.startsWith('containment_denied'))).toHaveLength(3);
  });

  it('hostile: an approval after the TTL is refused, the request expired and audited', async () => {
    const exec = new CountingExecutor();
    const s = service(exec, { approvalTtlMs: 60_000 });
    const req = await ask(s);
    if (!req.done) throw new Error(req.reason);
    clock = new Date(clock.getTime() + 61_000);
    expect(await s.approve(req.request.id, 'UAPPROVER1')).toMatchObject({ done: false, reason: expect.stringMatching(/expired/) });
    expect(exec.calls).toEqual([]);
    expect(await auditSteps(req.request.id)).toContain('containment_expire:UAPPROVER1');
  });

  it('the sweeper expires pending requests past their time once, and audits it', async () => {
    const s = service(new CountingExecutor(), { approvalTtlMs: 60_000 });
    const req = await ask(s);
    if (!req.done) throw new Error(req.reason);
    clock = new Date(clock.getTime() + 61_000);
    const [first, second] = await Promise.all([s.expireDue(), s.expireDue()]);
    expect([...first, ...second].map((r) => r.id)).toEqual([req.request.id]);
    expect(await auditSteps(req.request.id)).toContain('containment_expire:system');
  });

  it('a failed call is recorded with its reason and can be retried once per click; refuse ends it', async () => {
    const exec = new CountingExecutor();
    exec.answers.push({ ok: false, reason: 'IAM throttled the call', retryable: true });
    const s = service(exec);
    const req = await ask(s);
    if (!req.done) throw new Error(req.reason);
    expect(await s.approve(req.request.id, 'UAPPROVER1')).toMatchObject({ done: true, request: { status: 'failed', result: { ok: false, reason: 'IAM throttled the call' } } });
    const retries = await Promise.all([s.retry(req.request.id, 'UAPPROVER2'), s.retry(req.request.id, 'UAPPROVER2')]);
    expect(retries.filter((r) => r.done)).toHaveLength(1);
    expect(exec.calls).toHaveLength(2);
    expect(await s.refuse(req.request.id, 'UAPPROVER1')).toMatchObject({ done: false });
  });

  it('undo (AWS) once, audited; dry-run shows and audits without calling', async () => {
    const exec = new CountingExecutor();
    const s = service(exec);
    const req = await ask(s);
    if (!req.done) throw new Error(req.reason);
    await s.approve(req.request.id, 'UAPPROVER1');
    const undos = await Promise.all([s.undo(req.request.id, 'UAPPROVER2'), s.undo(req.request.id, 'UAPPROVER2')]);
    expect(undos.filter((u) => u.done)).toHaveLength(1);
    expect(exec.undos).toBe(1);
    expect(await auditSteps(req.request.id)).toEqual(expect.arrayContaining(['containment_undo:UAPPROVER2', 'containment_undo_answer:UAPPROVER2']));

    const dry = new CountingExecutor();
    const d = service(dry, { mode: 'dry-run' });
    const r2 = await ask(d);
    if (!r2.done) throw new Error(r2.reason);
    expect(await d.approve(r2.request.id, 'UAPPROVER1')).toMatchObject({ done: true, request: { status: 'done', mode: 'dry-run', result: { ok: true, answer: expect.stringMatching(/dry run: nothing was called/) } } });
    expect(dry.calls).toEqual([]);
    expect(await auditSteps(r2.request.id)).toContain('containment_call:UAPPROVER1');
  });

  it('mode off refuses requests; an unknown or malformed request id is refused and audited', async () => {
    const off = service(new CountingExecutor(), { mode: 'off' });
    expect(await ask(off)).toMatchObject({ done: false, reason: expect.stringMatching(/off/) });
    const s = service(new CountingExecutor());
    expect(await s.approve('{"roleArn":"arn:aws:iam::111122223333:role/Admin"}', 'UAPPROVER1')).toMatchObject({ done: false, reason: 'no such containment request' });
    await cluster.es.indices.refresh({ index: cluster.indices.dispositions });
    const denied = await cluster.es.count({ index: cluster.indices.dispositions, query: { bool: { filter: [{ term: { action: 'containment_denied' } }, { term: { actor: 'UAPPROVER1' } }] } } });
    expect(denied.count).toBeGreaterThan(0);
  });
});
