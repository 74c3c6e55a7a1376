// Slack's retries: the Events API delivers an event again (X-Slack-Retry-Num) when our answer was slow or lost;
// each delivery is acknowledged, and the message is answered once — one status post, one job, one "cannot be read".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { jobIdFor } from '../../src/queue/queue.js';
import { e2eAwsAlert } from '../support/alerts.js';
import { CHANNELS, startHarness, type Harness } from './harness.js';

let h: Harness;
let seq = 0;
const nextTs = () => `1750500000.${String(++seq).padStart(6, '0')}`;
const message = (ts: string, text: string) => ({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts, text });
const threadPosts = (ts: string) => h.fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === ts);

beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => h?.close());

describe("Slack's retries", () => {
  it('an alert delivered again with X-Slack-Retry-Num is acknowledged and answered once', async () => {
    const ts = nextTs();
    const text = `\`\`\`${JSON.stringify(e2eAwsAlert('retry-1', 'ASIARETRY0000000001'))}\`\`\``;
    expect((await h.event(message(ts, text))).status).toBe(200);
    const eventId = h.lastEventId();
    await h.waitFor('the status post', () => threadPosts(ts).length > 0);
    for (const retryNum of [1, 2, 3]) expect((await h.event(message(ts, text), { eventId, retryNum })).status).toBe(200);
    await h.verdictOf('retry-1');
    // Give the retries time to have done something, were they to.
    await new Promise((r) => setTimeout(r, 500));
    expect(threadPosts(ts)).toHaveLength(1);
    expect(h.fake.callsOf('reactions.add').filter((c) => c.args['timestamp'] === ts && c.args['name'] === 'eyes')).toHaveLength(1);
    expect((await h.state.get(alertKey('retry-1')))?.runs).toBe(0);
  });

  it('retries arriving while the first delivery is still being handled change nothing', async () => {
    const ts = nextTs();
    const text = `\`\`\`${JSON.stringify(e2eAwsAlert('retry-concurrent', 'ASIARETRY0000000002'))}\`\`\``;
    // A slow Slack holds the first delivery's status post; Slack, not hearing back in 3 s, would retry meanwhile.
    h.fake.delayMs.set('chat.postMessage', 400);
    try {
      const first = h.event(message(ts, text));
      const retries = [1, 2].map(async (retryNum) => {
        await new Promise((r) => setTimeout(r, 50 * retryNum));
        return h.event(message(ts, text), { eventId: 'EvConcurrent', retryNum });
      });
      const answers = await Promise.all([first, ...retries]);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      await h.verdictOf('retry-concurrent');
    } finally {
      h.fake.delayMs.delete('chat.postMessage');
    }
    // One status post (the verdict may have come first and taken its place), one message left, one run.
    expect(threadPosts(ts).filter((c) => String(c.args['text']).includes('Investigating'))).toHaveLength(1);
    await h.waitFor('one message in the thread', () => h.fake.threadMessages(CHANNELS.alerts, ts).length === 1);
    expect(await h.queue.getJob(jobIdFor(alertKey('retry-concurrent'), 1))).toBeUndefined();
    expect((await h.state.get(alertKey('retry-concurrent')))?.runs).toBe(0);
  });

  it('a malformed alert delivered again gets one "cannot be read" answer', async () => {
    const ts = nextTs();
    const text = '```{"id": "retry-bad", "type": "aws.instance_credential_exfiltration", "time": "yesterday"}```';
    await h.event(message(ts, text));
    const eventId = h.lastEventId();
    await h.waitFor('the answer', () => threadPosts(ts).length > 0);
    await Promise.all([1, 2, 3].map((retryNum) => h.event(message(ts, text), { eventId, retryNum })));
    await new Promise((r) => setTimeout(r, 500));
    expect(threadPosts(ts)).toHaveLength(1);
    expect(String(threadPosts(ts)[0]!.args['text'])).toContain('cannot be read');
  });
});
