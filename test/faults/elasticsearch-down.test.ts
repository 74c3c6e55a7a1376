// Fault: Elasticsearch down past the retry budget, then back. A TCP proxy the test controls stands in front
// of the shared test node; the app and the worker know only the proxy's address. While it refuses
// connections, every attempt fails at once (no retries inside an attempt: the queue's backoff carries the
// alert over the downtime) and the alert's message ends as "Could not investigate" with Re-run;
// once it listens again, a responder's Re-run (a signed block_actions through the app) yields the verdict,
// in the same message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_OPTIONS, jobIdFor } from '../../src/queue/queue.js';
import { alertKey } from '../../src/queue/state.js';
import { ACTIONS } from '../../src/slack/render.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { shownText } from '../support/blocks.js';
import { cliEnv } from '../support/cli.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { printFigures, seconds, startFaultApp, startInProcessWorker, threadRecord, type FaultApp, type InProcessWorker } from '../support/fault-app.js';
import { testRedis } from '../support/redis.js';
import { hostPort, startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';

const KEY = 'ASIAESDOWN000000001';
// Production's five attempts, with the backoff scaled down from 2 s to 0.2 s so the suite stays fast.
const JOBS = { ...JOB_OPTIONS, backoff: { type: 'exponential', delay: 200 } } as const;
const ALERTS = ['es-down-1', 'es-down-2', 'es-down-3'];
const awsAlert = (id: string) => ({ id, type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: KEY, instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1' });

const redis = testRedis('faults-es', JOBS);
let fake: FakeSlack;
let cluster: TestCluster;
let proxy: TcpProxy;
let app: FaultApp;
let worker: InProcessWorker;

beforeAll(async () => {
  [fake, cluster, proxy] = await Promise.all([startFakeSlack({ responders: [] }), testCluster(), startTcpProxy(hostPort(ELASTICSEARCH_URL))]);
  const report = await cluster.load([keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }), keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux })]);
  expect(report.rejected).toEqual([]);
  app = await startFaultApp({ fake, connection: redis.connection, prefix: redis.prefix, elasticsearchUrl: proxy.url, indices: cluster.indices, jobOptions: JOBS });
  // The worker as src/worker/main.ts wires it (four at a time), with Elasticsearch behind the proxy.
  worker = startInProcessWorker({ connection: redis.connection, prefix: redis.prefix, fake, env: cliEnv(cluster, proxy.url) });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await app?.close();
  await redis.cleanup();
  await proxy?.close();
  await Promise.all([fake?.close(), cluster?.cleanup()]);
});

describe('Elasticsearch down past the retry budget, then back', () => {
  it('shows the failure with Re-run; after Elasticsearch is back, Re-run yields the verdict in the same message', async () => {
    await proxy.down();
    const started = Date.now();
    const threads = new Map<string, string>();
    for (const id of ALERTS) threads.set(id, await app.postAlert(awsAlert(id)));

    // Every attempt fails; after the last one the status message says why and offers Re-run.
    const failures = await waitFor(
      'a failure message in every thread',
      () => {
        const found = ALERTS.map((id) => threadRecord(fake, threads.get(id)!).failureMessages[0]);
        return found.every((ts) => ts !== undefined) ? (found as string[]) : undefined;
      },
      // Five attempts that fail at once, with 3 s of scaled backoff between them; generous for a busy machine.
      { timeoutMs: 60_000 },
    );
    const timeToFailure = Date.now() - started;
    const lastAttemptMs: number[] = [];
    for (const [i, id] of ALERTS.entries()) {
      const job = await app.queue.getJob(jobIdFor(alertKey(id), 0));
      expect(await job?.getState()).toBe('failed');
      expect(job?.attemptsMade).toBe(JOBS.attempts);
      // The last attempt, from taken to failed: a refused connection ends it at once (it took ~15 s when the
      // client retried each search with its own backoff). A bound for the behaviour, generous for a busy machine.
      const attemptMs = (job?.finishedOn ?? Infinity) - (job?.processedOn ?? 0);
      expect(attemptMs).toBeLessThan(5000);
      lastAttemptMs.push(attemptMs);
      const shown = fake.allCalls.filter((c) => !c.error && c.method === 'chat.update' && c.args['ts'] === failures[i]).map((c) => c.args['blocks']);
      const last = shown.at(-1);
      expect(shownText(last)).toContain('Reason: Elasticsearch unreachable');
      expect(JSON.stringify(last)).toContain(ACTIONS.rerun);
      // Nothing about the proxy's address reaches Slack.
      expect(JSON.stringify(last)).not.toContain(String(proxy.port));
    }

    await proxy.up();
    const back = Date.now();
    const acceptedBefore = proxy.accepted;
    for (const [i, id] of ALERTS.entries()) {
      const res = await app.click(ACTIONS.rerun, alertKey(id), failures[i]!);
      expect(res.status).toBe(200);
    }
    const records = await waitFor(
      'a verdict in every thread',
      () => {
        const all = ALERTS.map((id) => threadRecord(fake, threads.get(id)!));
        return all.every((r) => r.verdictMessages.length > 0) ? all : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const timeToVerdict = Date.now() - back;
    // The evidence came through the proxy: the outage was real for the worker.
    expect(proxy.accepted).toBeGreaterThan(acceptedBefore);
    for (const [i, id] of ALERTS.entries()) {
      const r = records[i]!;
      // The failure message became the verdict: one message, no leftover failure, no second post.
      expect(r.verdictMessages).toEqual([failures[i]]);
      expect(r.failureMessages).toEqual([]);
      expect(r.verdictDeliveries).toHaveLength(1);
      const state = await app.state.get(alertKey(id));
      expect(state?.verdict?.verdict).toBe('malicious');
      expect(state?.verdictRun).toBe(1);
    }
    // One audit record per alert: the re-run's (the failed run wrote none). The audit is written just after the
    // verdict's delivery is queued, so it may land a moment after the message.
    const audit = await waitFor(
      'the audit records',
      async () => {
        await cluster.es.indices.refresh({ index: cluster.indices.verdicts });
        const r = await cluster.es.search({ index: cluster.indices.verdicts, size: 50, query: { terms: { alert_id: ALERTS } } });
        return r.hits.hits.length >= ALERTS.length ? r : undefined;
      },
      { retryOnError: true, timeoutMs: 15_000 },
    );
    expect(audit.hits.hits.map((h) => (h._source as { job_id: string }).job_id).sort()).toEqual(ALERTS.map((id) => jobIdFor(alertKey(id), 1)).sort());

    printFigures('Elasticsearch down past the retry budget, then back', {
      'alerts in': ALERTS.length,
      'attempts per alert while down': JOBS.attempts,
      'failure messages with Re-run': failures.length,
      'time from alert to failure message (scaled backoff 0.2–1.6 s)': seconds(timeToFailure),
      'last attempt, taken to failed (longest)': `${Math.max(...lastAttemptMs)} ms`,
      'Re-run clicks after Elasticsearch is back': ALERTS.length,
      'verdicts out': records.filter((r) => r.verdictMessages.length === 1).length,
      'duplicate verdict messages': records.reduce((n, r) => n + r.verdictMessages.length - 1, 0),
      'audit records': audit.hits.hits.length,
      'time from Elasticsearch back (and Re-run) to verdict': seconds(timeToVerdict),
    });
  }, 240_000);
});
