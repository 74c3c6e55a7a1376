// One suite, two implementations: the proxy and EDR ports on Elasticsearch and in memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdrEvidence, ProxyEvidence } from '../../src/evidence/ports.js';
import { ElasticEdr } from '../../src/evidence/elastic/edr.js';
import { ElasticProxy } from '../../src/evidence/elastic/proxy.js';
import { MemoryEdr, MemoryProxy } from '../../src/evidence/memory/edr.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { urlSpellings } from '../../src/enrich/url.js';
import { loadDynamic, loadMixed, testCluster, type TestCluster } from '../support/elastic.js';
import { connection, dnsLookup, fileCreation, processStart, proxyHit, zscalerHit } from '../support/edr.js';

const after = { from: new Date('2026-09-01T00:00:00Z'), to: new Date('2026-09-02T00:00:00Z') };
const empty = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') };
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/** The host in `n` letter-case spellings (bit i of the spelling's number upper-cases letter i). */
function caseSpellings(host: string, n: number): string[] {
  return Array.from({ length: n }, (_, k) => [...host].map((c, i) => (k >> i) & 1 ? c.toUpperCase() : c).join(''));
}
const MANY = caseSpellings('many.case-test.example', 60);
const SOME = caseSpellings('some.case-test.example', 20);

function withoutHostField(doc: Record<string, unknown>): Record<string, unknown> {
  const { domain: _domain, ...url } = doc['url'] as Record<string, unknown>;
  return { ...doc, url };
}

