// Fault: Redis restarted with jobs queued. A private redis-server (append-only, its own port and directory;
// the shared Redis is never touched) holds the queue. Alerts are queued through the app while no worker runs;
// Redis is shut down and started again on the same data; then worker processes start: every alert gets its
// verdict, once. Redis is restarted a second time under the running app and workers: both reconnect by
// themselves (ioredis) and the next alerts are investigated as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { redisConnection } from '../../src/queue/queue.js';
import { alertKey } from '../../src/queue/state.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { cliEnv } from '../support/cli.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { printFigures, seconds, startFaultApp, threadRecord, type FaultApp } from '../support/fault-app.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { waitFor } from '../support/wait.js';
import { startWorkerProcess, stopAll, type WorkerProcess } from '../support/worker-process.js';

const KEY = 'ASIAREDISRESTART001';
const PREFIX = '{triage-faults-redis}';
const awsAlert = (id: string) => ({ id, type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: KEY, instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1' });

let redis: PrivateRedis;
let connection: Redis;
let fake: FakeSlack;
let cluster: TestCluster;
let app: FaultApp;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  [redis, fake, cluster] = await Promise.all([startPrivateRedis(), startFakeSlack({ responders: [] }), testCluster()]);
  const report = await cluster.load([keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }), keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux })]);
  expect(report.rejected).toEqual([]);
  connection = redisConnection(redis.url) as Redis;
  app = await startFaultApp({ fake, connection, prefix: PREFIX, elasticsearchUrl: ELASTICSEARCH_URL, indices: cluster.indices });
}, 60_000);

afterAll(async () => {
  await stopAll(workers);
  await app?.close();
  connection?.disconnect();
  await redis?.destroy();
  await Promise.all([fake?.close(), cluster?.cleanup()]);
});

/** Posts alerts through the app; returns alert id → thread ts. */
async function post(ids: string[]): Promise<Map<string, string>> {
  const threads = new Map<string, string>();
  for (const id of ids) threads.set(id, await app.postAlert(awsAlert(id)));
  return threads;
}

async function allVerdicts(threads: Map<string, string>, timeoutMs = 40_000) {
  return waitFor(
    `verdicts of ${[...threads.keys()].join(', ')}`,
    () => {
      const records = [...threads.values()].map((ts) => threadRecord(fake, ts));
      return records.every((r) => r.verdictMessages.length > 0) ? records : undefined;
    },
    { timeoutMs },
  );
}

/**
 * Shuts Redis down and starts it on the same data (after `whileDown`, if given); returns when the app's own
 * connection answers again.
 */
async function restartRedis(whileDown?: () => Promise<void>): Promise<{ downFor: number; appReconnected: number }> {
  const t0 = Date.now();
  await redis.shutdown();
  await whileDown?.();
  await redis.start();
  const up = Date.now();
  await waitFor('the app reconnected to Redis', async () => (await connection.ping()) === 'PONG', { timeoutMs: 15_000, retryOnError: true });
  return { downFor: up - t0, appReconnected: Date.now() - up };
}

describe('Redis restarted with queued jobs', () => {
  it('loses no queued alert across a restart, and the app and workers reconnect by themselves', async () => {
    const first = ['redis-restart-1', 'redis-restart-2', 'redis-restart-3', 'redis-restart-4', 'redis-restart-5'];
    const queuedThreads = await post(first);
    // Queued, with their "Investigating…" posts, and nobody to take them.
    await waitFor('every alert queued', async () => (await app.queue.getJobCounts('waiting')).waiting === first.length);
    await waitFor('the status posts', () => [...queuedThreads.values()].every((ts) => fake.callsOf('chat.postMessage').some((c) => c.args['thread_ts'] === ts)));

    const restart1 = await restartRedis();
    // The append-only file brought every job and every alert's state back.
    expect((await app.queue.getJobCounts('waiting')).waiting).toBe(first.length);
    for (const id of first) expect((await app.state.get(alertKey(id)))?.alertId).toBe(id);

    const env = { ...cliEnv(cluster, ELASTICSEARCH_URL), REDIS_URL: redis.url, QUEUE_PREFIX: PREFIX, SLACK_API_URL: fake.apiUrl, SLACK_BOT_TOKEN: 'xoxb-faults', WORKER_CONCURRENCY: '2' };
    const workersStarted = Date.now();
    workers.push(startWorkerProcess('w1', env), startWorkerProcess('w2', env));
    const firstRecords = await allVerdicts(queuedThreads);
    const drained = Date.now() - workersStarted;
    for (const r of firstRecords) {
      expect(r.verdictMessages).toHaveLength(1);
      expect(r.verdictDeliveries).toHaveLength(1);
    }
    await waitFor('both workers registered', async () => (await app.queue.getWorkers()).length === 2, { timeoutMs: 15_000 });

    // Second restart, under the running app and workers; an alert arrives while Redis is down (the app's
    // connection holds its commands until Redis is back).
    let duringOutage = new Map<string, string>();
    let reconnecting = 0;
    connection.on('reconnecting', () => reconnecting++);
    const restart2 = await restartRedis(async () => {
      duringOutage = await post(['redis-restart-during']);
      // A real outage, not a blink: the app has tried and failed to reach Redis a few times.
      await waitFor('the app retrying Redis', () => reconnecting >= 4, { timeoutMs: 15_000 });
    });
    const second = ['redis-restart-6', 'redis-restart-7', 'redis-restart-8'];
    const posted = Date.now();
    const laterThreads = await post(second);
    const secondRecords = await allVerdicts(new Map([...duringOutage, ...laterThreads]));
    const afterRestart = Date.now() - posted;
    for (const r of secondRecords) expect(r.verdictMessages).toHaveLength(1);
    // The same two processes did it: neither died with the connection.
    expect(workers.every((w) => w.running)).toBe(true);
    await waitFor('both workers registered again', async () => (await app.queue.getWorkers()).length === 2, { timeoutMs: 15_000 });
    // A verdict can reach Slack a moment before its job is marked done (the audit is written after the delivery
    // is queued): wait for the jobs to finish, then count them.
    const total = first.length + duringOutage.size + second.length;
    const counts = await waitFor('every job finished', async () => {
      const c = await app.queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
      return (c['completed'] ?? 0) + (c['failed'] ?? 0) >= total ? c : undefined;
    }, { timeoutMs: 30_000 });
    expect(counts).toMatchObject({ completed: total, failed: 0, waiting: 0, active: 0, delayed: 0 });

    const all = [...firstRecords, ...secondRecords];
    printFigures('Redis restarted with queued jobs', {
      'alerts queued before the restart (no worker running)': first.length,
      'jobs found after the restart': first.length,
      'Redis down (SHUTDOWN → answering again)': seconds(restart1.downFor),
      'app reconnected after Redis was back': seconds(restart1.appReconnected),
      'worker processes start → all queued verdicts out': seconds(drained),
      'second restart under running app and workers: Redis down': `${seconds(restart2.downFor)} (${reconnecting} reconnection attempts by the app)`,
      'alerts while Redis was down, and after → verdicts out': `${duringOutage.size} + ${second.length} → ${secondRecords.length} in ${seconds(afterRestart)}`,
      'alerts in / verdicts out': `${all.length} / ${all.filter((r) => r.verdictMessages.length === 1).length}`,
      'duplicate verdict messages': all.reduce((n, r) => n + r.verdictMessages.length - 1, 0),
      'worker processes that exited': workers.filter((w) => !w.running).length,
    });
  }, 120_000);
});
