// Reactions converge: five alerts posted within 50 ms while Slack rate-limits reactions hard. Whatever order the
// intake's 👀 and the verdict's reaction reach Slack in, each alert message ends with exactly its verdict's reaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { VERDICT_STYLE } from '../../src/slack/render.js';
import { SLACK_RATE_LIMITS } from '../fakes/slack-rules.js';
import { e2eAwsAlert } from '../support/alerts.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { CHANNELS, startHarness, type Harness } from './harness.js';

let h: Harness;
const KEY = 'ASIAREACTIONS000001';

beforeAll(async () => {
  h = await startHarness({
    slack: { rateLimits: { ...SLACK_RATE_LIMITS, 'reactions.add': { perSecond: 2, burst: 2 }, 'reactions.remove': { perSecond: 2, burst: 1 }, 'reactions.get': { perSecond: 2, burst: 2 } } },
  });
  const report = await h.cluster.load([keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }), keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux })]);
  expect(report.rejected).toEqual([]);
}, 120_000);
afterAll(async () => h?.close());

describe('reactions converge', () => {
  it('five alerts within 50 ms, reactions rate limited: each message carries exactly its verdict reaction, no 👀 left', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `reactions-${i}`);
    const threads = ids.map((_, i) => `1750700000.${String(i + 1).padStart(6, '0')}`);
    const t0 = Date.now();
    const answers = await Promise.all(
      ids.map(async (id, i) => {
        await new Promise((r) => setTimeout(r, i * 10));
        return h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts: threads[i], text: `\`\`\`${JSON.stringify(e2eAwsAlert(id, KEY))}\`\`\`` });
      }),
    );
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const id of ids) await h.verdictOf(id);
    const wanted = await Promise.all(ids.map(async (id) => VERDICT_STYLE[(await h.state.get(alertKey(id)))!.verdict!.verdict].reaction));
    // Slack refused reactions on the way (the limit bit), and still every message ends as its verdict says.
    const settled = await h.waitFor(
      'every alert carrying exactly its verdict reaction',
      () => {
        const now = threads.map((ts) => h.fake.reactionsOn(CHANNELS.alerts, ts).map((r) => r.name).sort());
        return now.every((names, i) => names.length === 1 && names[0] === wanted[i]) ? now : undefined;
      },
      60_000,
    );
    expect(settled).toEqual(wanted.map((w) => [w]));
    expect(h.fake.refusedOf('reactions.add').length + h.fake.refusedOf('reactions.remove').length).toBeGreaterThan(0);
    expect(h.fake.callsOf('reactions.add').filter((c) => c.args['name'] === 'eyes')).toHaveLength(5);
  }, 90_000);
});
