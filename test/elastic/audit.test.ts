// The audit trail on real Elasticsearch: one verdict record per alert run, however often its job is retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Audit } from '../../src/audit/audit.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { emailFacts } from '../support/facts.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster();
});
afterAll(async () => cluster?.cleanup());

const verdict: Verdict = { alert_id: 'audit-1', flow: 'malicious_email', verdict: 'benign', score: 10, summary: 's', path: [], facts: emailFacts() };

describe('verdict audit records', () => {
  it('never map fields from facts whose keys an attacker chose, even when nobody installed the templates', async () => {
    const index = `triage-verdicts-fresh-${cluster.namespace}`;
    const audit = new Audit(cluster.es, { verdicts: index, dispositions: `triage-dispositions-fresh-${cluster.namespace}` });
    // 3 000 attacker-chosen domains would pass Elasticsearch's 1 000-field limit if facts were mapped.
    const domains = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`d${i}.evil.example`, 1]));
    await audit.verdict({ ...verdict, alert_id: 'audit-wide', facts: emailFacts({ domain_prior_users: domains }) }, { alertType: 'email.malicious', jobId: 'wide-1' });
    const mapping = await cluster.es.indices.getMapping({ index });
    const fields = Object.keys(mapping[index]!.mappings.properties ?? {});
    expect(fields).not.toContain('d0');
    expect(fields.length).toBeLessThan(20);
  });

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

  it('an audit index created before the track record’s fields gets them mapped (arrival time, times to verdict and decision)', async () => {
    const verdicts = `triage-verdicts-old-${cluster.namespace}`;
    const dispositions = `triage-dispositions-old-${cluster.namespace}`;
    for (const index of [verdicts, dispositions]) await cluster.es.indices.create({ index, mappings: { dynamic: false, properties: { alert_id: { type: 'keyword' } } } });
    const audit = new Audit(cluster.es, { verdicts, dispositions });
    await audit.verdict(verdict, { alertType: 'email.malicious', jobId: 'old-1', arrivedAt: '2026-06-01T12:00:00.000Z', answersArrival: true, reachedAt: '2026-06-01T12:00:42.000Z' });
    const mapping = await cluster.es.indices.getMapping({ index: `${verdicts},${dispositions}` });
    expect(mapping[verdicts]!.mappings.properties?.['arrived_at']).toMatchObject({ type: 'date' });
    expect(mapping[verdicts]!.mappings.properties?.['seconds_to_verdict']).toMatchObject({ type: 'double' });
    expect(mapping[dispositions]!.mappings.properties?.['seconds_to_decision']).toMatchObject({ type: 'double' });
    const doc = await cluster.es.get({ index: verdicts, id: 'old-1' });
    expect(doc._source).toMatchObject({ arrived_at: '2026-06-01T12:00:00.000Z', seconds_to_verdict: 42 });
  });
});
