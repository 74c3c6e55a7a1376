// How many requests one MFA push fatigue investigation sends to Elasticsearch, counted on the client (warm:
// mapping lookups are cached). Structural bounds, no timing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { investigate, type EngineDeps } from '../../src/flows/engine.js';
import { elasticSources } from '../../src/evidence/sources.js';
import { noClassifier, toAlert } from '../support/alerts.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { MFA_COMPANY_CIDRS, MFA_SCENARIOS } from './mfa-fatigue-scenarios.js';

let cluster: TestCluster;
const sent: string[] = [];

beforeAll(async () => {
  cluster = await testCluster();
  const report = await cluster.load(MFA_SCENARIOS.flatMap((s) => [...s.ecsEvents, ...s.agentDocs]));
  expect(report.rejected).toEqual([]);
  cluster.es.diagnostic.on('request', (_err, meta) => {
    if (meta) sent.push(`${meta.meta.request.params.method} ${meta.meta.request.params.path}`);
  });
}, 120_000);
afterAll(async () => cluster?.cleanup());

const deps = (): EngineDeps => ({ evidence: elasticSources(cluster.es, cluster.indices), ipClassifier: noClassifier, settings: { rareDomainUserThreshold: 5, companyCidrs: MFA_COMPANY_CIDRS, now: () => new Date() } });

async function requestsOf(name: string): Promise<string[]> {
  const alert = toAlert(MFA_SCENARIOS.find((s) => s.name.startsWith(name))!.alert);
  await investigate(alert, deps());
  sent.length = 0;
  await investigate(alert, deps());
  return [...sent];
}

describe('MFA push fatigue: round trips per investigation (warm)', () => {
  it('two round trips: the user’s MFA events (with its has-data question), then company agents and the user’s sign-in history in one _msearch', async () => {
    const sent = await requestsOf('P2: approved after 4 rejections');
    expect(sent).toHaveLength(2);
    expect(sent.every((r) => r.endsWith('/_msearch') || r.includes('/_search'))).toBe(true);
  });

  it('one when every requesting IP is a company IP (nothing left to ask)', async () => {
    expect(await requestsOf('P3: a fatigue approval from a company CIDR')).toHaveLength(1);
  });

  it('one when there is nothing to look up', async () => {
    expect(await requestsOf('P0: no MFA event')).toHaveLength(1);
  });
});
