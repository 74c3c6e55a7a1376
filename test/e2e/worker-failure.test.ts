// A job whose evidence source stays down: after its last attempt, the "Investigating…" message says
// why and offers Re-run, instead of spinning forever. Real Redis and BullMQ; Elasticsearch unreachable.
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Audit } from '../../src/audit/audit.js';
import { createElasticClient } from '../../src/evidence/elastic/client.js';
import { elasticSources } from '../../src/evidence/sources.js';
import { jobIdFor } from '../../src/queue/queue.js';
import { alertKey } from '../../src/queue/state.js';
import { testRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { startWorker } from '../../src/worker/worker.js';
import { ACTIONS } from '../../src/slack/render.js';
import { literalTexts, shownText } from '../support/blocks.js';
import type { EvidenceIndices } from '../../src/evidence/indices.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';

const redis = testRedis('fail');
const { connection, prefix, queue, state } = redis;
let fake: FakeSlack;
let worker: ReturnType<typeof startWorker>;

beforeAll(async () => {
  fake = await startFakeSlack();
  const dead = createElasticClient({ ELASTICSEARCH_URL: 'http://127.0.0.1:9' });
  const names = ['cloudtrail', 'okta', 'proxy', 'edrProcess', 'edrFile', 'edrNetwork', 'agentSightings', 'alerts', 'verdicts', 'dispositions'];
  const indices = Object.fromEntries(names.map((n) => [n, `x-${n}`])) as unknown as EvidenceIndices;
  worker = startWorker(connection, prefix, 1, {
    engine: { evidence: elasticSources(dead, indices), ipClassifier: async () => { throw new Error('not needed'); } },
    slack: new WebClient('xoxb-fail', { slackApiUrl: fake.apiUrl }),
    state,
    audit: new Audit(dead, { verdicts: 'v', dispositions: 'd' }),
  });
});

afterAll(async () => {
  await worker.close();
  await redis.cleanup();
  await fake.close();
});

describe('a job that keeps failing', () => {
  it('ends with a message naming the failure and a Re-run button', async () => {
    const alert = { id: 'fail-1', type: 'email.malicious', time: '2026-11-01T08:00:00Z', urls: ['https://evil.test/x'] };
    const key = alertKey(alert.id);
    fake.seedMessage('C0ALERTS', '1.000001');
    fake.seedMessage('C0ALERTS', '1.000002');
    await state.claim(key, { alertId: alert.id, raw: JSON.stringify(alert), channel: 'C0ALERTS', threadTs: '1.000001', messageTs: '1.000002', origin: 'integration' });
    await queue.add('investigate', { alertKey: key, run: 0 }, { jobId: jobIdFor(key, 0), attempts: 2, backoff: { type: 'fixed', delay: 100 } });
    const update = await waitFor('the failure message', () => fake.callsOf('chat.update').find((c) => c.args['ts'] === '1.000002'), { timeoutMs: 30_000 });
    // The service by name, never internals (the address it tried, the error code).
    const shown = shownText(update.args['blocks']);
    expect(shown).toContain('Could not investigate');
    expect(shown).toContain('Reason: Elasticsearch unreachable');
    expect(literalTexts(update.args['blocks'])).toContain('fail-1');
    expect(JSON.stringify(update.args)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|:9\b/);
    expect(JSON.stringify(update.args['blocks'])).toContain(ACTIONS.rerun);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(0);
  }, 40_000);
});
