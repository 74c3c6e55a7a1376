// Fault: Redis down while alerts arrive. The app acknowledges every event at once whatever Redis does (Bolt acks
// events before any listener runs; the intake's first Redis step is on a fail-fast connection), holds the alerts
// in a bounded buffer (4 here), drops the oldest beyond it, and retries with backoff. Once Redis is back the
// buffer drains and the catch-up reads the channel for what was dropped: every alert gets its verdict, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { failFastRedisConnection, redisConnection } from '../../src/queue/queue.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { cliEnv } from '../support/cli.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { printFigures, seconds, startFaultApp, startInProcessWorker, threadRecord, type FaultApp, type InProcessWorker } from '../support/fault-app.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { waitFor } from '../support/wait.js';

const KEY = 'ASIAREDISDOWN000001';
const PREFIX = '{triage-faults-redis-down}';
const BUFFER = 4;
/** Slack's deadline for an acknowledgement: later, it retries the delivery. */
const SLACK_ACK_DEADLINE_MS = 3000;
const awsAlert = (id: string) => ({ id, type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: KEY, instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1' });

let redis: PrivateRedis;
let connection: Redis;
let failFast: Redis;
let fake: FakeSlack;
let cluster: TestCluster;
let app: FaultApp;
let worker: InProcessWorker;
const logs: string[] = [];

beforeAll(async () => {
  [redis, fake, cluster] = await Promise.all([startPrivateRedis(), startFakeSlack({ responders: [] }), testCluster()]);
  const report = await cluster.load([keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }), keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux })]);
  expect(report.rejected).toEqual([]);
  connection = redisConnection(redis.url) as Redis;
  connection.on('error', () => undefined);
  failFast = failFastRedisConnection(redis.url) as Redis;
  failFast.on('error', () => undefined);
  app = await startFaultApp({ fake, connection, intakeConnection: failFast, bufferSize: BUFFER, prefix: PREFIX, elasticsearchUrl: ELASTICSEARCH_URL, indices: cluster.indices, catchUp: { start: true }, log: (l) => logs.push(l) });
  worker = startInProcessWorker({ connection, prefix: PREFIX, fake, env: cliEnv(cluster, ELASTICSEARCH_URL) });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await app?.close();
  connection?.disconnect();
  failFast?.disconnect();
  await redis?.destroy();
  await Promise.all([fake?.close(), cluster?.cleanup()]);
});

describe('Redis down while alerts arrive', () => {
  it('10 alerts while Redis is down: each acknowledged at once, held or dropped, and all 10 investigated once it is back', async () => {
    await waitFor('the first catch-up (the checkpoint)', () => app.catchUp.catchUp.last);
    await redis.shutdown();
    const ids = Array.from({ length: 10 }, (_, i) => `redis-down-${i}`);
    const threads: string[] = [];
    const ackMs: number[] = [];
    for (const id of ids) {
      const t0 = Date.now();
      threads.push(await app.postAlert(awsAlert(id)));
      ackMs.push(Date.now() - t0);
    }
    expect(Math.max(...ackMs)).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const held = await waitFor('the buffer full', () => (app.intake.buffer.stats.held === ids.length ? app.intake.buffer.stats : undefined));
    expect(held).toMatchObject({ size: BUFFER, dropped: ids.length - BUFFER, recovered: 0 });
    // Nothing reached Slack's threads while Redis was away: no status post, no malformed answer.
    expect(threads.every((ts) => fake.callsOf('chat.postMessage').every((c) => c.args['thread_ts'] !== ts))).toBe(true);

    await redis.start();
    const back = Date.now();
    const records = await waitFor(
      'every verdict',
      () => {
        const r = threads.map((ts) => threadRecord(fake, ts));
        return r.every((x) => x.verdictMessages.length > 0) ? r : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const recovered = Date.now() - back;
    for (const r of records) {
      expect(r.verdictMessages).toHaveLength(1);
      expect(r.verdictDeliveries).toHaveLength(1);
    }
    expect(app.intake.buffer.stats).toMatchObject({ size: 0, recovered: BUFFER });
    const found = await waitFor('the catch-up after Redis came back', () => {
      const last = app.catchUp.catchUp.last;
      return last && last.reason !== 'start' ? last.channels[0] : undefined;
    });
    expect(found).toMatchObject({ queued: ids.length - BUFFER });
    printFigures('Redis down while alerts arrive', {
      'alerts while Redis was down': ids.length,
      'slowest acknowledgement to Slack while Redis was down': `${Math.max(...ackMs)} ms`,
      'held in the buffer / dropped (buffer of 4)': `${BUFFER} / ${held.dropped}`,
      'recovered from the buffer once Redis was back': app.intake.buffer.stats.recovered,
      'found by the catch-up once Redis was back': found.queued,
      'verdicts out': records.length,
      'duplicate verdict messages or deliveries': records.reduce((n, r) => n + r.verdictMessages.length - 1 + r.verdictDeliveries.length - 1, 0),
      'Redis back → last verdict': seconds(recovered),
    });
  }, 120_000);
});
