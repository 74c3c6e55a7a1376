// The benchmark's measuring parts, against the real test Elasticsearch: request counting per
// investigation, the naive baseline (same verdicts, no aggregations), the profiling client.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, generateDataSet } from '../../bench/generate/index.js';
import type { BenchAlert } from '../../bench/generate/scenarios.js';
import { newTally, RequestCounter, requestKind, targetOf, type Tally } from '../../bench/scale/es-requests.js';
import { naiveSources, newCost } from '../../bench/scale/naive.js';
import { profilingClient, summariseProfile, type ProfiledSearch } from '../../bench/scale/profile.js';
import { percentile, spread } from '../../bench/scale/stats.js';
import { parseAlertStrict } from '../../src/flows/recognise.js';
import { investigate, type EngineDeps } from '../../src/flows/engine.js';
import { AwsIpRanges } from '../../src/enrich/aws-ip-ranges.js';
import { IpClassifier } from '../../src/enrich/ip-class.js';
import { createElasticClient } from '../../src/evidence/elastic/client.js';
import { elasticSources } from '../../src/evidence/sources.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';

let cluster: TestCluster;
let alerts: BenchAlert[];
let engine: (evidence: EngineDeps['evidence']) => EngineDeps;

beforeAll(async () => {
  cluster = await testCluster();
  const dir = mkdtempSync(join(tmpdir(), 'bench-measure-'));
  await generateDataSet({ ...DEFAULTS, dir, seed: 5, events: 2500, alerts: 110, sizes: { busyKeyEvents: 300, busyUserEvents: 400, campaignClickers: 15, busyMfaEvents: 500 } });
  const docs = readFileSync(join(dir, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
  const report = await cluster.load(docs);
  expect(report.rejected).toEqual([]);
  alerts = readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as BenchAlert);
  const classifier = new IpClassifier(await AwsIpRanges.fromFile('samples/aws-ip-ranges.sample.json'), ['198.51.100.0/24']);
  const settings = { rareDomainUserThreshold: 5, companyCidrs: ['198.51.100.0/24'], now: () => new Date(DEFAULTS.anchor) };
  engine = (evidence) => ({ evidence, ipClassifier: async () => classifier, settings });
}, 120_000);

afterAll(async () => {
  await cluster?.cleanup();
});

const alertOf = (b: BenchAlert) => parseAlertStrict(JSON.stringify(b.alert));

describe('bench measurement', () => {
  it('names request kinds from method and path', () => {
    expect(requestKind('POST', '/logs-aws.cloudtrail-x/_search')).toBe('search');
    expect(requestKind('POST', '/logs-*-x%2Clogs-y/_field_caps')).toBe('field_caps');
    expect(requestKind('POST', '/logs-x/_pit')).toBe('open_pit');
    expect(requestKind('DELETE', '/_pit')).toBe('close_pit');
    expect(requestKind('PUT', '/triage-verdicts/_doc/abc')).toBe('doc');
    expect(requestKind('POST', '/_bulk')).toBe('bulk');
    expect(targetOf('/logs-endpoint.*-bench_1000_s42_a10%2Clogs-zscaler_zia.*-bench_1000_s42_a10/_search')).toBe('logs-endpoint.*,logs-zscaler_zia.*');
    expect(targetOf('/_pit')).toBe('(none)');
  });

  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([], 50)).toBeUndefined();
    expect(spread([3, 1, 2])).toEqual({ n: 3, p50: 2, p95: 3, p99: 3, max: 3 });
  });

  it('charges every request (field caps included) to the investigation that sent it, even when they run at once', async () => {
    const es = createElasticClient({ ELASTICSEARCH_URL });
    const counter = new RequestCounter();
    counter.attach(es);
    const seen: string[] = [];
    es.diagnostic.on('request', (err, r) => {
      if (!err && r) seen.push(r.meta.request.params.path);
    });
    const deps = engine(elasticSources(es, cluster.indices));
    const [aws, okta, email] = (['aws', 'okta', 'email'] as const).map((flow) => alerts.find((a) => a.flow === flow && !a.heavy && a.expect.verdict !== 'inconclusive')!);
    // Alone first: the count of each, with the field caps of a cold resolver.
    const alone: Tally[] = [];
    for (const b of [aws!, okta!, email!]) {
      const t = newTally();
      const before = seen.length;
      await counter.run(t, () => investigate(alertOf(b), deps));
      expect(t.requests).toBe(seen.length - before);
      alone.push(t);
    }
    expect(alone.some((t) => (t.byKind['field_caps'] ?? 0) > 0)).toBe(true);
    const searches = (t: Tally) => (t.byKind['search'] ?? 0) + (t.byKind['msearch'] ?? 0);
    expect(alone.every((t) => searches(t) > 0)).toBe(true);
    // Elasticsearch's own time is kept per index the searches went to.
    expect(alone.every((t) => Object.keys(t.tookByTarget).length > 0)).toBe(true);

    // Then all three at once, entered the way the worker enters them (enterWith inside the call chain).
    const tallies = [newTally(), newTally(), newTally()];
    const before = seen.length;
    await Promise.all(
      [aws!, okta!, email!].map(async (b, i) => {
        await Promise.resolve();
        counter.enter(tallies[i]!);
        await new Promise((r) => setTimeout(r, 1));
        return investigate(alertOf(b), deps);
      }),
    );
    expect(tallies.reduce((n, t) => n + t.requests, 0)).toBe(seen.length - before);
    // Searches asked in the same turn of the event loop share one _msearch, charged to the one that sent it:
    // together, never more round trips than alone.
    tallies.forEach((t, i) => expect(searches(t)).toBeLessThanOrEqual(searches(alone[i]!)));
    expect(tallies.reduce((n, t) => n + searches(t), 0)).toBeGreaterThan(0);
    expect(counter.unattributed).toBe(0);
    await es.close();
  });

  it('the naive way reaches the same verdicts without a single aggregation, and fetches the busy key’s events', async () => {
    const es = createElasticClient({ ELASTICSEARCH_URL });
    const bodies: string[] = [];
    es.diagnostic.on('request', (err, r) => {
      if (!err && r) bodies.push(String(r.meta.request.params.body ?? ''));
    });
    let cost = newCost();
    const naive = engine(naiveSources(es, cluster.indices, () => cost));
    const fast = engine(elasticSources(createElasticClient({ ELASTICSEARCH_URL }), cluster.indices));
    const differ: string[] = [];
    let busyDocs = 0;
    for (const b of alerts) {
      cost = newCost();
      const [v1, v2] = [await investigate(alertOf(b), fast), await investigate(alertOf(b), naive)];
      if (v1.verdict !== v2.verdict || v1.score !== v2.score) differ.push(`${b.id}: ${v1.verdict} ${v1.score} / ${v2.verdict} ${v2.score}`);
      if (b.heavy && b.flow === 'aws') busyDocs = cost.documents;
      expect(cost.wholeWindow).toEqual([]);
    }
    expect(differ).toEqual([]);
    expect(busyDocs).toBeGreaterThanOrEqual(300);
    expect(bodies.filter((body) => /"(aggs|aggregations)"/.test(body))).toEqual([]);
    await es.close();
  }, 120_000);

  it('profiles the searches of an investigation without changing its verdict', async () => {
    const sink: ProfiledSearch[] = [];
    const es = profilingClient(ELASTICSEARCH_URL, sink);
    const b = alerts.find((a) => a.flow === 'aws' && a.heavy)!;
    const v = await investigate(alertOf(b), engine(elasticSources(es, cluster.indices)));
    expect([v.verdict, v.score]).toEqual([b.expect.verdict, b.expect.score]);
    expect(sink.length).toBeGreaterThan(0);
    const slowest = [...sink].sort((x, y) => y.tookMs - x.tookMs)[0]!;
    expect(slowest.profile.shards.length).toBeGreaterThan(0);
    expect(summariseProfile(slowest).join('\n')).toMatch(/query \(rewrite/);
    await es.close();
  });
});
