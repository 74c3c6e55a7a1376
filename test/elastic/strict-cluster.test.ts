// Every flow on a cluster that refuses expensive queries (search.allow_expensive_queries: false): no query
// may depend on them, except where the data leaves no other way, and there the step answers unknown,
// naming the field, never "no".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/types.js';
import { investigate, type EngineDeps } from '../../src/flows/engine.js';
import { IpClassifier } from '../../src/enrich/ip-class.js';
import { elasticSources } from '../../src/evidence/sources.js';
import { noClassifier, toAlert } from '../support/alerts.js';
import { loadDynamic, testCluster, type TestCluster } from '../support/elastic.js';
import { strictNode, type StrictNode } from '../support/strict-es.js';
import { realAwsRanges } from '../support/aws-ranges.js';
import { AWS_SCENARIOS, TRUSTED_EGRESS } from '../flows/aws-scenarios.js';
import { EMAIL_SCENARIOS } from '../flows/email-scenarios.js';
import { COMPANY_CIDRS, OKTA_SCENARIOS } from '../flows/okta-scenarios.js';

const classifier = new IpClassifier(realAwsRanges(), TRUSTED_EGRESS);

let node: StrictNode;
let strict: TestCluster;

beforeAll(async () => {
  node = await strictNode();
  strict = await testCluster(node.url);
}, 240_000);
afterAll(async () => {
  try {
    await strict?.cleanup();
  } finally {
    await node?.stop();
  }
}, 90_000);

const emailDeps = (alert: Alert, cluster: TestCluster): EngineDeps => ({
  evidence: elasticSources(cluster.es, cluster.indices),
  ipClassifier: noClassifier,
  settings: { rareDomainUserThreshold: 5, companyCidrs: [], now: () => new Date(alert.time.getTime() + 24 * 3600_000) },
});

