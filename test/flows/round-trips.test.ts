// How many requests one investigation sends to Elasticsearch, counted on the client (mapping lookups are
// cached per index pattern, so a warm investigation sends searches only; the independent questions of a
// step leave together in one `_msearch`). Structural bounds,
// no timing: paging and the targeted call query must not turn into a request per event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { investigate, type EngineDeps } from '../../src/flows/engine.js';
import { IpClassifier } from '../../src/enrich/ip-class.js';
import { elasticSources } from '../../src/evidence/sources.js';
import { noClassifier, toAlert } from '../support/alerts.js';
import { realAwsRanges } from '../support/aws-ranges.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { AWS_SCENARIOS, TRUSTED_EGRESS } from './aws-scenarios.js';
import { EMAIL_SCENARIOS } from './email-scenarios.js';
import { COMPANY_CIDRS, OKTA_SCENARIOS } from './okta-scenarios.js';

let cluster: TestCluster;
const sent: string[] = [];
const classifier = new IpClassifier(realAwsRanges(), TRUSTED_EGRESS);

beforeAll(async () => {
  cluster = await testCluster();
  const report = await cluster.load([...AWS_SCENARIOS.flatMap((s) => s.docs), ...OKTA_SCENARIOS.flatMap((s) => [...s.ecsEvents, ...s.agentDocs]), ...EMAIL_SCENARIOS.flatMap((s) => s.docs)]);
  expect(report.rejected).toEqual([]);
  cluster.es.diagnostic.on('request', (_err, meta) => {
    if (meta) sent.push(`${meta.meta.request.params.method} ${meta.meta.request.params.path.replace(/\/[^/]*(aws|okta|endpoint|zscaler)[^/]*/, '/…')}`);
  });
}, 120_000);
afterAll(async () => cluster?.cleanup());

/** Requests of a warm investigation (a first run fills the mapping caches). */
async function requestsOf(raw: Record<string, unknown>, deps: EngineDeps): Promise<string[]> {
  const alert = toAlert(raw);
  await investigate(alert, deps);
  sent.length = 0;
  await investigate(alert, deps);
  return [...sent];
}

const awsDeps = (): EngineDeps => ({ evidence: elasticSources(cluster.es, cluster.indices), ipClassifier: async () => classifier });
const scenario = <T extends { name: string }>(list: T[], prefix: string) => list.find((s) => s.name.startsWith(prefix))!;

describe('round trips per investigation (warm)', () => {
  it('AWS: one search for a key used from one IP', async () => {
    expect(await requestsOf(scenario(AWS_SCENARIOS, 'A4: one public IP, the instance’s own').alert, awsDeps())).toEqual(['POST /…/_search']);
  });

  it('AWS: two round trips for an IP change (activity; calls ‖ sightings in one _msearch)', async () => {
    const reqs = await requestsOf(scenario(AWS_SCENARIOS, 'A6 (a): reboot').alert, awsDeps());
    expect(reqs).toEqual(['POST /…/_search', 'POST /_msearch']);
  });

  it('AWS: three when another instance’s session used the new IP (case b)', async () => {
    const reqs = await requestsOf(scenario(AWS_SCENARIOS, 'A6 (b)').alert, awsDeps());
    expect(reqs).toHaveLength(3);
  });

  it('AWS: a busy account (1 200 unrelated calls) still takes two: the call query asks only for what can explain', async () => {
    const reqs = await requestsOf(scenario(AWS_SCENARIOS, 'busy Auto Scaling').alert, awsDeps());
    expect(reqs).toHaveLength(2);
  });

  it('Okta: two round trips (the user’s log ‖ has-data; agents ‖ history), no mapping lookup', async () => {
    const s = scenario(OKTA_SCENARIOS, 'baseline');
    const reqs = await requestsOf(s.alert, { evidence: elasticSources(cluster.es, cluster.indices), ipClassifier: noClassifier, settings: { rareDomainUserThreshold: 5, companyCidrs: COMPANY_CIDRS, now: () => new Date() } });
    expect(reqs).toEqual(['POST /_msearch', 'POST /_msearch']);
  });

  it('Okta: a 2 100-event log is read in a handful of pages, not per event', async () => {
    const s = scenario(OKTA_SCENARIOS, 'v3: 2 100 failed');
    const reqs = await requestsOf(s.alert, { evidence: elasticSources(cluster.es, cluster.indices), ipClassifier: noClassifier, settings: { rareDomainUserThreshold: 5, companyCidrs: COMPANY_CIDRS, now: () => new Date() } });
    // First page, point in time, three pages of 1 000, closing it; then agents ‖ history.
    expect(reqs.filter((r) => r.includes('_pit')).length).toBe(2);
    expect(reqs.length).toBeLessThanOrEqual(8);
  });

  it('e-mail: every dataset and window in one _msearch round trip', async () => {
    const s = scenario(EMAIL_SCENARIOS, 'M7: no interaction');
    const alert = toAlert(s.alert);
    const reqs = await requestsOf(s.alert, { evidence: elasticSources(cluster.es, cluster.indices), ipClassifier: noClassifier, settings: { rareDomainUserThreshold: 5, companyCidrs: [], now: () => new Date(alert.time.getTime() + 24 * 3600_000) } });
    // proxy, Proofpoint TAP clicks (v3), contacts, popularity, process, file, each with its has-data request: all
    // documents came through ingest, so every name has its registered domain (no second, subdomain search).
    expect(reqs).toEqual(['POST /_msearch']);
  });
});
