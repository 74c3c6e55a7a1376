// A 500-alert storm in one channel under Slack's rate limits (scaled up so it fits CI): every alert gets
// exactly one verdict message, none twice; investigations run in arrival order; verdicts that the limit
// holds back go out in flows.md's priority order (malicious, inconclusive, suspicious, benign; score desc).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { createDeliveryQueue, deliveryJobId, jobIdFor } from '../../src/queue/queue.js';
import { comparePriority } from '../../src/flows/verdict.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { shownText } from '../support/blocks.js';
import { CHANNELS, startHarness, type Harness } from './harness.js';

const ALERTS = 500;
/**
 * Slack's shape of limits, faster so the storm fits CI: 50 posts/s in the channel, 12 updates/s (bursts as large) —
 * slower than verdicts are produced, so the limit really holds verdicts back. Reactions are not the point here.
 */
const STORM_LIMITS = {
  'chat.postMessage': { perSecond: 50, burst: 50, perChannel: true },
  'chat.update': { perSecond: 12, burst: 12 },
  'reactions.add': { perSecond: 500, burst: 500 },
  'reactions.remove': { perSecond: 500, burst: 500 },
};

// Four kinds of evidence, one access key each (flows.md: A1 malicious 90, A0 inconclusive, A5 suspicious 65, A4 benign 15).
const KINDS = [
  { key: 'ASIASTORMVPS0000001', docs: () => [keyEvent({ key: 'ASIASTORMVPS0000001', ip: '45.155.205.10', at: '2026-11-10T11:00:00Z', ua: UA.boto3Linux })] },
  { key: 'ASIASTORMNONE000001', docs: () => [] },
  {
    key: 'ASIASTORMTWOAWS0001',
    docs: () =>
      Array.from({ length: 20 }, (_, i) => [
        keyEvent({ key: 'ASIASTORMTWOAWS0001', ip: '3.80.1.10', at: new Date(Date.parse('2026-11-10T09:00:00Z') + i * 60_000).toISOString() }),
        keyEvent({ key: 'ASIASTORMTWOAWS0001', ip: '3.80.2.10', at: new Date(Date.parse('2026-11-10T09:05:00Z') + i * 60_000).toISOString() }),
      ]).flat(),
  },
  { key: 'ASIASTORMOWNIP00001', docs: () => [keyEvent({ key: 'ASIASTORMOWNIP00001', ip: '3.80.1.10', at: '2026-11-10T10:00:00Z' })], publicIps: ['3.80.1.10'] },
];

let h: Harness;
const T = new Date('2026-11-10T12:00:00Z');
const parents: string[] = [];
const ids: string[] = [];

beforeAll(async () => {
  h = await startHarness({ slack: { rateLimits: STORM_LIMITS } });
  const report = await h.cluster.load(KINDS.flatMap((k) => k.docs()));
  expect(report.rejected).toEqual([]);
}, 120_000);
afterAll(async () => h?.close());

describe('a 500-alert storm in one channel', () => {
  it('delivers every verdict once, investigates in arrival order, and lets the most urgent out first', async () => {
    const started = Date.now();
    for (let i = 0; i < ALERTS; i++) {
      // A deterministic shuffle of the kinds, so urgent verdicts keep arriving behind less urgent ones.
      const kind = KINDS[(i * 7 + Math.floor(i / 4)) % KINDS.length]!;
      const id = `storm-${String(i).padStart(3, '0')}`;
      const ts = `1761000000.${String(i + 1).padStart(6, '0')}`;
      ids.push(id);
      parents.push(ts);
      const alert = { id, type: 'aws.instance_credential_exfiltration', time: '2026-11-10T12:00:00Z', access_key_id: kind.key, instance_id: 'i-0a1b2c3d4e5f60718', account_id: '111122223333', region: 'us-east-1', ...(kind.publicIps ? { instance_public_ips: kind.publicIps } : {}) };
      const res = await h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts, text: JSON.stringify(alert) });
      expect(res.status).toBe(200);
    }
    const arrived = Date.now();

    // Every thread ends with exactly one message of ours, and it is the verdict.
    await h.waitFor(
      'every verdict delivered',
      async () => {
        const delivered = parents.filter((p) => {
          const msgs = h.fake.threadMessages(CHANNELS.alerts, p);
          return msgs.length === 1 && shownText(msgs[0]!.shown.args['blocks']).includes('Decision path');
        }).length;
        return delivered === ALERTS ? delivered : undefined;
      },
      180_000,
    );
    const finished = Date.now();
    const perThread = parents.map((p) => h.fake.threadMessages(CHANNELS.alerts, p).length);
    expect(perThread.filter((n) => n !== 1)).toEqual([]);
    const verdictCalls = h.fake.allCalls.filter((c) => !c.error && (c.method === 'chat.update' || c.method === 'chat.postMessage') && shownText(c.args['blocks']).includes('Decision path'));
    const rateLimited = h.fake.allCalls.filter((c) => c.error === 'ratelimited').length;

    // Investigations in arrival order: job start order follows the order alerts arrived (up to the worker's concurrency).
    const jobs = await Promise.all(ids.map((id) => h.queue.getJob(jobIdFor(alertKey(id), 0))));
    expect(jobs.every((j) => j !== undefined)).toBe(true);
    const starts = jobs.map((j) => j!.processedOn ?? Infinity);
    const byStart = [...starts.keys()].sort((a, b) => starts[a]! - starts[b]! || a - b);
    const displacement = Math.max(...byStart.map((arrival, position) => Math.abs(arrival - position)));
    expect(displacement).toBeLessThanOrEqual(8);

    // Held-back verdicts out in priority order: when a delivery started, no more urgent verdict that was
    // already waiting was left behind (ready = when its delivery job was queued).
    const deliveries = createDeliveryQueue(h.queue.opts.connection, h.queue.opts.prefix!);
    const delivered = await Promise.all(
      ids.map(async (id) => {
        const key = alertKey(id);
        const d = await deliveries.getJob(deliveryJobId(key, 0));
        const verdict = (await h.state.get(key))!.verdict!;
        return { id, verdict, readyAt: d!.timestamp, startedAt: d!.processedOn!, class: verdict.verdict };
      }),
    );
    await deliveries.close();
    let inversions = 0;
    for (const late of delivered) {
      for (const early of delivered) {
        // flows.md's order (verdict.ts); all alerts share one time, so only verdict and score decide.
        const moreUrgent = comparePriority({ verdict: early.verdict, time: T }, { verdict: late.verdict, time: T }) < 0;
        if (moreUrgent && early.readyAt < late.startedAt - 50 && early.startedAt > late.startedAt) inversions++;
      }
    }
    const classes = delivered.reduce<Record<string, number>>((a, d) => ((a[d.class] = (a[d.class] ?? 0) + 1), a), {});
    const figures = {
      alerts_in: ALERTS,
      verdict_messages: perThread.reduce((a, b) => a + b, 0),
      duplicates: perThread.filter((n) => n > 1).length,
      verdict_calls: verdictCalls.length,
      rate_limited_calls: rateLimited,
      arrival_s: (arrived - started) / 1000,
      all_verdicts_s: (finished - started) / 1000,
      max_start_displacement: displacement,
      priority_inversions: inversions,
      classes,
    };
    console.log(`storm: ${JSON.stringify(figures)}`);
    expect(Object.keys(classes).sort()).toEqual(['benign', 'inconclusive', 'malicious', 'suspicious']);
    expect(rateLimited).toBeGreaterThan(0); // the limit really held verdicts back
    expect(inversions).toBe(0);
  }, 240_000);
});
