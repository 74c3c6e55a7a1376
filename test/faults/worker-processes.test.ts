// Faults of worker processes, run as production runs them (`node --import tsx src/worker/main.ts`): one is
// stopped (SIGTERM) or killed (SIGKILL) in the middle of its investigations. The investigations are caught
// mid-way deterministically: each worker reaches the (fake) Okta API through its own proxy, and worker A's proxy
// holds every request until the test releases it — so A has exactly its concurrency's worth of jobs in hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobIdFor } from '../../src/queue/queue.js';
import { alertKey } from '../../src/queue/state.js';
import { startFakeOkta, type FakeOkta } from '../fakes/okta-server.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { OKTA_SCENARIOS } from '../flows/okta-scenarios.js';
import { cliEnv } from '../support/cli.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { printFigures, seconds, startFaultApp, threadRecord, type FaultApp, type ThreadRecord } from '../support/fault-app.js';
import { startFaultyHttp, type FaultyHttp } from '../support/http-faults.js';
import { testRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { FAST_STALL_ENV, startWorkerProcess, stopAll, type WorkerProcess } from '../support/worker-process.js';

const scenario = OKTA_SCENARIOS.find((s) => s.name.startsWith('O8: mystery IP flagged'))!;
const CONCURRENCY = 2;
const redis = testRedis('faults-proc');
let fake: FakeSlack;
let okta: FakeOkta;
let cluster: TestCluster;
let app: FaultApp;
const processes: WorkerProcess[] = [];
const proxies: FaultyHttp[] = [];

beforeAll(async () => {
  [fake, okta, cluster] = await Promise.all([startFakeSlack({ responders: [] }), startFakeOkta({ events: scenario.events, users: [scenario.user] }), testCluster()]);
  app = await startFaultApp({ fake, connection: redis.connection, prefix: redis.prefix, elasticsearchUrl: ELASTICSEARCH_URL, indices: cluster.indices });
}, 60_000);

afterAll(async () => {
  await stopAll(processes);
  await app?.close();
  await redis.cleanup();
  await Promise.all(proxies.map((p) => p.close()));
  await Promise.all([fake?.close(), okta?.close(), cluster?.cleanup()]);
});

/** A worker process whose Okta requests pass through its own proxy (held from the start when asked). */
async function worker(name: string, opts: { hold: boolean }): Promise<{ process: WorkerProcess; okta: FaultyHttp }> {
  const proxy = await startFaultyHttp(okta.url);
  proxies.push(proxy);
  if (opts.hold) proxy.fault = { kind: 'hold' };
  const env = {
    ...cliEnv(cluster, ELASTICSEARCH_URL),
    ...FAST_STALL_ENV,
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: redis.prefix,
    SLACK_API_URL: fake.apiUrl,
    SLACK_BOT_TOKEN: 'xoxb-faults',
    OKTA_ORG_URL: proxy.url,
    OKTA_API_TOKEN: okta.token,
    WORKER_CONCURRENCY: String(CONCURRENCY),
  };
  const p = startWorkerProcess(name, env);
  processes.push(p);
  return { process: p, okta: proxy };
}

/** Investigations started: each begins by looking the user up in Okta. */
const userLookups = (proxy: FaultyHttp) => proxy.requests.filter((r) => r.path.startsWith(`/api/v1/users/${scenario.user.id}`) && !r.path.endsWith('/factors')).length;

async function postAll(ids: string[]): Promise<Map<string, string>> {
  const threads = new Map<string, string>();
  for (const id of ids) threads.set(id, await app.postAlert({ ...scenario.alert, id }));
  return threads;
}

async function verdicts(threads: Map<string, string>, timeoutMs: number): Promise<ThreadRecord[]> {
  return waitFor(
    'a verdict for every alert',
    () => {
      const records = [...threads.values()].map((ts) => threadRecord(fake, ts));
      return records.every((r) => r.verdictMessages.length > 0) ? records : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

async function expectOneVerdictEach(ids: string[], records: ThreadRecord[]): Promise<void> {
  for (const r of records) {
    expect(r.verdictMessages).toHaveLength(1);
    expect(r.verdictDeliveries).toHaveLength(1);
  }
  for (const id of ids) {
    const state = await app.state.get(alertKey(id));
    expect(state?.verdict?.verdict).toBe(scenario.expect.verdict);
    expect(state?.verdict?.score).toBe(scenario.expect.score);
  }
  // One audit record per alert run, whoever ran it and however often it was started.
  await cluster.es.indices.refresh({ index: cluster.indices.verdicts });
  const audit = await cluster.es.search({ index: cluster.indices.verdicts, size: 100, query: { terms: { alert_id: ids } } });
  expect(audit.hits.hits.map((h) => (h._source as { job_id: string }).job_id).sort()).toEqual(ids.map((id) => jobIdFor(alertKey(id), 0)).sort());
}

const duplicates = (records: ThreadRecord[]) => records.reduce((n, r) => n + r.verdictMessages.length - 1, 0);

describe('worker processes stopped or killed mid-investigation', () => {
  it('SIGTERM: the jobs in hand finish in the stopping process, the queued ones go to another; none lost', async () => {
    const ids = ['sigterm-1', 'sigterm-2', 'sigterm-3', 'sigterm-4'];
    const a = await worker('A', { hold: true });
    const threads = await postAll(ids);
    // A holds two investigations (its concurrency) at Okta; two jobs wait in the queue.
    await waitFor('A with its jobs in hand', () => a.okta.held === CONCURRENCY, { timeoutMs: 30_000 });
    expect((await app.queue.getJobCounts('waiting')).waiting).toBe(ids.length - CONCURRENCY);

    const stoppedAt = Date.now();
    a.process.kill('SIGTERM');
    const b = await worker('B', { hold: false });
    // B takes the queued two; A, stopping, takes nothing new.
    await waitFor('B with the queued jobs', () => userLookups(b.okta) === ids.length - CONCURRENCY, { timeoutMs: 30_000 });
    expect(a.process.running).toBe(true);

    // Okta answers: A finishes what it had in hand, then leaves.
    a.okta.release();
    const exit = await a.process.exited;
    const drained = Date.now() - stoppedAt;
    expect(exit).toEqual({ code: 0, signal: null });
    const records = await verdicts(threads, 30_000);
    await expectOneVerdictEach(ids, records);
    // Nobody ran an investigation twice: A started two, B two.
    expect(userLookups(a.okta)).toBe(CONCURRENCY);
    expect(userLookups(b.okta)).toBe(ids.length - CONCURRENCY);
    const jobs = await waitFor('every job finished', async () => {
      const js = await Promise.all(ids.map((id) => app.queue.getJob(jobIdFor(alertKey(id), 0))));
      return js.every((j) => j?.finishedOn !== undefined) ? js : undefined;
    }, { timeoutMs: 30_000 });
    expect(jobs.map((j) => j?.finishedOn !== undefined && j.stalledCounter === 0)).toEqual(ids.map(() => true));

    b.process.kill('SIGTERM');
    expect(await b.process.exited).toEqual({ code: 0, signal: null });
    printFigures('SIGTERM during work', {
      'alerts in': ids.length,
      'jobs in hand at SIGTERM': CONCURRENCY,
      'finished by the stopping process': userLookups(a.okta),
      'taken from the queue by the other process': userLookups(b.okta),
      'verdicts out': records.length,
      'duplicate verdict messages': duplicates(records),
      'exit code of the stopped process': String(exit.code),
      'SIGTERM → exit (includes the test holding Okta until B had its jobs)': seconds(drained),
    });
  }, 90_000);

  it('SIGKILL: another worker process takes over the killed one\'s jobs; exactly one verdict message each', async () => {
    const ids = ['sigkill-1', 'sigkill-2', 'sigkill-3', 'sigkill-4'];
    const a = await worker('A', { hold: true });
    const threads = await postAll(ids);
    await waitFor('A with its jobs in hand', () => a.okta.held === CONCURRENCY, { timeoutMs: 30_000 });
    const b = await worker('B', { hold: false });
    await waitFor('B with the queued jobs', () => userLookups(b.okta) === ids.length - CONCURRENCY, { timeoutMs: 30_000 });

    const killedAt = Date.now();
    a.process.kill('SIGKILL');
    expect((await a.process.exited).signal).toBe('SIGKILL');
    // BullMQ's stalled-job check hands A's jobs to B once A's locks expire (lockDuration 60 s, checks every 30 s).
    const records = await verdicts(threads, 150_000);
    const recovered = Date.now() - killedAt;
    await expectOneVerdictEach(ids, records);
    // B ran all four: the two it took from the queue and the two A held when it died.
    expect(userLookups(b.okta)).toBe(ids.length);
    // A verdict can reach Slack a moment before its job is marked done (the audit follows the delivery): wait.
    const jobs = await waitFor('every job finished', async () => {
      const js = await Promise.all(ids.map((id) => app.queue.getJob(jobIdFor(alertKey(id), 0))));
      return js.every((j) => j?.finishedOn !== undefined) ? js : undefined;
    }, { timeoutMs: 30_000 });
    expect(jobs.filter((j) => j?.stalledCounter === 1)).toHaveLength(CONCURRENCY);
    expect(jobs.every((j) => j?.finishedOn !== undefined && !j.failedReason)).toBe(true);
    // Each alert's thread: its "Investigating…" post, turned into the verdict; nothing posted twice.
    for (const ts of threads.values()) expect(fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === ts)).toHaveLength(1);

    printFigures('A worker process SIGKILLed mid-investigation', {
      'alerts in': ids.length,
      'jobs in hand of the killed process': CONCURRENCY,
      'taken over by the other process': jobs.filter((j) => j?.stalledCounter === 1).length,
      'verdicts out': records.length,
      'duplicate verdict messages': duplicates(records),
      'audit records': ids.length,
      'SIGKILL → last verdict (time to recover)': seconds(recovered),
    });
  }, 200_000);
});
