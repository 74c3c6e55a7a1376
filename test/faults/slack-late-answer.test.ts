// Fault: Slack does the work but answers too late. A proxy the test controls passes chat.postMessage on at
// once (Slack creates the message) and holds Slack's answer back past the client's timeout. chat.postMessage
// has no idempotency key, so a retried post would be a second message. Posts are therefore made once, marked
// with metadata, and a post that may have landed unanswered is looked for in the thread and adopted (or
// withdrawn) instead of repeated (see RELIABILITY.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryQueue, deliveryJobId } from '../../src/queue/queue.js';
import { alertKey } from '../../src/queue/state.js';
import { SLACK_REQUEST_TIMEOUT_MS } from '../../src/slack/client.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { cliEnv } from '../support/cli.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { ALERT_CHANNEL, printFigures, seconds, startFaultApp, startInProcessWorker, threadRecord, type FaultApp, type InProcessWorker, type ThreadRecord } from '../support/fault-app.js';
import { startFaultyHttp, type FaultyHttp } from '../support/http-faults.js';
import { testRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const KEY = 'ASIALATESLACK000001';
// The worker's Slack client gets a test-sized timeout (production: SLACK_REQUEST_TIMEOUT_MS, 10 s); the app's keeps production's.
const WORKER_SLACK_TIMEOUT_MS = 1000;
const awsAlert = (id: string) => ({ id, type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: KEY, instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1' });

const redis = testRedis('faults-slack');
let fake: FakeSlack;
let cluster: TestCluster;
let toSlackFromApp: FaultyHttp;
let toSlackFromWorker: FaultyHttp;
let app: FaultApp;
let worker: InProcessWorker | undefined;
const deliveries = createDeliveryQueue(redis.connection, redis.prefix);

beforeAll(async () => {
  [fake, cluster] = await Promise.all([startFakeSlack({ responders: [] }), testCluster()]);
  const report = await cluster.load([keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }), keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux })]);
  expect(report.rejected).toEqual([]);
  [toSlackFromApp, toSlackFromWorker] = await Promise.all([startFaultyHttp(fake.url), startFaultyHttp(fake.url)]);
  app = await startFaultApp({ fake, connection: redis.connection, prefix: redis.prefix, elasticsearchUrl: ELASTICSEARCH_URL, indices: cluster.indices, slackApiUrl: `${toSlackFromApp.url}/api/` });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await app?.close();
  await deliveries.close();
  await redis.cleanup();
  await Promise.all([toSlackFromApp?.close(), toSlackFromWorker?.close()]);
  await Promise.all([fake?.close(), cluster?.cleanup()]);
});

const delivered = (id: string) => waitFor(`the delivery of ${id} finished`, async () => (await deliveries.getJob(deliveryJobId(alertKey(id), 0)))?.finishedOn !== undefined, { timeoutMs: 30_000 });

describe('Slack answering chat.postMessage after the client gave up', () => {
  let verdictPost: ThreadRecord | undefined;
  let statusPost: ThreadRecord | undefined;
  const figures: Record<string, string | number> = {};

  it('the verdict post (no status message to update) is answered late: the post that landed is adopted, not repeated', async () => {
    // The alert's "Investigating…" post is refused, so the worker must post the verdict rather than update it.
    fake.failNext.set('chat.postMessage', ['internal_error']);
    const thread = await app.postAlert(awsAlert('late-verdict-post'));
    await waitFor('the status post refused', () => fake.refusedOf('chat.postMessage').some((c) => c.args['thread_ts'] === thread));
    toSlackFromWorker.fault = { kind: 'late-answer', ms: WORKER_SLACK_TIMEOUT_MS + 500, path: '/api/chat.postMessage', times: 1 };
    worker = startInProcessWorker({ connection: redis.connection, prefix: redis.prefix, fake, env: cliEnv(cluster, ELASTICSEARCH_URL), slackApiUrl: `${toSlackFromWorker.url}/api/`, slackTimeoutMs: WORKER_SLACK_TIMEOUT_MS });
    await delivered('late-verdict-post');
    verdictPost = threadRecord(fake, thread);
    expect(verdictPost.verdictMessages.length).toBeGreaterThan(0);
    // Posts are made once: the delivery is retried by its queue, which finds the post that landed and adopts it.
    expect(toSlackFromWorker.requests.filter((r) => r.path === '/api/chat.postMessage').map((r) => r.outcome)).toEqual(['answered late']);
    expect(toSlackFromWorker.requests.some((r) => r.path === '/api/conversations.replies')).toBe(true);
    figures['verdict post answered late: verdict messages in the thread'] = verdictPost.verdictMessages.length;
  });

  it('the verdict appears once', () => {
    expect(verdictPost).toBeDefined();
    expect(verdictPost!.verdictMessages).toHaveLength(1);
  });

  it('the "Investigating…" post is answered late (production timeout): it is adopted or withdrawn, never repeated', async () => {
    toSlackFromApp.fault = { kind: 'late-answer', ms: SLACK_REQUEST_TIMEOUT_MS + 1000, path: '/api/chat.postMessage', times: 1 };
    const started = Date.now();
    const from = toSlackFromApp.requests.length;
    const thread = await app.postAlert(awsAlert('late-status-post'));
    // The app's intake is done once it has added its eyes to the alert (after its status post, retries included).
    await waitFor('the intake done', () => fake.callsOf('reactions.add').some((c) => c.args['timestamp'] === thread && c.args['name'] === 'eyes'), { timeoutMs: SLACK_REQUEST_TIMEOUT_MS + 10_000 });
    await delivered('late-status-post');
    statusPost = await waitFor('the verdict shown', () => {
      const r = threadRecord(fake, thread);
      return r.verdictMessages.length > 0 ? r : undefined;
    });
    // Made once: no second "Investigating…"; the one that landed unanswered is found in the thread.
    expect(toSlackFromApp.requests.slice(from).filter((r) => r.path === '/api/chat.postMessage').map((r) => r.outcome)).toEqual(['answered late']);
    expect(statusPost.verdictMessages).toHaveLength(1);
    figures['status post answered late: messages left saying "Investigating…"'] = statusPost.statusMessages.length;
    figures['status post answered late: time to the intake finishing'] = seconds(Date.now() - started);
  }, SLACK_REQUEST_TIMEOUT_MS + 30_000);

  it('no message is left saying "Investigating…" once the verdict is out', () => {
    expect(statusPost).toBeDefined();
    expect(statusPost!.statusMessages).toEqual([]);
  });

  afterAll(() => {
    const bot = fake.callsOf('chat.postMessage').filter((c) => c.args['channel'] === ALERT_CHANNEL);
    printFigures('Slack answering chat.postMessage after the client timeout', { 'alerts in': 2, 'bot messages posted': bot.length, ...figures });
  });
});
