// The email flow end to end on ingested proxy and EDR documents: real Elasticsearch, and the in-memory
// store on the same documents (which must agree).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/types.js';
import { noClassifier, toAlert } from '../support/alerts.js';
import { investigate, type EngineDeps } from '../../src/flows/engine.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { elasticSources, memorySources } from '../../src/evidence/sources.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { EMAIL_SCENARIOS } from './email-scenarios.js';
import { emailFactsOf } from '../support/facts.js';


const allDocs = EMAIL_SCENARIOS.flatMap((s) => s.docs);

describe('email flow scenarios', () => {
  let cluster: TestCluster;
  let elastic: EngineDeps;
  const depsFor = (alert: Alert, evidence: EngineDeps['evidence']): EngineDeps => ({
    evidence,
    ipClassifier: noClassifier,
    // "After T" ends at the investigation: a day after delivery here.
    settings: { rareDomainUserThreshold: 5, companyCidrs: [], now: () => new Date(alert.time.getTime() + 24 * 3600_000) },
  });
  const memory = memorySources(new MemoryDocuments(allDocs));

  beforeAll(async () => {
    cluster = await testCluster();
    const report = await cluster.load(allDocs);
    expect(report.rejected).toEqual([]);
    elastic = { evidence: elasticSources(cluster.es, cluster.indices), ipClassifier: noClassifier };
  });
  afterAll(async () => cluster?.cleanup());

  for (const scenario of EMAIL_SCENARIOS) {
    it(`${scenario.name} (Elasticsearch)`, async () => {
      const alert = toAlert(scenario.alert);
      const v = await investigate(alert, depsFor(alert, elastic.evidence));
      expect({ verdict: v.verdict, score: v.score, last: v.path.at(-1)?.step }).toEqual({
        verdict: scenario.expect.verdict,
        score: scenario.expect.score,
        last: scenario.expect.last,
      });
      for (const [step, answer] of Object.entries(scenario.expect.answers ?? {})) {
        expect(v.path.find((p) => p.step === step)?.answer, step).toBe(answer);
      }
      if (v.verdict === 'malicious') expect(v.path.at(-1)!.evidence).toMatch(/bob.*\(recipient\)( \(also logged as [^)]*\))? on LAPTOP-BOB at \d{4}-/);
    });

    it(`${scenario.name} (in memory, same verdict)`, async () => {
      const alert = toAlert(scenario.alert);
      const [fromMemory, fromElastic] = await Promise.all([investigate(alert, depsFor(alert, memory)), investigate(alert, depsFor(alert, elastic.evidence))]);
      expect(fromMemory).toEqual(fromElastic);
    });
  }

  it('a threshold of 4 makes the 4-user domain popular (M5 instead of M3)', async () => {
    const scenario = EMAIL_SCENARIOS.find((s) => s.name.startsWith('M3'))!;
    const alert = toAlert(scenario.alert);
    const v = await investigate(alert, { ...depsFor(alert, elastic.evidence), settings: { rareDomainUserThreshold: 4, companyCidrs: [], now: () => new Date(alert.time.getTime() + 24 * 3600_000) } });
    expect([v.verdict, v.score, v.path.at(-1)?.step]).toEqual(['suspicious', 45, 'M5']);
  });

  it('steps carry the search they rest on (the evidence links): M2 the proxy on the URL spellings, M3 the EDR network on the registered domains, after T', async () => {
    const scenario = EMAIL_SCENARIOS.find((s) => s.name.startsWith('M3'))!;
    const alert = toAlert(scenario.alert);
    const v = await investigate(alert, depsFor(alert, elastic.evidence));
    const byStep = Object.fromEntries(v.path.map((p) => [p.step, p.query]));
    expect(byStep['M0']).toBeUndefined();
    expect(byStep['M2']).toMatchObject({ evidence: 'proxy', from: alert.time.toISOString(), match: [{ any: [{ field: 'url.full' }, { field: 'url.original' }] }] });
    const urls = (byStep['M2']!.match[0] as { any: Array<{ values: string[] }> }).any[0]!.values;
    if (alert.type !== 'email.malicious') throw new Error('not an e-mail alert');
    for (const url of alert.urls) expect(urls).toContain(url);
    expect(byStep['M3']).toMatchObject({ evidence: 'edrNetwork', from: alert.time.toISOString(), match: [{ any: expect.arrayContaining([{ field: 'dns.question.registered_domain', values: expect.any(Array) }]) }] });
  });

  it('names a record the proxy blocked in M2 and its facts, never as a click (issue 23.8)', async () => {
    const scenario = EMAIL_SCENARIOS.find((s) => s.name.startsWith('M2 (v4)'))!;
    const alert = toAlert(scenario.alert);
    for (const evidence of [elastic.evidence, memory]) {
      const v = await investigate(alert, depsFor(alert, evidence));
      const m2 = v.path.find((p) => p.step === 'M2')!;
      expect(m2.evidence).toMatch(/blocked by the proxy \(not an interaction\): https:\/\/login\.blocked-phish\.co\.uk\/verify: bob@example\.com \(recipient\)/);
      expect(emailFactsOf(v).clicks).toEqual([]);
      expect(emailFactsOf(v).blocked_clicks).toMatchObject([{ url: 'https://login.blocked-phish.co.uk/verify', source: 'proxy', users: ['bob@example.com'], host: 'LAPTOP-BOB', count: 2 }]);
    }
  });

  it('reads one Zscaler record as one person, the other spellings beside it (issue 23.9)', async () => {
    const scenario = EMAIL_SCENARIOS.find((s) => s.name.includes('three spellings'))!;
    const alert = toAlert(scenario.alert);
    for (const evidence of [elastic.evidence, memory]) {
      const v = await investigate(alert, depsFor(alert, evidence));
      expect(emailFactsOf(v).clicks).toMatchObject([{ users: ['bob@example.com'], other_names: ['administrator1', 'bob'], recipients: ['bob@example.com'], count: 1 }]);
      expect(v.path.at(-1)!.evidence).toContain('bob@example.com (recipient) (also logged as administrator1, bob) on LAPTOP-BOB');
      expect(v.summary).toBe('The link was clicked: bob@example.com.');
    }
  });
});
