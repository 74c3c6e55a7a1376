// A verdict read back from storage (issue 17, typed facts): its facts are checked once, with its flow's schema,
// where they come back from Redis. Facts not in the shape are dropped and the verdict still shown, saying why;
// what needs them (key facts, picture, similar alerts, containment) does without.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/cli/demo.js';
import { investigate } from '../../src/flows/engine.js';
import { readStoredVerdict } from '../../src/flows/stored-verdict.js';
import { keyFactsOf } from '../../src/flows/dispatch.js';
import { FactsShapeError } from '../../src/flows/fact-types.js';
import type { Alert } from '../../src/alerts/types.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { alertKey } from '../../src/queue/state.js';
import { pictureSvg } from '../../src/pictures/index.js';
import { renderVerdict } from '../../src/slack/render.js';
import { similarityKey } from '../../src/suppress/key.js';
import { shownText } from '../support/blocks.js';
import { testRedis } from '../support/redis.js';
import { storedVerdictFor } from '../support/facts.js';

const redis = testRedis('stored-verdict');
afterAll(() => redis.cleanup());

const demo: Array<{ alert: Alert; verdict: Verdict }> = [];
beforeAll(async () => {
  const { alerts, deps } = await loadDemo();
  for (const alert of alerts) demo.push({ alert, verdict: await investigate(alert, deps) });
});

const SECRET = '<secret-value>';
const aws = () => demo.find((d) => d.verdict.flow === 'aws_instance_credentials' && d.verdict.verdict === 'malicious')!;
/** The verdict as JSON with its facts' `ips` list replaced by something no flow writes. */
const tampered = (v: Verdict) => JSON.parse(JSON.stringify({ ...v, facts: { ...v.facts, ips: [{ address: SECRET, class: 'martian' }] } })) as unknown;

describe('a stored verdict read back', () => {
  it('is every flow’s verdict exactly as decided: the schemas take all the facts each flow writes, and drop none', () => {
    expect(new Set(demo.map((d) => d.verdict.flow)).size).toBe(4);
    for (const { verdict } of demo) expect(readStoredVerdict(JSON.parse(JSON.stringify(verdict)))).toEqual(verdict);
  });

  it('keeps a verdict whose facts are not in its flow’s shape, without them, naming the field but never the value', () => {
    const back = readStoredVerdict(tampered(aws().verdict))!;
    expect(back.facts).toBeNull();
    if (back.facts !== null) throw new Error('facts kept');
    expect(back.facts_problem).toMatch(/AWS stolen instance credentials facts are not in the expected shape \(ips\.0\.class/);
    expect(back.facts_problem).not.toContain(SECRET);
    expect({ ...back, facts: undefined, facts_problem: undefined }).toEqual({ ...aws().verdict, facts: undefined });
  });

  it('is no verdict at all when its flow, class, score or path are not a verdict’s', () => {
    const v = JSON.parse(JSON.stringify(aws().verdict)) as Record<string, unknown>;
    expect(readStoredVerdict({ ...v, flow: 'no_such_flow' })).toBeUndefined();
    expect(readStoredVerdict({ ...v, verdict: 'fine' })).toBeUndefined();
    expect(readStoredVerdict({ ...v, score: 500 })).toBeUndefined();
    expect(readStoredVerdict({ ...v, path: 'A1' })).toBeUndefined();
    expect(readStoredVerdict('a string')).toBeUndefined();
  });

  it('keeps each step’s search (its Kibana link), and drops only a search that does not read back', () => {
    const v = JSON.parse(JSON.stringify(aws().verdict)) as Verdict;
    expect(v.path.some((p) => p.query)).toBe(true);
    const broken = { ...v, path: v.path.map((p, i) => (i === 0 ? { ...p, query: { evidence: 'somewhere', match: 'x' } } : p)) };
    const back = readStoredVerdict(broken)!;
    expect(back.path[0]).toEqual({ ...v.path[0], query: undefined });
    expect(back.path.slice(1)).toEqual(v.path.slice(1));
  });

  it('without facts: the message says why and shows no value of them; no picture; similar alerts from the alert alone; no containment target', () => {
    const { alert, verdict } = aws();
    const back = readStoredVerdict(tampered(verdict))!;
    expect(keyFactsOf(back)).toEqual([[{ kind: 'label', text: 'Key facts: ' }, { kind: 'plain', text: `not shown — ${back.facts === null ? back.facts_problem : ''}.` }]]);
    const shown = shownText(renderVerdict({ verdict: back, alertKey: 'k' }).blocks);
    expect(shown).toContain('Key facts: not shown — the AWS stolen instance credentials facts are not in the expected shape');
    expect(shown).not.toContain('secret-value');
    expect(shown).toContain(verdict.summary.slice(0, 40));
    expect(() => pictureSvg({ verdict: back })).toThrow(FactsShapeError);
    // The flow's fallback when the evidence names nothing: the alert's own instance, else its access key.
    expect(similarityKey(alert, back)).toEqual(similarityKey(alert, storedVerdictFor(alert, {})));
    expect(similarityKey(alert, back)).toMatchObject({ flow: 'aws_instance_credentials' });
  });
});

describe('the alert record in Redis', () => {
  it('gives back the verdict checked: as written, or without facts that were altered there', async () => {
    const { verdict } = aws();
    const key = alertKey('stored-verdict-1');
    await redis.state.claim(key, { alertId: 'stored-verdict-1', raw: JSON.stringify({ id: 'stored-verdict-1' }), channel: 'C1', threadTs: '1.1', origin: 'integration' });
    expect(await redis.state.setVerdict(key, verdict, 0)).toBe(true);
    expect((await redis.state.get(key))!.verdict).toEqual(verdict);
    // Someone (or another release) rewrote the facts in the record.
    await redis.connection.hset(`${redis.prefix}:alert:${key}`, 'verdict', JSON.stringify(tampered(verdict)));
    const back = (await redis.state.get(key))!;
    expect(back.verdict?.facts).toBeNull();
    expect(back.verdict?.verdict).toBe(verdict.verdict);
    // Not a verdict at all: none, and the record says its verdict was unreadable.
    await redis.connection.hset(`${redis.prefix}:alert:${key}`, 'verdict', JSON.stringify({ flow: 'x' }));
    const none = (await redis.state.get(key))!;
    expect(none.verdict).toBeUndefined();
    expect(none.verdictUnreadable).toBe(true);
    // Not JSON at all (a cut write, an edit by hand): the same, never an error for every reader of the record.
    await redis.connection.hset(`${redis.prefix}:alert:${key}`, 'verdict', '{"flow":"aws_instance_cre');
    const cut = (await redis.state.get(key))!;
    expect(cut.verdict).toBeUndefined();
    expect(cut.verdictUnreadable).toBe(true);
  });
});
