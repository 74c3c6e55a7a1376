// How a verdict is answered when similar alerts are suppressed, with the suppression looked up again in real Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFor } from '../../src/suppress/answer.js';
import type { Suppression } from '../../src/suppress/store.js';
import type { Verdict, VerdictClass } from '../../src/flows/verdict.js';
import { testRedis } from '../support/redis.js';

const redis = testRedis('answer');
const store = redis.state.suppressions;
const s: Suppression = { id: 'c'.repeat(32), flow: 'aws_instance_credentials', kind: 'instance', parts: ['i-0abc'], by: 'U0R', reason: 'false_positive', alertId: 'a-1', createdAt: new Date().toISOString(), until: new Date(Date.now() + 3600_000).toISOString() };
const verdict = (v: VerdictClass): Verdict => ({ alert_id: 'a-2', flow: 'aws_instance_credentials', verdict: v, score: null, summary: '', path: [], facts: {} });

beforeAll(async () => {
  await store.create(s);
});
afterAll(async () => redis.cleanup());

describe('answerFor', () => {
  it('benign, suspicious and inconclusive verdicts under a suppression in force are answered quietly', async () => {
    for (const v of ['benign', 'suspicious', 'inconclusive'] as const) expect(await answerFor({ verdict: verdict(v), suppression: s }, store)).toEqual({ quiet: true, suppression: s });
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
