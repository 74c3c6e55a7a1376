// How a verdict is answered when similar alerts are suppressed, with the suppression looked up again in real Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFor } from '../../src/suppress/answer.js';
import type { Suppression } from '../../src/suppress/store.js';
import type { Verdict, VerdictClass } from '../../src/flows/verdict.js';
import { testRedis } from '../support/redis.js';
import { awsFacts } from '../support/facts.js';

const redis = testRedis('answer');
const store = redis.state.suppressions;
const s: Suppression = { id: 'c'.repeat(32), flow: 'aws_instance_credentials', kind: 'instance', parts: ['i-0abc'], by: 'U0R', reason: 'false_positive', alertId: 'a-1', createdAt: new Date().toISOString(), until: new Date(Date.now() + 3600_000).toISOString() };
const verdict = (v: VerdictClass, score: number | null = null): Verdict => ({ alert_id: 'a-2', flow: 'aws_instance_credentials', verdict: v, score, summary: '', path: [], facts: awsFacts() });
/** A suppression made by dismissing a verdict of this class and score. */
const madeOn = (id: string, v: VerdictClass, score: number | null): Suppression => ({ ...s, id: id.repeat(32), verdict: v, score });

beforeAll(async () => {
  await store.create(s);
  await store.create(madeOn('d', 'suspicious', 45));
  await store.create(madeOn('e', 'inconclusive', null));
});
afterAll(async () => redis.cleanup());

describe('answerFor', () => {
  it('a verdict no more severe than the one dismissed is answered quietly; a more severe one in full (issue 23, finding 3)', async () => {
    const m5 = madeOn('d', 'suspicious', 45);
    for (const v of [verdict('benign', 15), verdict('suspicious', 45), verdict('suspicious', 35)]) expect(await answerFor({ verdict: v, suppression: m5 }, store)).toEqual({ quiet: true, suppression: m5 });
    // M5b (suspicious 60) and M6 (inconclusive) are more severe than an M5 dismissed.
    for (const v of [verdict('suspicious', 60), verdict('inconclusive')]) expect(await answerFor({ verdict: v, suppression: m5 }, store)).toEqual({ quiet: false });
    const m6 = madeOn('e', 'inconclusive', null);
    for (const v of [verdict('inconclusive'), verdict('suspicious', 60), verdict('benign', 15)]) expect((await answerFor({ verdict: v, suppression: m6 }, store)).quiet).toBe(true);
  });

  it('a suppression made before severities were kept quiets benign verdicts only', async () => {
    expect(await answerFor({ verdict: verdict('benign', 15), suppression: s }, store)).toEqual({ quiet: true, suppression: s });
    for (const v of ['suspicious', 'inconclusive'] as const) expect((await answerFor({ verdict: verdict(v), suppression: s }, store)).quiet).toBe(false);
  });

  it('a malicious one in full, naming the suppression', async () => {
    expect(await answerFor({ verdict: verdict('malicious'), suppression: s }, store)).toEqual({ quiet: false, suppression: s });
  });

  it('in full when no suppression matched, or when a responder already decided on the alert', async () => {
    expect(await answerFor({ verdict: verdict('benign') }, store)).toEqual({ quiet: false });
    expect(await answerFor({ verdict: verdict('benign'), suppression: s, decision: { kind: 'dismissed', by: 'U0R', at: s.createdAt } }, store)).toEqual({ quiet: false });
  });

  it('in full once the suppression was lifted between investigation and delivery', async () => {
    await store.lift(s.id);
    expect(await answerFor({ verdict: verdict('benign'), suppression: s }, store)).toEqual({ quiet: false });
  });
});
