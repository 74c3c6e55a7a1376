// The AWS flow end to end on ingested CloudTrail documents: real Elasticsearch, and the in-memory store
// on the same documents (which must agree, step for step).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAlert } from '../support/alerts.js';
import { investigate, type EngineDeps } from '../../src/flows/engine.js';
import { realAwsRanges } from '../support/aws-ranges.js';
import { IpClassifier } from '../../src/enrich/ip-class.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { elasticSources, memorySources } from '../../src/evidence/sources.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { AWS_SCENARIOS, TRUSTED_EGRESS } from './aws-scenarios.js';
import { awsFactsOf } from '../support/facts.js';

// AWS's real published ranges (the snapshot in test/fixtures/aws-ip-ranges/), as in production.
const classifier = new IpClassifier(realAwsRanges(), TRUSTED_EGRESS);


const allDocs = AWS_SCENARIOS.flatMap((s) => s.docs);

describe('AWS flow scenarios', () => {
  let cluster: TestCluster;
  let elastic: EngineDeps;
  const memory: EngineDeps = { evidence: memorySources(new MemoryDocuments(allDocs)), ipClassifier: async () => classifier };

  beforeAll(async () => {
    cluster = await testCluster();
    const report = await cluster.load(allDocs);
    expect(report.rejected).toEqual([]);
    elastic = { evidence: elasticSources(cluster.es, cluster.indices), ipClassifier: async () => classifier };
  });
  afterAll(async () => cluster?.cleanup());

  for (const scenario of AWS_SCENARIOS) {
    it(`${scenario.name} (Elasticsearch)`, async () => {
      const v = await investigate(toAlert(scenario.alert), elastic);
      expect({ verdict: v.verdict, score: v.score, last: v.path.at(-1)?.step }).toEqual({
        verdict: scenario.expect.verdict,
        score: scenario.expect.score,
        last: scenario.expect.last,
      });
      if (scenario.expect.path) expect(v.path.map((p) => p.step)).toEqual(scenario.expect.path);
      if (scenario.expect.case) {
        const changes = awsFactsOf(v).ip_changes as Array<{ explained_by: { case: string } | null }>;
        expect(changes.every((c) => c.explained_by?.case !== undefined)).toBe(true);
        expect(changes.map((c) => c.explained_by?.case)).toContain(scenario.expect.case);
      }
    });

    it(`${scenario.name} (in memory, same verdict and path)`, async () => {
      const alert = toAlert(scenario.alert);
      const [fromMemory, fromElastic] = await Promise.all([investigate(alert, memory), investigate(alert, elastic)]);
      expect(fromMemory).toEqual(fromElastic);
    });
  }

  it('names the role of the key’s sessions in the facts (Elasticsearch and memory alike)', async () => {
    const scenario = AWS_SCENARIOS.find((s) => s.name.startsWith('A1:'))!;
    const alert = toAlert(scenario.alert);
    const [fromElastic, fromMemory] = await Promise.all([investigate(alert, elastic), investigate(alert, memory)]);
    expect(awsFactsOf(fromElastic).role_arn).toBe('arn:aws:iam::111122223333:role/app-role');
    expect(awsFactsOf(fromMemory).role_arn).toBe('arn:aws:iam::111122223333:role/app-role');
    // The session issuer CloudTrail names: what containment acts on.
    expect(awsFactsOf(fromElastic).session_issuer_arns).toEqual(['arn:aws:iam::111122223333:role/app-role']);
    expect(awsFactsOf(fromMemory).session_issuer_arns).toEqual(['arn:aws:iam::111122223333:role/app-role']);
  });

  it('every step carries the search it rests on: the key’s CloudTrail events in the window (for an evidence link)', async () => {
    const scenario = AWS_SCENARIOS.find((s) => s.name.startsWith('A1:'))!;
    const alert = toAlert(scenario.alert);
    if (alert.type !== 'aws.instance_credential_exfiltration') throw new Error('not an AWS alert');
    const v = await investigate(alert, elastic);
    expect(v.path.length).toBeGreaterThan(0);
    const T = alert.time.getTime();
    for (const p of v.path) {
      expect(p.query).toEqual({ evidence: 'cloudtrail', match: [{ field: 'aws.cloudtrail.user_identity.access_key_id', values: [alert.accessKeyId] }], from: new Date(T - 24 * 3600_000).toISOString(), to: new Date(T + 3600_000).toISOString() });
    }
  });
});