describe('a cluster that refuses expensive queries', () => {
  it('does refuse a leading-wildcard query (else this suite proves nothing)', async () => {
    await strict.load([{ '@timestamp': '2026-01-01T00:00:00Z', event: { dataset: 'endpoint.events.network' }, dns: { question: { name: 'a.example.com' } } }]);
    await expect(strict.es.search({ index: strict.indices.edrNetwork, query: { wildcard: { 'dns.question.name': { value: '*.example.com' } } } })).rejects.toThrow(/allow_expensive_queries/);
  });

  describe('AWS and Okta: the same verdicts as anywhere (no query of theirs is expensive)', () => {
    beforeAll(async () => {
      const report = await strict.load([...AWS_SCENARIOS.flatMap((s) => s.docs), ...OKTA_SCENARIOS.flatMap((s) => [...s.ecsEvents, ...s.agentDocs])]);
      expect(report.rejected).toEqual([]);
    }, 120_000);

    for (const scenario of AWS_SCENARIOS) {
      it(`AWS ${scenario.name}`, async () => {
        const v = await investigate(toAlert(scenario.alert), { evidence: elasticSources(strict.es, strict.indices), ipClassifier: async () => classifier });
        expect([v.verdict, v.score, v.path.at(-1)?.step]).toEqual([scenario.expect.verdict, scenario.expect.score, scenario.expect.last]);
      });
    }
    for (const scenario of OKTA_SCENARIOS) {
      it(`Okta ${scenario.name}`, async () => {
        const v = await investigate(toAlert(scenario.alert), {
          evidence: elasticSources(strict.es, strict.indices),
          ipClassifier: noClassifier,
          settings: { rareDomainUserThreshold: 5, companyCidrs: COMPANY_CIDRS, now: () => new Date() },
        });
        expect([v.verdict, v.score]).toEqual([scenario.expect.verdict, scenario.expect.score]);
        expect(v.path.map((p) => p.step)).toEqual(scenario.expect.path);
      });
    }
  });

  describe('e-mail, on documents loaded by `triage ingest` (registered domains added)', () => {
    // A "contains" search on a command line needs a wildcard query: refused here, so an attachment that
    // ran is found only by its process name or hash, and a step that could not look is unknown.
    const OVERRIDES: Record<string, { verdict: string; score: number | null; last: string }> = {
      'M1: the attachment ran': { verdict: 'inconclusive', score: null, last: 'M7' },
      'M7: no interaction': { verdict: 'inconclusive', score: null, last: 'M7' },
    };
    beforeAll(async () => {
      const report = await strict.load(EMAIL_SCENARIOS.flatMap((s) => s.docs));
      expect(report.rejected).toEqual([]);
    }, 60_000);

    for (const scenario of EMAIL_SCENARIOS) {
      it(scenario.name, async () => {
        const alert = toAlert(scenario.alert);
        const v = await investigate(alert, emailDeps(alert, strict));
        const override = Object.entries(OVERRIDES).find(([prefix]) => scenario.name.startsWith(prefix))?.[1];
        const want = override ?? scenario.expect;
        expect({ verdict: v.verdict, score: v.score, last: v.path.at(-1)?.step }).toEqual({ verdict: want.verdict, score: want.score, last: want.last });
        if (override && alert.type === 'email.malicious' && alert.fileNames.length) {
          const m1 = v.path.find((p) => p.step === 'M1')!;
          expect(m1.answer).toBe('unknown');
          expect(m1.evidence).toContain('process.command_line: a "contains" search is refused');
        }
      });
    }
  });

  describe('e-mail, on documents without registered domains (someone else’s pipeline)', () => {
    const scenario = EMAIL_SCENARIOS.find((s) => s.name.startsWith('M3: a rare domain'))!;
    let strictRaw: TestCluster;
    let normalRaw: TestCluster;

    beforeAll(async () => {
      [strictRaw, normalRaw] = await Promise.all([testCluster(node.url), testCluster()]);
      for (const c of [strictRaw, normalRaw]) {
        // Loaded as they are (no ingest, so no registered domain), into the indices the flow reads.
        const byDataset = (ds: string) => scenario.docs.filter((d) => (d['event'] as { dataset: string }).dataset === ds);
        c.indices.edrNetwork = await loadDynamic(c, 'network', byDataset('endpoint.events.network'));
        c.indices.proxy = await loadDynamic(c, 'proxy', byDataset('zscaler_zia.web'));
        c.indices.edrProcess = await loadDynamic(c, 'process', byDataset('endpoint.events.process'));
        c.indices.edrFile = await loadDynamic(c, 'file', byDataset('endpoint.events.file'));
      }
    }, 60_000);
    afterAll(async () => Promise.all([strictRaw?.cleanup(), normalRaw?.cleanup()]));

    it('where the cluster allows it, a subdomain is found without a registered domain (malicious 85)', async () => {
      const alert = toAlert(scenario.alert);
      const v = await investigate(alert, emailDeps(alert, normalRaw));
      expect([v.verdict, v.score, v.path.at(-1)?.step]).toEqual(['malicious', 85, 'M3']);
    });

    it('where it refuses, M3 answers unknown naming the field, and the verdict is inconclusive, never benign', async () => {
      const alert = toAlert(scenario.alert);
      const v = await investigate(alert, emailDeps(alert, strictRaw));
      expect([v.verdict, v.score, v.path.at(-1)?.step]).toEqual(['inconclusive', null, 'M7']);
      const m3 = v.path.find((p) => p.step === 'M3')!;
      expect(m3.answer).toBe('unknown');
      expect(m3.evidence).toMatch(/dns\.question\.name: \d+ event\(s\) carry no dns\.question\.registered_domain, and a subdomain search on them is refused/);
      expect(v.summary).toContain('M3 could not be answered');
    });

    it('where it refuses, a name equal to the domain (any case, a root dot) is still found, and the cut is said', async () => {
      const at = '2026-11-24T10:00:00.000Z';
      const dns = (name: string, host: string) => ({ '@timestamp': at, event: { dataset: 'endpoint.events.network' }, host: { name: host }, user: { name: 'erin' }, dns: { question: { name } } });
      const index = await loadDynamic(strictRaw, 'exactname', [dns('ACCT-Verify.example', 'LAPTOP-1'), dns('acct-verify.example.', 'LAPTOP-2'), dns('login.acct-verify.example', 'LAPTOP-3')]);
      const edr = elasticSources(strictRaw.es, { ...strictRaw.indices, edrNetwork: index }).edr;
      const found = await edr.domainContacts(['acct-verify.example'], { from: new Date('2026-11-24T00:00:00Z'), to: new Date('2026-11-25T00:00:00Z') });
      expect(found.found.map((c) => c.host).sort()).toEqual(['LAPTOP-1', 'LAPTOP-2']);
      expect(found.incomplete?.join('\n')).toMatch(/dns\.question\.name: 3 event\(s\) carry no dns\.question\.registered_domain/);
    });
  });
});
