// `triage ingest` on hostile and repeated input (issue 23): loading the same file twice doubles no count (natural
// event ids, following each Elastic package), and documents with hundreds of junk fields neither get in nor make
// later legitimate documents fail the index's field limit.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FIELDS_PER_DOCUMENT } from '../../src/evidence/elastic/field-budget.js';
import { cliEnv, runCli } from '../support/cli.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { fixtureText } from '../support/fixtures.js';
import { inNamespace, proofpointClicks, type Doc } from '../support/proofpoint.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster();
});
afterAll(async () => cluster?.cleanup());

const docsOf = (name: string): Doc[] =>
  fixtureText(name)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => inNamespace(JSON.parse(l) as Doc, cluster.namespace));

const count = async (index: string) => (await cluster.es.count({ index })).count;

describe('triage ingest is idempotent for datasets with a natural event id', () => {
  it.each([
    ['aws/cloudtrail/stored.ndjson', 'aws.cloudtrail'],
    ['okta/system/stored.ndjson', 'okta.system'],
    ['endpoint/process/stored.ndjson', 'endpoint.events.process'],
    ['endpoint/file/stored.ndjson', 'endpoint.events.file'],
    ['endpoint/network/stored.ndjson', 'endpoint.events.network'],
  ])('%s loaded twice: the same count, the second copy reported as already present', async (file, dataset) => {
    const docs = docsOf(file);
    const index = `logs-${dataset}-${cluster.namespace}`;
    const first = await cluster.load(docs);
    expect(first.rejected).toEqual([]);
    const stored = await count(index);
    expect(stored).toBe(docs.length);
    const second = await cluster.load(docs);
    expect([second.indexed, second.duplicates, second.rejected]).toEqual([0, docs.length, []]);
    expect(await count(index)).toBe(stored);
  });

  it('Proofpoint clicks through the CLI: a second load doubles nothing and says so (it used to double them)', { timeout: 120_000 }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clicks-')), 'clicks.ndjson');
    const docs = proofpointClicks().map((d) => inNamespace(d, cluster.namespace));
    writeFileSync(file, docs.map((d) => `${JSON.stringify(d)}\n`).join(''));
    const env = cliEnv(cluster, ELASTICSEARCH_URL);
    const once = await runCli(['ingest', file], env);
    expect(once.stdout).toMatch(/^ingested 6 document\(s\), rejected 0/);
    const twice = await runCli(['ingest', file], env);
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stdout).toMatch(/^ingested 0 document\(s\), 6 already present, rejected 0/);
    expect(await count(`logs-proofpoint_tap.clicks_permitted-${cluster.namespace}`)).toBe(4);
    expect(await count(`logs-proofpoint_tap.clicks_blocked-${cluster.namespace}`)).toBe(2);
  });

  it('a second click on the same message (same GUID, another click time) is another click', async () => {
    const [click] = proofpointClicks().map((d) => inNamespace(d, `${cluster.namespace}again`));
    const later = structuredClone(click!) as Doc & { proofpoint_tap: { clicks_permitted: { click_time?: string } } };
    later['@timestamp'] = '2026-10-01T10:00:00.000Z';
    if (later.proofpoint_tap.clicks_permitted.click_time) later.proofpoint_tap.clicks_permitted.click_time = '2026-10-01T09:59:00.000Z';
    const report = await cluster.load([click!, later, click!]);
    expect([report.indexed, report.duplicates]).toEqual([2, 1]);
  });
});

/** A document of `dataset` with `n` junk fields beside its legitimate ones. */
function junk(n: number, tag: string): Doc {
  const fields = Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${tag}${i}`, 'x']));
  return { '@timestamp': '2026-09-01T00:00:00Z', data_stream: { dataset: 'aws.cloudtrail', namespace: `${cluster.namespace}junk`, type: 'logs' }, event: { dataset: 'aws.cloudtrail' }, junk: fields };
}

describe('junk fields (hostile documents)', () => {
  it(`refuses a document with more than ${MAX_FIELDS_PER_DOCUMENT} fields, naming why; the others of the file load`, async () => {
    const legit = docsOf('aws/cloudtrail/stored.ndjson').map((d) => inNamespace(d, `${cluster.namespace}junk`));
    const report = await cluster.load([junk(880, 'a'), legit[0]!]);
    expect(report.indexed).toBe(1);
    expect(report.rejected).toEqual([{ file: 'fixture', line: 1, reason: expect.stringMatching(/^more than 500 fields: not loaded/) }]);
  });

  it("documents under the cap that together spend the index's field limit do not make later legitimate documents fail; the flows' fields stay searchable", async () => {
    const ns = `${cluster.namespace}junk`;
    const spend = await cluster.load([junk(450, 'b'), junk(450, 'c'), junk(450, 'd')]);
    expect(spend.rejected).toEqual([]);
    const legit = docsOf('aws/cloudtrail/stored.ndjson').map((d) => inNamespace(d, ns));
    const report = await cluster.load(legit);
    expect(report.rejected).toEqual([]);
    const index = `logs-aws.cloudtrail-${ns}`;
    const key = (legit[0]!['aws'] as { cloudtrail: { user_identity: { access_key_id: string } } }).cloudtrail.user_identity.access_key_id;
    const hits = await cluster.es.search({ index, size: 0, track_total_hits: true, query: { term: { 'aws.cloudtrail.user_identity.access_key_id': key } } });
    expect((hits.hits.total as { value: number }).value).toBeGreaterThanOrEqual(1);
  });
});
