// Compatibility: every supported alert shape (test/fixtures, in vendors' real shapes) through parsing and
// `triage investigate` — the command a user runs — on real Elasticsearch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { cliEnv, runCli, type CliResult } from '../support/cli.js';
import { keyEvent } from '../support/cloudtrail.js';
import { proxyHit } from '../support/edr.js';
import { fixture, fixturePath, fixtureText } from '../support/fixtures.js';
import { recogniseAlerts } from '../../src/flows/recognise.js';
import { MAX_ALERTS_PER_DOCUMENT } from '../../src/flows/recognise.js';

type Json = Record<string, unknown>;
type Verdict = { alert_id: string; flow: string; verdict: string; score: number | null; path: Array<{ step: string }>; facts: Json };

const NON_AWS = '45.155.205.10';
/** A use of each GuardDuty fixture's key from outside AWS, inside its finding's window. */
const KEY_USES = [
  { key: 'ASIAFIXTUREGDCAMEL01', instance: 'i-0fa1b2c3d4e5f6071', at: '2026-11-20T10:00:00Z' },
  { key: 'ASIAFIXTUREGDEVENT01', instance: 'i-0fa1b2c3d4e5f6072', at: '2026-11-21T13:50:00Z' },
  { key: 'ASIAFIXTUREGDCLI0001', instance: 'i-0fa1b2c3d4e5f6073', at: '2026-11-22T06:00:00Z' },
  { key: 'ASIAFIXTUREGDCLI0002', instance: 'i-0fa1b2c3d4e5f6074', at: '2026-11-22T06:10:00Z' },
  { key: 'ASIAFIXTUREGDBOTO301', instance: 'i-0fa1b2c3d4e5f6075', at: '2026-11-23T11:20:00Z' },
  { key: 'ASIAFIXTUREGDELASTIC', instance: 'i-0fa1b2c3d4e5f6076', at: '2026-11-24T16:00:00Z' },
  { key: 'ASIAFIXTUREGDLEGACY1', instance: 'i-0fa1b2c3d4e5f6077', at: '2026-11-25T09:00:00Z' },
];
const CYREN_URL = 'https://login.evil-sender.test/o365/verify?u=bob';

let cluster: TestCluster;
let env: Record<string, string>;
beforeAll(async () => {
  cluster = await testCluster();
  const stored = fixture<Json>('guardduty/elastic-stored.json');
  const storedOlder = fixture<Json>('guardduty/elastic-stored-aws-1.25.json');
  const report = await cluster.load([
    ...KEY_USES.map((u) => keyEvent({ key: u.key, ip: NON_AWS, at: u.at, instance: u.instance })),
    proxyHit('2026-11-27T08:20:00Z', CYREN_URL, 'bob', 'LAPTOP-BOB'),
    { ...stored, data_stream: { ...(stored['data_stream'] as Json), namespace: cluster.namespace } },
    { ...storedOlder, data_stream: { ...(storedOlder['data_stream'] as Json), namespace: cluster.namespace } },
  ]);
  expect(report.rejected).toEqual([]);
  // As the default INDEX_ALERTS does: Elastic's GuardDuty data stream next to our own alerts index.
  env = { ...cliEnv(cluster, ELASTICSEARCH_URL), INDEX_ALERTS: `logs-aws.guardduty-${cluster.namespace},${cluster.indices.alerts}` };
});
afterAll(async () => cluster?.cleanup());

function verdictsOf(res: CliResult): Verdict[] {
  expect(res.code, res.stderr).toBe(0);
  const lines = res.stdout.split('\n').filter((l) => l !== '');
  return lines.map((l) => JSON.parse(l) as Verdict);
}

const investigateFile = (name: string, ...args: string[]) => runCli(['investigate', fixturePath(name), ...args], env);

