// `triage ingest` routes Proofpoint TAP clicks (in the shape of Elastic's proofpoint_tap package) to their two data
// streams, mapped as the package maps the fields the e-mail flow reads.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../support/cli.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { EVIDENCE_DATASETS } from '../../src/evidence/elastic/templates.js';
import { blockedClicks, inNamespace, permittedClicks } from '../support/proofpoint.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster();
});
afterAll(async () => cluster?.cleanup());

type Leaf = { type?: string; ignore_above?: number };

describe('triage ingest: Proofpoint TAP clicks', () => {
  it('installs a template for each click data stream', () => {
    // A template left on a shared cluster would hide a missing one from the mapping test below.
    expect(EVIDENCE_DATASETS).toEqual(expect.arrayContaining(['proofpoint_tap.clicks_permitted', 'proofpoint_tap.clicks_blocked']));
  });

  it('loads permitted and blocked clicks into their data streams with the package’s field types', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'proofpoint-')), 'clicks.ndjson');
    const docs = [...permittedClicks(), ...blockedClicks()].map((d) => inNamespace(d, cluster.namespace));
    writeFileSync(file, docs.map((d) => `${JSON.stringify(d)}\n`).join(''));
    const res = await runCli(['ingest', file], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/ingested 6 document\(s\), rejected 0/);
    for (const [stream, n] of [['clicks_permitted', 4], ['clicks_blocked', 2]] as const) {
      const index = `logs-proofpoint_tap.${stream}-${cluster.namespace}`;
      expect((await cluster.es.count({ index })).count).toBe(n);
      const fields = ['url.full', 'email.to.address', 'destination.ip', 'source.ip', `proofpoint_tap.${stream}.click_time`, `proofpoint_tap.${stream}.threat.time`, `proofpoint_tap.${stream}.classification`];
      const mapping = (await cluster.es.indices.getFieldMapping({ index, fields })) as Record<string, { mappings: Record<string, { mapping: Record<string, Leaf> }> }>;
      const leaf = (f: string) => Object.values(Object.values(mapping)[0]!.mappings[f]!.mapping)[0]!;
      expect(leaf('url.full')).toMatchObject({ type: 'keyword', ignore_above: 8191 });
      expect(leaf('email.to.address').type).toBe('keyword');
      expect(leaf('destination.ip').type).toBe('ip');
      expect(leaf('source.ip').type).toBe('ip');
      expect(leaf(`proofpoint_tap.${stream}.click_time`).type).toBe('date');
      expect(leaf(`proofpoint_tap.${stream}.threat.time`).type).toBe('date');
      expect(leaf(`proofpoint_tap.${stream}.classification`).type).toBe('keyword');
    }
  });
});
