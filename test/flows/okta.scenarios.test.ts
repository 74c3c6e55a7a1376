// The Okta flow end to end: System Log from real Elasticsearch, and the same events from the fake
// Okta API through the real SDK (Elasticsearch then has no Okta data): same verdict both ways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noClassifier, toAlert } from '../support/alerts.js';
import { investigate, type EngineDeps } from '../../src/flows/engine.js';
import { elasticSources } from '../../src/evidence/sources.js';
import { OktaApi } from '../../src/evidence/okta-api/api.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { startFakeOkta, type FakeOkta } from '../fakes/okta-server.js';
import { COMPANY_CIDRS, OKTA_SCENARIOS } from './okta-scenarios.js';
import { planContainment } from '../../src/containment/plan.js';
import { oktaFactsOf } from '../support/facts.js';


const settings = { rareDomainUserThreshold: 5, companyCidrs: COMPANY_CIDRS, now: () => new Date() };

describe('Okta flow scenarios', () => {
  let withOkta: TestCluster;
  let withoutOkta: TestCluster;
  let fake: FakeOkta;
  let fromElastic: EngineDeps;
  let fromApi: EngineDeps;

  beforeAll(async () => {
    [withOkta, withoutOkta, fake] = await Promise.all([
      testCluster(),
      testCluster(),
      // Pages of 250: the sprayed scenario's log runs over many.
      startFakeOkta({ events: OKTA_SCENARIOS.flatMap((s) => s.events), users: OKTA_SCENARIOS.map((s) => s.user), pageSize: 250 }),
    ]);
    const agents = OKTA_SCENARIOS.flatMap((s) => s.agentDocs);
    const [r1, r2] = await Promise.all([withOkta.load([...OKTA_SCENARIOS.flatMap((s) => s.ecsEvents), ...agents]), withoutOkta.load(agents)]);
    expect([...r1.rejected, ...r2.rejected]).toEqual([]);
    fromElastic = { evidence: elasticSources(withOkta.es, withOkta.indices), ipClassifier: noClassifier, settings };
    fromApi = {
      evidence: elasticSources(withoutOkta.es, withoutOkta.indices),
      ipClassifier: noClassifier,
      settings,
      oktaApi: new OktaApi({ orgUrl: fake.url, token: fake.token, budgetMs: 10_000 }),
    };
  });
  afterAll(async () => {
    await Promise.all([withOkta?.cleanup(), withoutOkta?.cleanup(), fake?.close()]);
  });

  for (const scenario of OKTA_SCENARIOS) {
    it(`${scenario.name}`, async () => {
      const alert = toAlert(scenario.alert);
      const v = await investigate(alert, fromElastic);
      expect({ verdict: v.verdict, score: v.score }).toEqual({ verdict: scenario.expect.verdict, score: scenario.expect.score });
      expect(oktaFactsOf(v).source).toBe('elasticsearch');
      expect(v.path.map((p) => p.step)).toEqual(scenario.expect.path);
      if (scenario.expect.mystery) expect(v.path.find((p) => p.step === 'O2')?.answer).toBe(scenario.expect.mystery);
      for (const [step, answer] of Object.entries(scenario.expect.answers ?? {})) expect(v.path.find((p) => p.step === step)?.answer, step).toBe(answer);

      const viaApi = await investigate(alert, fromApi);
      expect(oktaFactsOf(viaApi).source).toBe('okta-api');
      expect({ verdict: viaApi.verdict, score: viaApi.score, path: viaApi.path.map((p) => [p.step, p.answer]) }).toEqual({
        verdict: v.verdict,
        score: v.score,
        path: v.path.map((p) => [p.step, p.answer]),
      });
    });
  }

  it('shows distance, time between the sessions and implied speed in the trace', async () => {
    const scenario = OKTA_SCENARIOS.find((s) => s.name.startsWith('O9: New York → Amsterdam'))!;
    const v = await investigate(toAlert(scenario.alert), fromElastic);
    expect(oktaFactsOf(v).travel).toEqual({ distance_km: 5863, minutes_between: 180, speed_kmh: 1954 });
    expect(v.path.find((p) => p.step === 'O9')!.evidence).toBe('5863 km in 180 min: 1954 km/h');
  });

  it('names the alerting sign-in’s actor from the System Log, which containment targets (Elasticsearch and the API alike)', async () => {
    const scenario = OKTA_SCENARIOS.find((s) => s.name.startsWith('O9: New York → Amsterdam'))!;
    const alert = toAlert(scenario.alert);
    for (const deps of [fromElastic, fromApi]) {
      const v = await investigate(alert, deps);
      const actor = (oktaFactsOf(v).session_b as { actor_id: string | null }).actor_id;
      expect(actor).toBe(scenario.user.id);
      expect(planContainment(v, alert)).toMatchObject({ plan: { target: { kind: 'okta_clear_sessions', oktaUserId: scenario.user.id } } });
    }
  });
});
