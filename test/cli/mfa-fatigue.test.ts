// `triage` on the MFA push fatigue flow as a user runs it: the evidence loaded with `triage ingest`, then the
// canonical alert, a native deny_push event, and an Elastic Security alert that Kibana wrote to its hidden
// `.alerts-security.alerts-*` index, looked up with `investigate --id`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { cliEnv, ROOT, runCli } from '../support/cli.js';

let cluster: TestCluster;
let env: Record<string, string>;
let kibanaIndex: string;
const dir = mkdtempSync(join(tmpdir(), 'mfa-cli-'));
const fixture = (path: string) => readFileSync(join(ROOT, 'test', 'fixtures', path), 'utf8');
const kibanaAlert = JSON.parse(fixture('okta-mfa/kibana-alert.json')) as Record<string, unknown>;
const olderAlert = JSON.parse(fixture('okta-mfa/kibana-alert-older-release.json')) as Record<string, unknown>;
const P2 = ['P0', 'P1', 'P2'];

beforeAll(async () => {
  cluster = await testCluster();
  // Kibana's own layout: a hidden concrete index behind a hidden alias that the default pattern matches.
  kibanaIndex = `.internal.alerts-security.alerts-${cluster.namespace}-000001`;
  const alias = `.alerts-security.alerts-${cluster.namespace}`;
  env = { ...cliEnv(cluster, ELASTICSEARCH_URL), INDEX_ALERTS: `.alerts-security.alerts-${cluster.namespace}*,${cluster.indices.alerts}` };
  await cluster.es.indices.create({
    index: kibanaIndex,
    settings: { 'index.hidden': true, number_of_replicas: 0 },
    aliases: { [alias]: { is_hidden: true } },
    mappings: { properties: { 'kibana.alert.uuid': { type: 'keyword' }, 'kibana.alert.rule.rule_id': { type: 'keyword' }, 'kibana.alert.original_time': { type: 'date' }, 'user.email': { type: 'keyword' }, '@timestamp': { type: 'date' } } },
  });
  await cluster.es.index({ index: alias, id: String(kibanaAlert['kibana.alert.uuid']), document: kibanaAlert, refresh: true });
  await cluster.es.index({ index: alias, id: 'legacy-doc-id-1', document: olderAlert, refresh: true });
  for (const file of ['okta/mfa/push-bombing.ndjson', 'okta/mfa/agents.ndjson']) {
    const copy = join(dir, file.replaceAll('/', '-'));
    writeFileSync(copy, fixture(file).replace(/"namespace":\s*"default"/g, `"namespace":"${cluster.namespace}"`));
    const res = await runCli(['ingest', copy], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
  }
}, 120_000);
afterAll(async () => {
  await cluster?.es.indices.delete({ index: kibanaIndex }, { ignore: [404] });
  await cluster?.cleanup();
});

function verdictOf(stdout: string): { alert_id: string; flow: string; verdict: string; score: number | null; summary: string; path: Array<{ step: string; answer: string; evidence: string }>; facts: Record<string, unknown> } {
  return JSON.parse(stdout) as ReturnType<typeof verdictOf>;
}

describe('triage investigate, MFA push fatigue', () => {
  it('the canonical alert → malicious 90 at P2, with the trace of pushes, rejections and approvals', async () => {
    const file = join(dir, 'canonical.json');
    writeFileSync(file, JSON.stringify({ id: 'cli-mfa-1', type: 'okta.mfa_fatigue', time: '2026-09-14T03:11:15.660Z', user_login: 'Sam.Lee@example.com' }));
    const res = await runCli(['investigate', file, '--format', 'json'], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const v = verdictOf(res.stdout);
    expect(v).toMatchObject({ alert_id: 'cli-mfa-1', flow: 'okta_mfa_fatigue', verdict: 'malicious', score: 90 });
    expect(v.path.map((p) => p.step)).toEqual(P2);
    expect(v.facts['counts']).toEqual({ pushes: 5, rejections: 4, approvals: 1, reports: 0, duplicates_ignored: 0 });
    expect(v.facts['requesting_ips']).toEqual([{ ip: '185.220.101.33', known: false, reason: expect.stringContaining('nor recorded by company agents') }]);
  });

  it('a native deny_push event → the same verdict', async () => {
    const res = await runCli(['investigate', '-', '--format', 'json'], env, fixture('okta-mfa/deny-push.json'));
    expect(res.code).toBe(0);
    expect(verdictOf(res.stdout)).toMatchObject({ alert_id: '6b1da86b-97b9-e89d-a51a-8dbfd1aa6550', flow: 'okta_mfa_fatigue', verdict: 'malicious', score: 90 });
  });

  it('an Elastic Security alert of rule 97a8e584… found by its uuid in .alerts-security.alerts-*', async () => {
    const res = await runCli(['investigate', '--id', String(kibanaAlert['kibana.alert.uuid']), '--format', 'json'], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const v = verdictOf(res.stdout);
    expect(v).toMatchObject({ alert_id: kibanaAlert['kibana.alert.uuid'], flow: 'okta_mfa_fatigue', verdict: 'malicious', score: 90 });
    expect(v.facts['trigger']).toBe('Elastic Security rule 97a8e584-fd3b-421f-9b9d-9c9d9e57e9d7 (Potentially Successful Okta MFA Bombing via Push Notifications)');
  });

  it('an older release’s alert found by its document id, as text', async () => {
    const res = await runCli(['investigate', '--id', 'legacy-doc-id-1', '--format', 'text'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('— Okta MFA push fatigue');
    expect(res.stdout).toContain('Verdict: MALICIOUS (score 90)');
    expect(res.stdout).toMatch(/P2 +Was a push approved after 3\+ rejections/);
  });

  it('an alert loaded with triage ingest is found too (stored as an alert, never as Okta evidence)', async () => {
    const copy = join(dir, 'kibana-ingest.json');
    writeFileSync(copy, JSON.stringify({ ...kibanaAlert, 'kibana.alert.uuid': 'ingested-kibana-1' }));
    const ingest = await runCli(['ingest', copy], env);
    expect(ingest.stdout).toContain(`(${cluster.indices.alerts}: 1)`);
    const res = await runCli(['investigate', '--id', 'ingested-kibana-1'], env);
    expect(verdictOf(res.stdout)).toMatchObject({ alert_id: 'ingested-kibana-1', verdict: 'malicious', score: 90 });
  }, 90_000);

  it('MFA_FATIGUE_MIN_REJECTIONS=5: four rejections make no fatigue approval', async () => {
    const res = await runCli(['investigate', '-'], { ...env, MFA_FATIGUE_MIN_REJECTIONS: '5' }, fixture('okta-mfa/deny-push.json'));
    const v = verdictOf(res.stdout);
    expect(v.path.find((p) => p.step === 'P2')?.answer).toBe('no');
    expect(v.verdict).toBe('suspicious');
  });

  it('hostile/odd inputs: a renamed rule with its id in parameters only, an Event Hook delivery of the deny_push, user_id only → the same verdict', async () => {
    const { ['kibana.alert.rule.rule_id']: _dropped, ...rest } = kibanaAlert;
    const renamed = join(dir, 'renamed.json');
    writeFileSync(renamed, JSON.stringify({ ...rest, 'kibana.alert.rule.name': 'Renamed <!channel> rule', 'kibana.alert.uuid': 'renamed-1' }));
    const hook = join(dir, 'hook.json');
    const delivery = JSON.parse(fixture('okta-mfa/event-hook.json')) as { data: { events: unknown[] } };
    writeFileSync(hook, JSON.stringify({ ...delivery, data: { events: delivery.data.events.slice(0, 1) } }));
    const byId = join(dir, 'by-id.json');
    writeFileSync(byId, JSON.stringify({ id: 'cli-mfa-id', type: 'okta.mfa_fatigue', time: '2026-09-14T03:11:15.660Z', user_id: '00u9fixtsam00000m2p1' }));
    for (const file of [renamed, hook, byId]) {
      const res = await runCli(['investigate', file, '--format', 'json'], env);
      expect(res.stderr, file).toBe('');
      expect(res.code, file).toBe(0);
      const v = verdictOf(res.stdout);
      expect(v, file).toMatchObject({ flow: 'okta_mfa_fatigue', verdict: 'malicious', score: 90 });
      expect(v.path.map((p) => p.step), file).toEqual(P2);
    }
  }, 90_000);
});
