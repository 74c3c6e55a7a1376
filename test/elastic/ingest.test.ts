// `triage ingest` and the index templates, against real Elasticsearch.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { cliEnv, runCli } from '../support/cli.js';
import { keyEvent } from '../support/cloudtrail.js';
import { MAX_LINE_BYTES } from '../../src/evidence/elastic/ingest.js';
import { boundedLines } from '../../src/io/bounded.js';

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
    expect(reported[1]).toMatch(/event.dataset is missing/);
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
      const src = h._source as Record<string, unknown>;
      const dns = (src['dns'] as { question?: { registered_domain?: string } } | undefined)?.question?.registered_domain;
      return dns ?? (src['destination.registered_domain'] as string | undefined) ?? (src['destination'] as { registered_domain?: string } | undefined)?.registered_domain ?? null;
    });
    // Computed for the first two; the one present is kept as it was (a private suffix); no suffix, none added.
    expect(registered).toEqual(['evil.co.uk', 'shared-docs.com', 'a.blogspot.com', null]);
    const byTerm = await cluster.es.count({ index: cluster.indices.edrNetwork, query: { term: { 'dns.question.registered_domain': 'evil.co.uk' } } });
    expect(byTerm.count).toBe(1);
  });
});
