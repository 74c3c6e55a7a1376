// `triage ingest` and the index templates, against real Elasticsearch.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { cliEnv, runCli } from '../support/cli.js';
import { keyEvent } from '../support/cloudtrail.js';
import { ingestFiles, MAX_LINE_BYTES, type IngestProgress } from '../../src/evidence/elastic/ingest.js';
import { boundedLines } from '../../src/io/bounded.js';
import { expandDots } from '../../src/evidence/documents.js';
import { EVIDENCE_DATASETS, supportsFieldType } from '../../src/evidence/elastic/templates.js';

let cluster: TestCluster;
const dir = mkdtempSync(join(tmpdir(), 'ingest-'));

const okta = {
  '@timestamp': '2026-11-01T10:00:00Z',
  event: { dataset: 'okta.system', action: 'user.session.start', outcome: 'success' },
  okta: {
    uuid: 'b2f4-uuid-1',
    event_type: 'user.session.start',
    actor: { id: '00u1', alternate_id: 'jane@example.com' },
    client: { ip: '185.220.101.4', user_agent: { raw_user_agent: 'Mozilla/5.0' } },
    outcome: { result: 'SUCCESS' },
    debug_context: { debug_data: { behaviors: '{Velocity=POSITIVE}', device_fingerprint: 'fp1' } },
    security_context: { is_proxy: true },
  },
  client: { geo: { location: { lat: 52.37, lon: 4.89 }, city_name: 'Amsterdam', country_iso_code: 'NL' } },
  source: { ip: '185.220.101.4' },
};
const process1 = {
  '@timestamp': '2026-11-01T11:00:00Z',
  'event.dataset': 'endpoint.events.process',
  'event.category': 'process',
  'event.type': 'start',
  'process.name': 'cmd.exe',
  'process.command_line': 'cmd.exe /c "C:\\Users\\Bob\\Downloads\\Invoice *2026* (final)?.PDF.exe" --run',
  'host.name': 'LAPTOP-BOB',
  'user.name': 'bob',
};

beforeAll(async () => {
  cluster = await testCluster();
});
afterAll(async () => cluster?.cleanup());