describe('triage investigate: every alert shape, one verdict per alert', () => {
  it.each([
    ['guardduty/finding-camelcase.json', '42c6f1a8b3d94e0f9a7b2c5d8e1f4a6b'],
    ['guardduty/eventbridge.json', '7e1d2c3b4a5f60718293a4b5c6d7e8f9'],
    ['guardduty/boto3.json', '8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a'],
    ['guardduty/elastic-stored.json', 'a1b2c3d4e5f60718293a4b5c6d7e8f90'],
    ['guardduty/elastic-stored-aws-1.25.json', 'b2c3d4e5f60718293a4b5c6d7e8f90a1'],
  ])('%s: the key used outside AWS → malicious (A1)', async (file, id) => {
    const [v, ...rest] = verdictsOf(await investigateFile(file));
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ alert_id: id, flow: 'aws_instance_credentials', verdict: 'malicious', score: 90 });
    expect(v!.path.at(-1)?.step).toBe('A1');
  });

  it('a GuardDuty sample finding is accepted and investigated (no CloudTrail for its placeholder key: inconclusive)', async () => {
    const [v] = verdictsOf(await investigateFile('guardduty/sample-finding.json'));
    expect(v).toMatchObject({ alert_id: '0ac6f2b1d9e84c7a8b3f5e1d2c4a6b8e', flow: 'aws_instance_credentials', verdict: 'inconclusive', score: null });
  });

  it('get-findings output: one JSON line per credential finding, in order; the other finding named on stderr', async () => {
    const res = await investigateFile('guardduty/get-findings.json', '--format', 'json');
    const verdicts = verdictsOf(res);
    expect(verdicts.map((v) => [v.alert_id, v.verdict, v.score])).toEqual([
      ['5b4a3c2d1e0f9a8b7c6d5e4f3a2b1c0d', 'malicious', 90],
      ['6c5b4a3d2e1f0a9b8c7d6e5f4a3b2c1d', 'malicious', 90],
    ]);
    expect(res.stderr).toBe('triage: skipped Findings[1]: GuardDuty finding type Recon:IAMUser/MaliciousIPCaller is not handled\n');
  });

  it.each([
    ['okta-alerts/system-log-behaviors.json', ['f1a2b3c4-0b1c-11f1-9a01-fixture00001']],
    ['okta-alerts/system-log-logonlysecuritydata.json', ['f1a2b3c4-0b1c-11f1-9a01-fixture00002']],
    ['okta-alerts/eventbridge.json', ['f1a2b3c4-0b1c-11f1-9a01-fixture00003']],
    ['okta-alerts/event-hook.json', ['f1a2b3c4-0b1c-11f1-9a01-fixture00004', 'f1a2b3c4-0b1c-11f1-9a01-fixture00006']],
    ['okta-alerts/elastic-flattened.json', ['f1a2b3c4-0b1c-11f1-9a01-fixture00007']],
    ['okta-alerts/elastic-flattened-logonlysecuritydata.json', ['f1a2b3c4-0b1c-11f1-9a01-fixture00008']],
    ['okta-alerts/elastic-non-flattened.json', ['f1a2b3c4-0b1c-11f1-9a01-fixture00009']],
  ])('%s → the Okta flow for each Velocity event', async (file, ids) => {
    const verdicts = verdictsOf(await investigateFile(file));
    expect(verdicts.map((v) => v.alert_id)).toEqual(ids);
    for (const v of verdicts) {
      expect(v.flow).toBe('okta_impossible_travel');
      expect(['malicious', 'suspicious', 'benign', 'inconclusive']).toContain(v.verdict);
      expect((v.facts['user'] as Json | undefined)?.['login'] ?? (v.facts['user'] as Json | undefined)?.['id']).toBeTruthy();
    }
  });

  it('a Cyren incident: the clicked link → malicious (M2); recipients from To, Cc and Bcc; the "hash" indicators named in the facts', async () => {
    const [v] = verdictsOf(await investigateFile('cyren/incident.json'));
    expect(v).toMatchObject({ alert_id: 'inc-fixture-0001', flow: 'malicious_email', verdict: 'malicious', score: 90 });
    expect(v!.facts['recipients']).toEqual(['bob@example.com', 'carol@example.com', 'audit@example.com']);
    expect(v!.facts['delivered']).toBe('2026-11-27T08:14:03.000Z');
    expect(v!.facts['skipped_indicators']).toEqual([
      { field: 'threat_indicators[1].value', value: 'hash', reason: 'not an MD5, SHA-1 or SHA-256 hex digest' },
      { field: 'threat_indicators[1].attachment.file_hash', value: 'hash', reason: 'not an MD5, SHA-1 or SHA-256 hex digest' },
    ]);
  });

  it("Cyren's incident list, as text: one block per incident, separated by a blank line", async () => {
    const res = await investigateFile('cyren/incidents-list.json', '--format', 'text');
    expect(res.code, res.stderr).toBe(0);
    const blocks = res.stdout.trimEnd().split('\n\n');
    expect(blocks.map((b) => b.split('\n')[0])).toEqual(['Alert inc-fixture-0001 — Malicious e-mail', 'Alert inc-fixture-0002 — Malicious e-mail']);
    expect(blocks[0]).toContain('Verdict: MALICIOUS (score 90)');
  });

  it('a JSON list of several shapes on standard input: one verdict each, in order', async () => {
    const list = [fixture('guardduty/finding-camelcase.json'), fixture('okta-alerts/system-log-behaviors.json'), fixture('cyren/incident.json')];
    const verdicts = verdictsOf(await runCli(['investigate', '-'], env, JSON.stringify(list)));
    expect(verdicts.map((v) => v.flow)).toEqual(['aws_instance_credentials', 'okta_impossible_travel', 'malicious_email']);
  });

  it(`refuses a document with more than ${MAX_ALERTS_PER_DOCUMENT} alerts, investigating none (exit 2)`, async () => {
    const list = Array.from({ length: MAX_ALERTS_PER_DOCUMENT + 1 }, (_, i) => ({ ...fixture<Json>('cyren/incident.json'), incident_id: `inc-${i}` }));
    const res = await runCli(['investigate', '-'], env, JSON.stringify(list));
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(`triage: invalid alert: (input): more than ${MAX_ALERTS_PER_DOCUMENT} alerts in one document\n`);
  });

  it('names what it expected for an unrecognised document (exit 2)', async () => {
    const res = await runCli(['investigate', '-'], env, JSON.stringify({ finding: { id: 'x' } }));
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^triage: invalid alert: \(input\): not a supported alert: no supported alert shape recognised \(expected the canonical alert JSON, an AWS GuardDuty finding/);
  });

  it('--id finds an Elastic-stored GuardDuty finding by its finding id and by its document id', async () => {
    const [byFinding] = verdictsOf(await runCli(['investigate', '--id', 'a1b2c3d4e5f60718293a4b5c6d7e8f90'], env));
    expect(byFinding).toMatchObject({ alert_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', verdict: 'malicious', score: 90 });
    const hits = await cluster.es.search({ index: `logs-aws.guardduty-${cluster.namespace}`, size: 1, query: { term: { 'event.id': 'a1b2c3d4e5f60718293a4b5c6d7e8f90' } } });
    const docId = hits.hits.hits[0]!._id!;
    const [byDoc] = verdictsOf(await runCli(['investigate', '--id', docId], env));
    expect(byDoc).toMatchObject({ alert_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', verdict: 'malicious' });
  });

  it('--id finds a finding stored by the older Elastic pipeline (aws 1.25.0) and investigates it', async () => {
    const [v] = verdictsOf(await runCli(['investigate', '--id', 'b2c3d4e5f60718293a4b5c6d7e8f90a1'], env));
    expect(v).toMatchObject({ alert_id: 'b2c3d4e5f60718293a4b5c6d7e8f90a1', flow: 'aws_instance_credentials', verdict: 'malicious', score: 90 });
  });
});

describe('every fixture parses to the alerts the CLI investigated', () => {
  it.each([
    ['guardduty/finding-camelcase.json', 1],
    ['guardduty/eventbridge.json', 1],
    ['guardduty/get-findings.json', 2],
    ['guardduty/boto3.json', 1],
    ['guardduty/elastic-stored.json', 1],
    ['guardduty/elastic-stored-aws-1.25.json', 1],
    ['guardduty/sample-finding.json', 1],
    ['okta-alerts/system-log-behaviors.json', 1],
    ['okta-alerts/system-log-logonlysecuritydata.json', 1],
    ['okta-alerts/eventbridge.json', 1],
    ['okta-alerts/event-hook.json', 2],
    ['okta-alerts/elastic-flattened.json', 1],
    ['okta-alerts/elastic-flattened-logonlysecuritydata.json', 1],
    ['okta-alerts/elastic-non-flattened.json', 1],
    ['cyren/incident.json', 1],
    ['cyren/incidents-list.json', 2],
  ])('%s → %i alert(s)', (file, n) => {
    const outcome = recogniseAlerts(JSON.parse(fixtureText(file)));
    expect(outcome.kind === 'alerts' ? outcome.alerts.length : outcome.reason).toBe(n);
  });
});