const docs = [
  proxyHit('2026-09-01T09:00:00Z', 'HTTPS://Login.Evil.co.uk/Path/', 'bob', 'LAPTOP-BOB'),
  proxyHit('2026-09-01T09:05:00Z', 'https://login.evil.co.uk/Path', 'bob', 'LAPTOP-BOB'),
  proxyHit('2026-09-01T09:06:00Z', 'https://login.evil.co.uk/other', 'eve', 'LAPTOP-EVE'),
  // As Elastic's Zscaler pipeline writes it: no host.name, no user.name.
  zscalerHit('2026-09-01T09:07:00Z', 'https://docs.shared-files.net/inv.html', { user: 'administrator1', email: 'admin1@example.com', device: 'TESTMACHINE35', relatedHosts: ['TESTMACHINE35'] }),
  zscalerHit('2026-09-01T09:08:00Z', 'https://docs.shared-files.net/inv.html', { email: 'carol@example.com', relatedHosts: ['ws-17'] }),
  // Zscaler's `Blocked` (issue 23.8) and a record with three spellings of one person (issue 23.9).
  zscalerHit('2026-09-01T09:09:00Z', 'https://block.me.test/x', { user: 'administrator1', userName: 'test', email: 'test@example.com', device: 'TESTMACHINE35', action: 'blocked', status: 403 }),
  zscalerHit('2026-09-01T09:10:00Z', 'https://block.me.test/x', { user: 'administrator1', userName: 'test', device: 'TESTMACHINE35' }),
  // Host case, a root dot and records without url.domain (another pipeline): the path is compared as written.
  withoutHostField(proxyHit('2026-09-01T09:11:00Z', 'HTTPS://FILES.Case-Test.example/Doc', 'fay', 'LAPTOP-FAY')),
  proxyHit('2026-09-01T09:12:00Z', 'https://files.case-test.example/DOC', 'gus', 'LAPTOP-GUS'),
  proxyHit('2026-09-01T09:13:00Z', 'https://Files.Case-Test.example./Doc', 'hal', 'LAPTOP-HAL'),
  withoutHostField(proxyHit('2026-09-01T09:14:00Z', 'https://files.case-test.example/doc', 'ivy', 'LAPTOP-IVY')),
  // Hostile: a host logged in more spellings than kept, and one whose exact spellings would overflow a terms query.
  ...MANY.map((h, i) => proxyHit('2026-09-01T09:20:00Z', `https://${h}/x`, `m${i}`, `LAPTOP-M${i}`)),
  ...SOME.map((h, i) => proxyHit('2026-09-01T09:21:00Z', `https://${h}/p0`, `s${i}`, `LAPTOP-S${i}`)),
  // Hosts a proxy search cannot split (an IPv6 literal, user info), and records named by related.hosts or by nothing.
  { ...proxyHit('2026-09-01T09:22:00Z', 'http://[2001:db8::1]/x', 'ian', 'LAPTOP-IAN'), url: { full: 'http://[2001:db8::1]/x', original: 'http://[2001:db8::1]/x', domain: '[2001:db8::1]' } },
  { ...proxyHit('2026-09-01T09:23:00Z', 'https://user:pw@ui.case-test.example/x', 'ulf', 'LAPTOP-ULF'), url: { full: 'https://user:pw@ui.case-test.example/x', original: 'https://user:pw@ui.case-test.example/x', domain: 'ui.case-test.example' } },
  zscalerHit('2026-09-01T09:24:00Z', 'https://listed.case-test.example/x', { email: 'lea@example.com', relatedHosts: ['WS-LEA'] }),
  zscalerHit('2026-09-01T09:25:00Z', 'https://listed.case-test.example/x', { email: 'lea@example.com' }),
  // Beats' registered_domain processor keeps the name's case.
  { ...dnsLookup('2026-09-01T09:05:00Z', 'Login.Evil-Beats.example', 'bea', 'LAPTOP-BEA'), dns: { question: { name: 'Login.Evil-Beats.example', registered_domain: 'Evil-Beats.example' } } },
  dnsLookup('2026-09-01T09:00:00Z', 'login.evil.co.uk', 'bob', 'LAPTOP-BOB'),
  dnsLookup('2026-09-01T09:01:00Z', 'EVIL.CO.UK.', 'carol', 'LAPTOP-CAROL'),
  connection('2026-09-01T09:02:00Z', 'cdn.evil.co.uk', 'bob', 'LAPTOP-BOB'),
  dnsLookup('2026-09-01T09:03:00Z', 'xevil.co.uk', 'dave', 'LAPTOP-DAVE'),
  // A registered domain the event carries decides (here a private suffix: a shop of its own, not blogspot.com's).
  { ...dnsLookup('2026-09-01T09:04:00Z', 'shop.blogspot.com', 'erin', 'LAPTOP-ERIN'), dns: { question: { name: 'shop.blogspot.com', registered_domain: 'shop.blogspot.com' } } },
  processStart('2026-09-01T10:00:00Z', { name: 'Setup [1].EXE', commandLine: 'C:\\Temp\\Setup [1].EXE /quiet', user: 'bob', host: 'LAPTOP-BOB' }),
  processStart('2026-09-01T10:01:00Z', { name: 'run.exe', commandLine: 'run.exe', sha256: SHA.toUpperCase(), user: 'eve', host: 'LAPTOP-EVE' }),
  { ...processStart('2026-09-01T10:02:00Z', { name: 'setup [1].exe', commandLine: 'setup [1].exe', user: 'bob', host: 'LAPTOP-BOB' }), event: { dataset: 'endpoint.events.process', type: ['end'] } },
  fileCreation('2026-09-01T11:00:00Z', { name: 'SETUP [1].exe', path: 'C:\\Temp\\SETUP [1].exe', user: 'bob', host: 'LAPTOP-BOB' }),
  { ...fileCreation('2026-09-01T11:01:00Z', { name: 'z.bin', path: 'C:\\z.bin', user: 'eve', host: 'LAPTOP-EVE' }), file: { name: 'z.bin', path: 'C:\\z.bin', hash: { md5: MD5 } } },
];

let cluster: TestCluster;
let dynamic: { proxy: string; process: string; file: string; network: string };
let mixed: { proxy: string; process: string; file: string; network: string };
beforeAll(async () => {
  cluster = await testCluster();
  const report = await cluster.load(docs);
  expect(report.rejected).toEqual([]);
  const of = (dataset: string) => docs.filter((d) => (d['event'] as { dataset: string }).dataset === dataset);
  dynamic = {
    proxy: await loadDynamic(cluster, 'proxy', of('zscaler_zia.web')),
    process: await loadDynamic(cluster, 'process', of('endpoint.events.process')),
    file: await loadDynamic(cluster, 'file', of('endpoint.events.file')),
    network: await loadDynamic(cluster, 'network', of('endpoint.events.network')),
  };
  mixed = {
    proxy: await loadMixed(cluster, 'proxy', of('zscaler_zia.web')),
    process: await loadMixed(cluster, 'process', of('endpoint.events.process')),
    file: await loadMixed(cluster, 'file', of('endpoint.events.file')),
    network: await loadMixed(cluster, 'network', of('endpoint.events.network')),
  };
});
afterAll(async () => cluster?.cleanup());

