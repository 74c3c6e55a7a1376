// The audit trail on real Elasticsearch: one verdict record per alert run, however often its job is retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Audit } from '../../src/audit.js';
import type { Verdict } from '../../src/verdict.js';
import { testCluster, type TestCluster } from '../support/elastic.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster();
});
afterAll(async () => cluster?.cleanup());

const verdict: Verdict = { alert_id: 'audit-1', flow: 'malicious_email', verdict: 'benign', score: 10, summary: 's', path: [], facts: {} };

describe('verdict audit records', () => {
  it('are keyed by job id: a retried job rewrites its record instead of adding one', async () => {
    const audit = new Audit(cluster.es, { verdicts: cluster.indices.verdicts, dispositions: cluster.indices.dispositions });
    await audit.verdict(verdict, { alertType: 'email.malicious', jobId: 'alert-abc', attempt: 1 });
    await audit.verdict({ ...verdict, score: 12 }, { alertType: 'email.malicious', jobId: 'alert-abc', attempt: 2 });
    await audit.verdict(verdict, { alertType: 'email.malicious', jobId: 'alert-abc-run-1', attempt: 1 });
    await cluster.es.indices.refresh({ index: cluster.indices.verdicts });
    const r = await cluster.es.search({ index: cluster.indices.verdicts, query: { term: { alert_id: 'audit-1' } }, sort: [{ attempt: 'asc' }] });
    expect(r.hits.hits.map((h) => h._id).sort()).toEqual(['alert-abc', 'alert-abc-run-1']);
    expect(r.hits.hits.find((h) => h._id === 'alert-abc')?._source).toMatchObject({ attempt: 2, score: 12 });
  });
});
