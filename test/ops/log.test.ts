// Everything the processes log goes through our logger: one JSON line each, secrets redacted. That includes
// the Slack SDK (Bolt, the Web API client) and the error events of BullMQ and ioredis.
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, describe, expect, it } from 'vitest';
import { Audit } from '../../src/audit/audit.js';
import { createElasticClient } from '../../src/evidence/elastic/client.js';
import { MemoryAlertLookup } from '../../src/evidence/memory/alerts.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { errorEventLogger, slackSdkLogger, type Log } from '../../src/ops/log.js';
import { Metrics } from '../../src/ops/metrics.js';
import { createSlackApp } from '../../src/app/app.js';
import { testRedis } from '../support/redis.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';

/** What the code under test writes to stderr, as parsed lines. */
async function stderrOf(run: () => unknown): Promise<Array<{ level: string; component: string; msg: string }>> {
  const written: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    await run();
  } finally {
    process.stderr.write = write;
  }
  return written.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: string; component: string; msg: string });
}

const redis = testRedis('log');
let fake: FakeSlack | undefined;
afterAll(async () => {
  await redis.cleanup();
  await fake?.close();
});

describe('logging', () => {
  it('the Slack SDK logger writes JSON lines at or above its level, naming the SDK part', async () => {
    const logger = slackSdkLogger('info', 'worker');
    const lines = await stderrOf(() => {
      logger.debug('not shown');
      logger.setName('web-api:WebClient:0');
      logger.warn('rate limited', { retryAfter: 3 }, new Error('ratelimited'));
      logger.setLevel(LogLevel.ERROR);
      logger.warn('not shown either');
      logger.error('failed');
    });
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', component: 'worker/web-api:WebClient:0', msg: 'rate limited {"retryAfter":3} Error: ratelimited' }),
      expect.objectContaining({ level: 'error', component: 'worker/web-api:WebClient:0', msg: 'failed' }),
    ]);
    expect(logger.getLevel()).toBe(LogLevel.ERROR);
  });

  it('a WebClient given the logger logs through it', async () => {
    const lines = await stderrOf(() => new WebClient('xoxb-log-test', { logger: slackSdkLogger('debug', 'worker') }));
    expect(lines.some((l) => l.component === 'worker' && l.level === 'debug' && l.msg === 'initialized')).toBe(true);
  });

  it("the Slack app's Bolt logs through our logger", async () => {
    fake = await startFakeSlack();
    const apiUrl = fake.apiUrl;
    const lines = await stderrOf(() =>
      createSlackApp(
        { mode: 'http', botToken: 'xoxb-log-test', apiUrl, signingSecret: 'log-secret', alertChannels: ['C0ALERTS'], alertPosters: [], responderUsers: [], logLevel: 'debug' },
        {
          queue: redis.queue,
          state: redis.state,
          alerts: new MemoryAlertLookup(new MemoryDocuments([])),
          audit: new Audit(createElasticClient({ ELASTICSEARCH_URL: 'http://127.0.0.1:9' }), { verdicts: 'v', dispositions: 'd' }),
          metrics: new Metrics(redis.queue),
          log: () => undefined,
        },
      ),
    );
    expect(lines.find((l) => l.msg.includes('Initializing HTTPReceiver'))).toMatchObject({ level: 'debug', component: 'slack-app' });
  });

  it('error events are logged once a minute per message, with a count of the ones held back', () => {
    const logged: string[] = [];
    const log: Log = (level, msg) => logged.push(`${level}: ${msg}`);
    let clock = 0;
    const onError = errorEventLogger(log, 60_000, () => clock);
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    onError('redis')(refused);
    onError('redis')(refused);
    onError('queue')(refused);
    clock += 59_999;
    onError('redis')(refused);
    clock += 1;
    onError('redis')(refused);
    expect(logged).toEqual([
      'error: redis: connect ECONNREFUSED 127.0.0.1:6379',
      'error: queue: connect ECONNREFUSED 127.0.0.1:6379',
      'error: redis: connect ECONNREFUSED 127.0.0.1:6379 (2 more like it since)',
    ]);
  });
});