describe('triage ingest', () => {
  it('loads good lines, reports each bad line by number and reason, exits non-zero', async () => {
    const file = join(dir, 'mixed.ndjson');
    const lines = [
      JSON.stringify(keyEvent({ key: 'ASIAINGEST000000001', ip: '3.80.1.10', at: '2026-11-01T08:00:00Z' })),
      '{"@timestamp": "2026-11-01T08:00:00Z", "event": {"dataset": "aws.cloudtrail"', // truncated
      JSON.stringify({ '@timestamp': '2026-11-01T08:00:00Z', message: 'no dataset' }),
      JSON.stringify({ '@timestamp': 'last tuesday', event: { dataset: 'aws.cloudtrail' } }),
      JSON.stringify({ '@timestamp': '2026-11-01T08:00:00Z', event: { dataset: 'Bad*Name' } }),
      JSON.stringify({ '@timestamp': '2026-11-01T08:00:00Z', event: { dataset: 'aws.cloudtrail' }, source: { ip: 'not-an-ip' } }),
      '',
      JSON.stringify(okta),
      JSON.stringify(process1),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const res = await runCli(['ingest', file], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(res.code).toBe(2);
    const reported = res.stderr.trim().split('\n').map((l) => l.replace(`${file}:`, ''));
    expect(reported.map((l) => Number(l.split(':')[0]))).toEqual([2, 3, 4, 5, 6]);
    expect(reported[0]).toMatch(/invalid JSON/);
    expect(reported[1]).toMatch(/no dataset: data_stream.dataset and event.dataset are missing/);
    expect(reported[2]).toMatch(/@timestamp/);
    expect(reported[3]).toMatch(/not a valid dataset name/);
    expect(reported[4]).toMatch(/source.ip|failed to parse/);
    expect(res.stdout).toMatch(/ingested 3 document\(s\), rejected 5/);
    // Searchable as soon as the command returns.
    const count = await cluster.es.count({ index: `logs-*-${cluster.namespace}` });
    expect(count.count).toBe(3);
  });

  it('skips a line over 1 MiB and a line that is not UTF-8, each reported as file:line, and loads the rest', async () => {
    const file = join(dir, 'long-lines.ndjson');
    const doc = (n: number, extra: Record<string, unknown> = {}) => JSON.stringify({ '@timestamp': '2026-11-02T08:00:00Z', 'event.dataset': 'endpoint.events.file', 'file.name': `f${n}.txt`, ...extra });
    const [before, after] = doc(3, { 'file.path': '@' }).split('@') as [string, string];
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`\uFEFF${doc(1)}\r\n`),
        Buffer.from(`${doc(2, { message: 'x'.repeat(MAX_LINE_BYTES) })}\n`),
        Buffer.from(before),
        Buffer.from([0xc3, 0x28]),
        Buffer.from(`${after}\n`),
        Buffer.from(doc(4)),
      ]),
    );
    const res = await runCli(['ingest', file], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(res.stderr.trim().split('\n')).toEqual([`${file}:2: line longer than ${MAX_LINE_BYTES} bytes`, `${file}:3: not valid UTF-8`]);
    expect(res.code).toBe(2);
    expect(res.stdout).toMatch(/ingested 2 document\(s\), rejected 2/);
  });

  it('reports an over-long line as soon as it crosses the bound, without reading the line to its end', async () => {
    let produced = 0;
    async function* endlessLine() {
      const chunk = Buffer.alloc(64 * 1024, 0x78);
      for (;;) {
        produced += chunk.length;
        yield chunk;
      }
    }
    const lines = boundedLines(endlessLine(), MAX_LINE_BYTES);
    const first = await lines.next();
    expect(first.value).toEqual({ line: 1, problem: `line longer than ${MAX_LINE_BYTES} bytes` });
    expect(produced).toBeLessThanOrEqual(MAX_LINE_BYTES + 64 * 1024);
    await lines.return(undefined);
  });

  it('a clean file exits 0; an Okta event loaded twice is a duplicate, not an error', async () => {
    const file = join(dir, 'okta.ndjson');
    writeFileSync(file, `${JSON.stringify(okta)}\n`);
    const res = await runCli(['ingest', file], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/ingested 0 document\(s\), 1 already present, rejected 0/);
  });

  it('piped: no progress on standard error, one summary line with the time taken and the rate', async () => {
    const file = join(dir, 'many.ndjson');
    const docs = Array.from({ length: 450 }, (_, i) => JSON.stringify(keyEvent({ key: 'ASIAINGESTPROGRESS01', ip: '3.80.1.10', at: new Date(Date.parse('2026-11-01T08:00:00Z') + i * 1000).toISOString() })));
    writeFileSync(file, `${docs.join('\n')}\n`);
    const res = await runCli(['ingest', file], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(new RegExp(`^ingested 450 document\\(s\\), rejected 0 \\(logs-aws\\.cloudtrail-${cluster.namespace}: 450\\) in \\d+\\.\\d s, [\\d ]+ documents/s\\n$`));
  });

  it('tells its progress as it reads: documents seen and bytes read, the last report covering the whole input', async () => {
    const lines = Array.from({ length: 450 }, (_, i) => `${JSON.stringify(keyEvent({ key: 'ASIAINGESTPROGRESS02', ip: '3.80.1.10', at: new Date(Date.parse('2026-11-01T09:00:00Z') + i * 1000).toISOString() }))}\n`);
    const heard: IngestProgress[] = [];
    await ingestFiles(cluster.es, [{ name: 'progress', stream: Readable.from(['\n', ...lines]) }], { namespace: cluster.namespace, alertsIndex: cluster.indices.alerts, onProgress: (p) => heard.push(p) });
    expect(heard.map((p) => p.documents)).toEqual([200, 400, 450]); // the blank line is no document
    expect(heard.at(-1)!.bytesRead).toBe(1 + lines.reduce((n, l) => n + Buffer.byteLength(l), 0));
    expect(heard[0]!.bytesRead).toBeGreaterThan(0);
  });

  it('installs the field types of evidence-schema.md', async () => {
    const mapping = await cluster.es.indices.getFieldMapping({
      index: `logs-*-${cluster.namespace}`,
      fields: ['source.ip', 'client.geo.location', 'okta.client.ip', 'process.command_line', 'okta.security_context.is_proxy', '@timestamp', 'user.id'],
    });
    const types: Record<string, string> = {};
    for (const index of Object.values(mapping)) {
      for (const [field, m] of Object.entries(index.mappings)) {
        const leaf = Object.values(m.mapping)[0] as { type: string };
        types[field] = leaf.type;
      }
    }
    expect(types).toMatchObject({
      'source.ip': 'ip',
      'client.geo.location': 'geo_point',
      'okta.client.ip': 'ip',
      'process.command_line': 'keyword',
      'okta.security_context.is_proxy': 'boolean',
      '@timestamp': 'date',
      'user.id': 'keyword',
    });
  });

  it('supports an exact, case-insensitive "contains" on process.command_line with special characters taken literally', async () => {
    const search = async (needle: string) => {
      const escaped = needle.replace(/[\\*?]/g, (c) => `\\${c}`);
      const res = await cluster.es.count({
        index: cluster.indices.edrProcess,
        query: { wildcard: { 'process.command_line': { value: `*${escaped}*`, case_insensitive: true } } },
      });
      return res.count;
    };
    expect(await search('invoice *2026* (final)?.pdf.exe')).toBe(1);
    expect(await search('C:\\USERS\\bob\\downloads')).toBe(1);
    // A literal "*" must not match arbitrary text.
    expect(await search('invoice *2027* (final)?.pdf.exe')).toBe(0);
    expect(await search('invoice x2026x')).toBe(0);
  });

  it('adds the registrable domain (ICANN public suffixes) to network events that lack it, so domain searches need no wildcard', async () => {
    const file = join(dir, 'network.ndjson');
    const base = { '@timestamp': '2026-11-02T10:00:00Z', event: { dataset: 'endpoint.events.network' } };
    const lines = [
      { ...base, event: { ...base.event, id: 'n1' }, dns: { question: { name: 'cdn.login.evil.co.uk.' } } },
      { ...base, 'event.id': 'n2', 'destination.domain': 'Files.Shared-Docs.com' },
      { ...base, event: { ...base.event, id: 'n3' }, dns: { question: { name: 'a.blogspot.com', registered_domain: 'a.blogspot.com' } } },
      { ...base, event: { ...base.event, id: 'n4' }, destination: { domain: 'localhost', ip: '10.0.0.1' } },
    ];
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const res = await runCli(['ingest', file], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(res.code).toBe(0);
    const found = await cluster.es.search<Record<string, unknown>>({ index: cluster.indices.edrNetwork, size: 10, query: { match_all: {} }, sort: [{ 'event.id': 'asc' }] });
    const registered = found.hits.hits.map((h) => {
      // Added fields come as dotted keys after the document as it was written.
      const src = expandDots(h._source) as Record<string, unknown>;
      const dns = (src['dns'] as { question?: { registered_domain?: string } } | undefined)?.question?.registered_domain;
      return dns ?? (src['destination'] as { registered_domain?: string } | undefined)?.registered_domain ?? null;
    });
    // Computed for the first two; the one present is kept as it was (a private suffix); no suffix, none added.
    expect(registered).toEqual(['evil.co.uk', 'shared-docs.com', 'a.blogspot.com', null]);
    const byTerm = await cluster.es.count({ index: cluster.indices.edrNetwork, query: { term: { 'dns.question.registered_domain': 'evil.co.uk' } } });
    expect(byTerm.count).toBe(1);
  });

  it('routes by data_stream.dataset when a document has no event.dataset, and by --dataset when it names neither', async () => {
    const file = join(dir, 'datasets.ndjson');
    const lines = [
      // Stored in a data stream: event.dataset is a constant of the mapping, so _source may lack it.
      { '@timestamp': '2026-11-03T08:00:00Z', data_stream: { dataset: 'aws.cloudtrail', type: 'logs' }, event: { action: 'ListBuckets' }, aws: { cloudtrail: { user_identity: { access_key_id: 'ASIADATASTREAM00001' } } } },
      // Elastic's pipeline-test output: neither field.
      { '@timestamp': '2026-11-03T08:01:00Z', event: { action: 'RunInstances' }, aws: { cloudtrail: { user_identity: { access_key_id: 'ASIAPIPELINE0000001' } } } },
    ];
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const without = await runCli(['ingest', file], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(without.code).toBe(2);
    expect(without.stderr.trim()).toBe(`${file}:2: no dataset: data_stream.dataset and event.dataset are missing (--dataset names it for documents that carry neither)`);
    expect(without.stdout).toContain(`logs-aws.cloudtrail-${cluster.namespace}: 1`);
    const pipelineOutput = join(dir, 'pipeline-output.ndjson');
    writeFileSync(pipelineOutput, `${JSON.stringify(lines[1])}\n`);
    const res = await runCli(['ingest', pipelineOutput, '--dataset', 'aws.cloudtrail'], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`ingested 1 document\\(s\\).*logs-aws\\.cloudtrail-${cluster.namespace}: 1`));
    const count = await cluster.es.count({ index: cluster.indices.cloudtrail, query: { terms: { 'aws.cloudtrail.user_identity.access_key_id': ['ASIADATASTREAM00001', 'ASIAPIPELINE0000001'] } } });
    expect(count.count).toBe(2);
    const bad = await runCli(['ingest', pipelineOutput, '--dataset', 'Not-A-Dataset'], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--dataset must be a dataset name/);
  });

  it('takes JSON files as Elastic’s packages publish them: a sample_event.json, a pipeline test’s {"expected": [...]}, an array', async () => {
    const web = (at: string, extra: Record<string, unknown> = {}) => ({ '@timestamp': at, event: { kind: 'event' }, url: { full: `https://example.org/${at}` }, ...extra });
    const sample = join(dir, 'sample_event.json');
    writeFileSync(sample, `${JSON.stringify({ ...web('2026-11-05T08:00:00Z'), data_stream: { dataset: 'zscaler_zia.web', type: 'logs' } }, null, 4)}\n`);
    const expected = join(dir, 'test-web.log-expected.json');
    // The second document (from line 12 on) has no @timestamp.
    writeFileSync(expected, `${JSON.stringify({ expected: [web('2026-11-05T08:01:00Z'), { event: { kind: 'event' }, url: { full: 'https://example.org/none' } }, web('2026-11-05T08:02:00Z', { dns: { Ext: { options: 1 } } })] }, null, 4).replace('"options": 1', '"options": 18446744073709551615')}\n`);
    const array = join(dir, 'array.json');
    writeFileSync(array, JSON.stringify([web('2026-11-05T08:03:00Z'), web('2026-11-05T08:04:00Z')], null, 2));
    const res = await runCli(['ingest', sample, expected, array, '--dataset', 'zscaler_zia.web'], cliEnv(cluster, ELASTICSEARCH_URL));
    // Reported by the line its document starts on.
    expect(readFileSync(expected, 'utf8').split('\n')[11]).toBe('        {');
    expect(res.stderr.trim()).toBe(`${expected}:12: @timestamp is missing or not a valid time`);
    expect(res.stdout).toMatch(/^ingested 5 document\(s\), rejected 1 /);
    const raw = await fetch(`${ELASTICSEARCH_URL}/${cluster.indices.proxy}/_search?q=url.full:"https://example.org/2026-11-05T08:02:00Z"&filter_path=hits.hits._source.dns`).then((r) => r.text());
    expect(raw).toContain('18446744073709551615');
  });

  it('reads a file whose first line is a broken document line by line, as NDJSON', async () => {
    const file = join(dir, 'broken-first.ndjson');
    writeFileSync(file, `{"@timestamp": "2026-11-05T09:00:00Z", "event": {"dataset": "aws.cloudtrail"\n${JSON.stringify(keyEvent({ key: 'ASIABROKENFIRST0001', ip: '3.80.1.10', at: '2026-11-05T09:01:00Z' }))}\n`);
    const res = await runCli(['ingest', file], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(res.stderr.trim()).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: invalid JSON`));
    expect(res.stdout).toMatch(/^ingested 1 document\(s\), rejected 1 /);
  });

  it('writes a document to its own data_stream.namespace; an invalid one is reported by line', async () => {
    const own = `${cluster.namespace}ep`;
    const file = join(dir, 'namespaces.ndjson');
    const doc = (ns: string) => ({ '@timestamp': '2026-11-03T09:00:00Z', data_stream: { dataset: 'zscaler_zia.web', namespace: ns, type: 'logs' }, event: { dataset: 'zscaler_zia.web' }, url: { full: 'https://example.com/' } });
    writeFileSync(file, `${[doc(own), doc('Bad-Namespace')].map((l) => JSON.stringify(l)).join('\n')}\n`);
    const res = await runCli(['ingest', file], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(res.stderr.trim()).toBe(`${file}:2: data_stream.namespace "Bad-Namespace" is not a valid namespace (lower-case letters, digits and "_")`);
    expect(res.stdout).toContain(`logs-zscaler_zia.web-${own}: 1`);
    expect((await cluster.es.count({ index: `logs-zscaler_zia.web-${own}` })).count).toBe(1);
  });

  it('never rejects a document for a number beyond long: Defend’s unsigned 64-bit fields keep their digits', async () => {
    const unsignedLong = await supportsFieldType(cluster.es, 'unsigned_long');
    const file = join(dir, 'unsigned.ndjson');
    // Written as text: JSON.stringify would round these numbers.
    const lines = [
      `{"@timestamp":"2026-11-04T08:00:00Z","event":{"dataset":"endpoint.events.network","action":"lookup_requested"},"dns":{"Ext":{"options":9223372036854775808,"status":0},"question":{"name":"updates.example.org"}},"host":{"name":"mgmt-win-1"}}`,
      `{"@timestamp":"2026-11-04T08:01:00Z","event":{"dataset":"endpoint.events.file","action":"creation","type":["creation"]},"file":{"name":"a.txt","Ext":{"monotonic_id":18446744073709551615}},"host":{"name":"mgmt-win-1"}}`,
      // A field no template names: first a small number, then one beyond long.
      `{"@timestamp":"2026-11-04T08:02:00Z","event":{"dataset":"endpoint.events.process","type":["start"]},"process":{"name":"a.exe","Ext":{"ptrace":{"addr":5}}}}`,
      `{"@timestamp":"2026-11-04T08:03:00Z","event":{"dataset":"endpoint.events.process","type":["start"]},"process":{"name":"b.exe","Ext":{"ptrace":{"addr":18446744073709551615}}}}`,
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const res = await runCli(['ingest', file], cliEnv(cluster, ELASTICSEARCH_URL));
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/ingested 4 document\(s\), rejected 0/);
    // The mapping follows what the cluster has: unsigned_long, else keyword (the integration-test distribution).
    const mapping = await cluster.es.indices.getFieldMapping({ index: cluster.indices.edrFile, fields: ['file.Ext.monotonic_id'] });
    const leaf = Object.values(Object.values(mapping)[0]!.mappings['file.Ext.monotonic_id']!.mapping)[0] as { type: string };
    expect(leaf.type).toBe(unsignedLong ? 'unsigned_long' : 'keyword');
    expect((await cluster.es.count({ index: cluster.indices.edrFile, query: { term: { 'file.Ext.monotonic_id': '18446744073709551615' } } })).count).toBe(1);
    // _source keeps the digits as written (read as text: a JSON parser would round them).
    const raw = await fetch(`${ELASTICSEARCH_URL}/${cluster.indices.edrNetwork},${cluster.indices.edrProcess}/_search?filter_path=hits.hits._source`).then((r) => r.text());
    expect(raw).toContain('"options":9223372036854775808');
    expect(raw).toContain('"addr":18446744073709551615');
  });

  it('tells the field types the cluster has (a probe that creates nothing)', async () => {
    expect(await supportsFieldType(cluster.es, 'keyword')).toBe(true);
    expect(await supportsFieldType(cluster.es, 'no_such_field_type')).toBe(false);
  });

  it('keeps its templates below Elastic’s integration templates (200) and above the stack’s logs (100)', async () => {
    const res = await cluster.es.indices.getIndexTemplate({ name: 'triage-logs-*' });
    const general = res.index_templates.filter((t) => EVIDENCE_DATASETS.includes(t.name.replace(/^triage-logs-/, '')));
    expect(general.map((t) => t.name).sort()).toEqual(EVIDENCE_DATASETS.map((d) => `triage-logs-${d}`).sort());
    for (const t of general) expect(t.index_template.priority).toBe(150);
    // A test suite's own namespace templates sit one step above, still below the integrations.
    const own = res.index_templates.filter((t) => t.name.endsWith(`-${cluster.namespace}`));
    expect(own.length).toBe(EVIDENCE_DATASETS.length);
    for (const t of own) expect(t.index_template.priority).toBe(151);
  });
});
