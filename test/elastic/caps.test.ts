// Dynamically mapped strings keep only their first 256 characters searchable (the .keyword sub-field's
// ignore_above): a longer value is in _source but never matches. The cap is read from the mapping; an
// indicator longer than it, or a "contains" search that cannot see capped values, answers unknown with
// the reason, never "no".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { investigate } from '../../src/flows/engine.js';
import { ElasticEdr } from '../../src/evidence/elastic/edr.js';
import { ElasticProxy } from '../../src/evidence/elastic/proxy.js';
import { indexedLengthCaps } from '../../src/evidence/elastic/fields.js';
import { ElasticOktaLog } from '../../src/evidence/elastic/okta.js';
import { elasticSources } from '../../src/evidence/sources.js';
import { noClassifier, toAlert } from '../support/alerts.js';
import { loadDynamic, testCluster, type TestCluster } from '../support/elastic.js';
import { dnsLookup, fileCreation, processStart, proxyHit } from '../support/edr.js';
import { apiEvent, ecsFromApi } from '../support/okta.js';

const T = '2026-05-04T08:00:00Z';
const at = (m: number) => new Date(Date.parse(T) + m * 60_000).toISOString();
const after = { from: new Date(T), to: new Date(Date.parse(T) + 24 * 3600_000) };
const ATTACHMENT = 'Quarterly_Report.pdf.exe';
// 300 characters: the attachment's name sits past the 256th.
const LONG_COMMAND = `cmd.exe /c start "" "C:\\Users\\bob\\AppData\\Local\\Temp\\${'x'.repeat(300 - 70 - ATTACHMENT.length)}\\${ATTACHMENT}" /quiet`.padEnd(300, ' ');
const LONG_URL = `https://login.long-phish.co.uk/verify?session=${'a'.repeat(260)}&u=bob`;
const LONG_UA = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 ${'Ext/1.0 '.repeat(25)}`;

const processDocs = [processStart(at(5), { name: 'cmd.exe', commandLine: LONG_COMMAND, user: 'bob', host: 'LAPTOP-BOB' })];
const proxyDocs = [proxyHit(at(6), LONG_URL, 'bob', 'LAPTOP-BOB')];
const networkDocs = [dnsLookup(at(7), 'intranet.example.com', 'carol', 'LAPTOP-CAROL')];
const fileDocs = [fileCreation(at(8), { name: 'notes.txt', path: 'C:\\notes.txt', user: 'carol', host: 'LAPTOP-CAROL' })];
const jane = { id: '00uCAPS000000000001', login: 'jane@example.com' };
const oktaDocs = [ecsFromApi(apiEvent({ at: '2026-04-01T10:00:00Z', user: jane, ip: '192.0.2.9', ua: LONG_UA, session: 'sc1', uuid: 'caps-1' }))];

let cluster: TestCluster;
let dynamic: { process: string; proxy: string; network: string; file: string; okta: string };
beforeAll(async () => {
  cluster = await testCluster();
  const report = await cluster.load([...processDocs, ...proxyDocs, ...networkDocs, ...fileDocs, ...oktaDocs]);
  expect(report.rejected).toEqual([]);
  dynamic = {
    process: await loadDynamic(cluster, 'process', processDocs),
    proxy: await loadDynamic(cluster, 'proxy', proxyDocs),
    network: await loadDynamic(cluster, 'network', networkDocs),
    file: await loadDynamic(cluster, 'file', fileDocs),
    okta: await loadDynamic(cluster, 'okta', oktaDocs),
  };
});
afterAll(async () => cluster?.cleanup());

describe('indexed length caps', () => {
  it('reads the cap from the mapping: 256 where dynamically mapped, our templates’ own elsewhere', async () => {
    expect(await indexedLengthCaps(cluster.es, dynamic.process, ['process.command_line', 'process.name'])).toEqual({ 'process.command_line': 256, 'process.name': 256 });
    expect(await indexedLengthCaps(cluster.es, cluster.indices.edrProcess, ['process.command_line'])).toEqual({ 'process.command_line': 8191 });
    // A pattern over both: the smaller cap holds for the pattern.
    expect(await indexedLengthCaps(cluster.es, `${dynamic.process},${cluster.indices.edrProcess}`, ['process.command_line'])).toEqual({ 'process.command_line': 256 });
    expect(await indexedLengthCaps(cluster.es, 'logs-nothing-here-*', ['process.name'])).toEqual({ 'process.name': undefined });
  });

  it('a "contains" search that cannot see a capped command line says so; under our template it finds it', async () => {
    const capped = await new ElasticEdr(cluster.es, { ...dynamic }).processHits([ATTACHMENT], [], after);
    expect(capped.found).toEqual([]);
    expect(capped.incomplete).toEqual([expect.stringMatching(/^process\.command_line: 1 process start\(s\) have a command line longer than the 256 characters the field indexes/)]);
    const whole = await new ElasticEdr(cluster.es, { process: cluster.indices.edrProcess, file: cluster.indices.edrFile, network: cluster.indices.edrNetwork }).processHits([ATTACHMENT], [], after);
    expect(whole.found.map((h) => `${h.matchedBy}:${h.host}`)).toEqual(['command_line:LAPTOP-BOB']);
    expect(whole.incomplete).toBeUndefined();
  });

  it('hashes alone need no "contains" search: a capped command line changes nothing', async () => {
    const res = await new ElasticEdr(cluster.es, { ...dynamic }).processHits([], ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'], after);
    expect(res).toEqual({ hasData: true, found: [] });
  });

  it('an indicator URL longer than the cap cannot be matched: incomplete, not "no hit"', async () => {
    const capped = await new ElasticProxy(cluster.es, dynamic.proxy).urlHits([LONG_URL], after);
    expect(capped.found).toEqual([]);
    expect(capped.incomplete).toEqual(expect.arrayContaining([expect.stringMatching(/^url\.full: the URL of \d+ characters is longer than the 256 the field indexes/)]));
    const whole = await new ElasticProxy(cluster.es, cluster.indices.proxy).urlHits([LONG_URL], after);
    expect(whole.found.map((h) => h.host)).toEqual(['LAPTOP-BOB']);
  });

  it('a user agent longer than the cap cannot be looked up in the history: incomplete', async () => {
    const history = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-30T00:00:00Z') };
    const capped = await new ElasticOktaLog(cluster.es, dynamic.okta).userAgentsSeen({ id: jane.id }, [LONG_UA], history);
    expect(capped.found).toEqual([]);
    expect(capped.incomplete?.join(' ')).toMatch(/user agent of \d+ characters is longer than .* indexes \(256\)/);
    expect((await new ElasticOktaLog(cluster.es, cluster.indices.okta).userAgentsSeen({ id: jane.id }, [LONG_UA], history)).found).toEqual([LONG_UA]);
  });

  it('e-mail end to end on dynamically mapped data: the attachment that ran past the cap gives inconclusive naming M1, never benign', async () => {
    const alert = toAlert({ id: 'caps-mail', type: 'email.malicious', time: T, recipients: ['bob@example.com'], file_names: [ATTACHMENT] });
    const v = await investigate(alert, {
      evidence: elasticSources(cluster.es, { ...cluster.indices, edrProcess: dynamic.process, edrFile: dynamic.file, edrNetwork: dynamic.network, proxy: dynamic.proxy }),
      ipClassifier: noClassifier,
      settings: { rareDomainUserThreshold: 5, companyCidrs: [], now: () => new Date(after.to) },
    });
    expect([v.verdict, v.score, v.path.at(-1)?.step]).toEqual(['inconclusive', null, 'M7']);
    expect(v.path.find((p) => p.step === 'M1')).toMatchObject({ answer: 'unknown', evidence: expect.stringContaining('longer than the 256 characters') });
  });
});
