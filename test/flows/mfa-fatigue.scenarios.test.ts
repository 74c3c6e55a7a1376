// The MFA push fatigue flow end to end: System Log from real Elasticsearch, the same documents in memory (the
// same verdict), and the same events from the fake Okta API through the real SDK (Elasticsearch then has no Okta
// data): same verdict all three ways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noClassifier, toAlert } from '../support/alerts.js';
import { investigate, type EngineDeps } from '../../src/flows/engine.js';
import { elasticSources, memorySources } from '../../src/evidence/sources.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { OktaApi } from '../../src/evidence/okta-api/api.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { startFakeOkta, type FakeOkta } from '../fakes/okta-server.js';
import { MFA_COMPANY_CIDRS, MFA_SCENARIOS } from './mfa-fatigue-scenarios.js';
import { mfaFactsOf } from '../support/facts.js';

const settings = { rareDomainUserThreshold: 5, companyCidrs: MFA_COMPANY_CIDRS, now: () => new Date(), mfaFatigueMinRejections: 3 };

describe('MFA push fatigue scenarios (flows.md §4)', () => {
  let withOkta: TestCluster;
  let withoutOkta: TestCluster;
  let fake: FakeOkta;
  let fromElastic: EngineDeps;
  let fromMemory: EngineDeps;
  let fromApi: EngineDeps;

  beforeAll(async () => {
    [withOkta, withoutOkta, fake] = await Promise.all([
      testCluster(),
      testCluster(),
      startFakeOkta({ events: MFA_SCENARIOS.flatMap((s) => s.events), users: MFA_SCENARIOS.map((s) => s.user), pageSize: 50 }),
    ]);
    const agents = MFA_SCENARIOS.flatMap((s) => s.agentDocs);
    const [r1, r2] = await Promise.all([withOkta.load([...MFA_SCENARIOS.flatMap((s) => s.ecsEvents), ...agents]), withoutOkta.load(agents)]);
    expect([...r1.rejected, ...r2.rejected]).toEqual([]);
    fromElastic = { evidence: elasticSources(withOkta.es, withOkta.indices), ipClassifier: noClassifier, settings };
    fromMemory = { evidence: memorySources(new MemoryDocuments([...MFA_SCENARIOS.flatMap((s) => s.ecsEvents), ...agents])), ipClassifier: noClassifier, settings };
    fromApi = { evidence: elasticSources(withoutOkta.es, withoutOkta.indices), ipClassifier: noClassifier, settings, oktaApi: new OktaApi({ orgUrl: fake.url, token: fake.token, budgetMs: 10_000 }) };
  });
  afterAll(async () => {
    await Promise.all([withOkta?.cleanup(), withoutOkta?.cleanup(), fake?.close()]);
  });

  const shape = (v: Awaited<ReturnType<typeof investigate>>) => ({ verdict: v.verdict, score: v.score, path: v.path.map((p) => [p.step, p.answer]) });

  for (const scenario of MFA_SCENARIOS) {
    it(scenario.name, async () => {
      const alert = toAlert(scenario.alert);
      const v = await investigate(alert, fromElastic);
      expect({ verdict: v.verdict, score: v.score }).toEqual({ verdict: scenario.expect.verdict, score: scenario.expect.score });
      expect(v.flow).toBe('okta_mfa_fatigue');
      expect(v.path.map((p) => p.step)).toEqual(scenario.expect.path);
      for (const [step, answer] of Object.entries(scenario.expect.answers ?? {})) expect(v.path.find((p) => p.step === step)?.answer, step).toBe(answer);

      expect(shape(await investigate(alert, fromMemory))).toEqual(shape(v));
      const viaApi = await investigate(alert, fromApi);
      expect(mfaFactsOf(viaApi).source).toBe('okta-api');
      expect(shape(viaApi)).toEqual(shape(v));
    });
  }

  it('steps carry the search they rest on when the log came from Elasticsearch (the user’s MFA events in the window), none via the Okta API', async () => {
    const alert = toAlert(MFA_SCENARIOS.find((s) => s.name.startsWith('P2: approved'))!.alert);
    const [v, viaApi] = await Promise.all([investigate(alert, fromElastic), investigate(alert, fromApi)]);
    const query = v.path[0]!.query!;
    expect(query.evidence).toBe('okta');
    expect(query.match[0]).toMatchObject({ field: expect.stringMatching(/^okta\.actor\.(id|alternate_id)$/) });
    expect(query.match[1]).toEqual({ field: 'event.action', values: expect.arrayContaining(['user.mfa.okta_verify.deny_push']) });
    expect(Date.parse(query.to) - Date.parse(query.from)).toBe(2 * 3600_000);
    expect(v.path.every((p) => p.query === query || JSON.stringify(p.query) === JSON.stringify(query))).toBe(true);
    expect(viaApi.path.some((p) => p.query)).toBe(false);
  });

  it('says which IPs were known and why, from the company CIDRs, agents and the user’s sign-in history', async () => {
    const v = await investigate(toAlert(MFA_SCENARIOS.find((s) => s.name.startsWith('P2: approved'))!.alert), fromElastic);
    expect(mfaFactsOf(v).source).toBe('elasticsearch');
    expect(mfaFactsOf(v).requesting_ips).toEqual([{ ip: '185.220.104.33', known: false, reason: expect.stringMatching(/^not in the company CIDRs nor the user’s successful sign-ins of .*, nor recorded by company agents in /) }]);
    const home = await investigate(toAlert(MFA_SCENARIOS.find((s) => s.name.startsWith('P3: a fatigue approval from the user’s home'))!.alert), fromElastic);
    expect(mfaFactsOf(home).requesting_ips).toEqual([{ ip: '81.2.69.106', known: true, reason: expect.stringMatching(/^the user signed in successfully from it in \d{4}-/) }]);
    const noAgents = await investigate(toAlert(MFA_SCENARIOS.find((s) => s.name.startsWith('P2 unknown'))!.alert), fromElastic);
    expect((mfaFactsOf(noAgents).requesting_ips as Array<{ reason: string }>)[0]!.reason).toMatch(/the company agent indices have no data at all in/);
  });
});