const implementations: Array<[string, () => { proxy: ProxyEvidence; edr: EdrEvidence }]> = [
  ['elasticsearch', () => ({ proxy: new ElasticProxy(cluster.es, cluster.indices.proxy), edr: new ElasticEdr(cluster.es, { process: cluster.indices.edrProcess, file: cluster.indices.edrFile, network: cluster.indices.edrNetwork }) })],
  ['elasticsearch, dynamically mapped', () => ({ proxy: new ElasticProxy(cluster.es, dynamic.proxy), edr: new ElasticEdr(cluster.es, dynamic) })],
  ['elasticsearch, mixed mappings', () => ({ proxy: new ElasticProxy(cluster.es, mixed.proxy), edr: new ElasticEdr(cluster.es, mixed) })],
  ['memory', () => { const m = new MemoryDocuments(docs); return { proxy: new MemoryProxy(m), edr: new MemoryEdr(m) }; }],
];

describe.each(implementations)('proxy and EDR ports (%s)', (_name, make) => {
  it('finds proxy hits on any spelling of a URL, case-insensitively, per logged URL and host', async () => {
    const res = await make().proxy.urlHits(urlSpellings('https://login.evil.co.uk/Path'), after);
    expect(res.hasData).toBe(true);
    const urls = res.found.map((h) => h.url).sort();
    expect(urls).toEqual(['HTTPS://Login.Evil.co.uk/Path/', 'https://login.evil.co.uk/Path']);
    // One person per record: user.email, its user.name beside it.
    expect(res.found.every((h) => h.host === 'LAPTOP-BOB' && h.users.join() === 'bob@example.com' && h.otherNames?.join() === 'bob')).toBe(true);
  });

  it('names Zscaler’s user (source.user.name, user.email) and device (zscaler_zia.web.device.hostname, else related.hosts)', async () => {
    const res = await make().proxy.urlHits(urlSpellings('https://docs.shared-files.net/inv.html'), after);
    expect(res.found.map((h) => [h.host, h.users, h.count]).sort()).toEqual([
      ['TESTMACHINE35', ['admin1@example.com'], 1],
      ['ws-17', ['carol@example.com'], 1],
    ]);
    expect(res.found.find((h) => h.host === 'TESTMACHINE35')!.otherNames).toEqual(['administrator1']);
  });

  it('keeps records the proxy blocked apart, and reads one person per record (user.email, else user.name, else source.user.name)', async () => {
    const res = await make().proxy.urlHits(urlSpellings('https://block.me.test/x'), after);
    const summary = res.found.map((h) => ({ blocked: h.blocked ?? false, users: h.users, otherNames: h.otherNames ?? [], count: h.count }));
    expect(summary.sort((a, b) => Number(a.blocked) - Number(b.blocked))).toEqual([
      { blocked: false, users: ['test'], otherNames: ['administrator1'], count: 1 },
      { blocked: true, users: ['test@example.com'], otherNames: ['administrator1', 'test'], count: 1 },
    ]);
  });

  it('matches scheme and host in any case (a root dot too), with or without url.domain, and the path as written', async () => {
    const res = await make().proxy.urlHits(urlSpellings('https://files.case-test.example/Doc'), after);
    expect(res.found.map((h) => [h.host, h.url]).sort()).toEqual([
      ['LAPTOP-FAY', 'HTTPS://FILES.Case-Test.example/Doc'],
      ['LAPTOP-HAL', 'https://Files.Case-Test.example./Doc'],
    ]);
  });

  it('hostile: a host logged in 60 spellings, or 50 URLs of a host logged in 20, are still searched whole', async () => {
    const many = await make().proxy.urlHits(urlSpellings('https://many.case-test.example/x'), after);
    expect(many.found.map((h) => h.host).sort()).toEqual(MANY.map((_, i) => `LAPTOP-M${i}`).sort());
    const urls = Array.from({ length: 50 }, (_, i) => `https://some.case-test.example/p${i}`);
    const some = await make().proxy.urlHits([...new Set(urls.flatMap(urlSpellings))], after);
    expect(some.found.map((h) => h.host).sort()).toEqual(SOME.map((_, i) => `LAPTOP-S${i}`).sort());
  });

  it('finds URLs whose host is an IPv6 literal or carries user info, case-insensitively', async () => {
    const v6 = await make().proxy.urlHits(urlSpellings('http://[2001:DB8::1]/x'), after);
    expect(v6.found.map((h) => h.host)).toEqual(['LAPTOP-IAN']);
    const userInfo = await make().proxy.urlHits(urlSpellings('https://user:pw@UI.case-test.example/x'), after);
    expect(userInfo.found.map((h) => h.host)).toEqual(['LAPTOP-ULF']);
  });

  it('names a record’s device by related.hosts, and keeps one that names none', async () => {
    const res = await make().proxy.urlHits(urlSpellings('https://listed.case-test.example/x'), after);
    expect(res.found.map((h) => [h.host ?? '', h.users, h.count]).sort()).toEqual([
      ['', ['lea@example.com'], 1],
      ['WS-LEA', ['lea@example.com'], 1],
    ]);
  });

  it('matches a registered domain in the case a Beats pipeline keeps', async () => {
    const contacts = await make().edr.domainContacts(['evil-beats.example'], after);
    expect(contacts.found.map((c) => c.host)).toEqual(['LAPTOP-BEA']);
  });

  it('tells no hits from no data', async () => {
    expect((await make().proxy.urlHits(['https://nowhere.test/'], after)).hasData).toBe(true);
    expect((await make().proxy.urlHits(['https://nowhere.test/'], empty)).hasData).toBe(false);
    expect((await make().edr.processHits(['a.exe'], [], empty)).hasData).toBe(false);
  });

  it('counts a domain’s subdomains (DNS and connections) at label boundaries, and its distinct users', async () => {
    const { edr } = make();
    const contacts = await edr.domainContacts(['evil.co.uk'], after);
    expect(contacts.found.map((c) => c.host).sort()).toEqual(['LAPTOP-BOB', 'LAPTOP-CAROL']);
    expect(contacts.found.find((c) => c.host === 'LAPTOP-BOB')!.names).toEqual(['cdn.evil.co.uk', 'login.evil.co.uk']);
    expect((await edr.domainUsers(['evil.co.uk', 'xevil.co.uk', 'none.test'], after)).found).toEqual({ 'evil.co.uk': 2, 'xevil.co.uk': 1, 'none.test': 0 });
  });

  it('trusts the registered domain an event carries over the labels of its name', async () => {
    const { edr } = make();
    expect((await edr.domainUsers(['blogspot.com', 'shop.blogspot.com'], after)).found).toEqual({ 'blogspot.com': 0, 'shop.blogspot.com': 1 });
    expect((await edr.domainContacts(['shop.blogspot.com'], after)).found.map((c) => [c.host, c.names])).toEqual([['LAPTOP-ERIN', ['shop.blogspot.com']]]);
  });

  it('counts any process event as data, but matches starts only', async () => {
    const onlyAnEnd = { from: new Date('2026-09-01T10:01:30Z'), to: new Date('2026-09-01T10:03:00Z') };
    expect(await make().edr.processHits(['setup [1].exe'], [], onlyAnEnd)).toEqual({ hasData: true, found: [] });
  });

  it('matches process starts by command line (literal brackets), name (case-insensitive) and hash; not process ends', async () => {
    const hits = (await make().edr.processHits(['setup [1].exe'], [SHA], after)).found;
    const summary = hits.map((h) => `${h.matchedBy}:${h.indicator}:${h.host}:${h.count}`).sort();
    expect(summary).toEqual(['command_line:setup [1].exe:LAPTOP-BOB:1', `hash:${SHA}:LAPTOP-EVE:1`, 'process_name:setup [1].exe:LAPTOP-BOB:1']);
  });

  it('matches file creations by name (case-insensitive) and by hash of any length', async () => {
    const hits = (await make().edr.fileHits(['setup [1].EXE'], [MD5], after)).found;
    expect(hits.map((h) => `${h.matchedBy}:${h.host}`).sort()).toEqual(['file_name:LAPTOP-BOB', 'hash:LAPTOP-EVE']);
    expect(hits.find((h) => h.matchedBy === 'file_name')!.examples).toEqual(['C:\\Temp\\SETUP [1].exe']);
  });
});

describe('EDR domain searches on a pattern with no index behind it', () => {
  it('find nothing and say there is no data, for one domain and for several', async () => {
    const edr = new ElasticEdr(cluster.es, { process: 'logs-none-*', file: 'logs-none-*', network: 'logs-none.network-*' });
    expect(await edr.domainContacts(['evil.example'], after)).toEqual({ hasData: false, found: [] });
    expect((await edr.domainUsers(['evil.example'], after)).found).toEqual({ 'evil.example': 0 });
    expect((await edr.domainContacts(['evil.example', 'other.example'], after)).found).toEqual([]);
  });
});
