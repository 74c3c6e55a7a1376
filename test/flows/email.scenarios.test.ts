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
      if (v.verdict === 'malicious') expect(v.path.at(-1)!.evidence).toMatch(/bob.*\(recipient\) on LAPTOP-BOB at \d{4}-/);
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
});
