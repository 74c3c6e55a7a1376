// The write-up's three scenario groups from the command line, on ingested proxy and EDR data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { cliEnv, runCli } from '../support/cli.js';
import { EMAIL_SCENARIOS } from '../flows/email-scenarios.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster();
  const report = await cluster.load(EMAIL_SCENARIOS.flatMap((s) => s.docs));
  expect(report.rejected).toEqual([]);
});
afterAll(async () => cluster?.cleanup());

const byStep = (prefix: string) => EMAIL_SCENARIOS.find((s) => s.name.startsWith(prefix))!;

describe('triage investigate: malicious email', () => {
  it.each([
    ['link clicked', 'M2:', 'malicious', 90],
    ['rare domain reached', 'M3:', 'malicious', 85],
    ['attachment executed (name in a command line)', 'M1: the attachment ran', 'malicious', 98],
    ['attachment on disk', 'M4:', 'malicious', 80],
  ])('%s', async (_label, prefix, verdict, score) => {
    const scenario = byStep(prefix);
    // "After T" runs until now here, so later scenarios' data is in view: drop the shared hash.
    const alert = { ...scenario.alert, hashes: [] };
    const res = await runCli(['investigate', '-'], cliEnv(cluster, ELASTICSEARCH_URL), JSON.stringify(alert));
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toMatchObject({ flow: 'malicious_email', verdict, score });
  });

  it('reads a Cyren alert as delivered by Cyren', async () => {
    const m2 = byStep('M2:').alert as { time: string; urls: string[] };
    const cyren = {
      incident_id: 'cyren-cli-1',
      threat_type: 'phishing',
      confidence: 3,
      threat_indicators: [{ type: 'url', subType: 'malicious_url', value: m2.urls[0] }],
      message_details: {
        sender: { name: 'X', address: 'x@evil-sender.test' },
        to_recipients: [{ name: 'Bob', address: 'bob@example.com' }],
        email_subject: 'Hi',
        received_datetime: m2.time,
        urls_classification: [],
        attachments: [],
      },
    };
    const res = await runCli(['investigate', '-', '--format', 'text'], cliEnv(cluster, ELASTICSEARCH_URL), JSON.stringify(cyren));
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Verdict: MALICIOUS (score 90)');
    // One person per proxy record (user.email first); the record's other spelling is named beside it, never a second user.
    expect(res.stdout).toMatch(/bob@example\.com \(recipient\) \(also logged as bob\) on LAPTOP-BOB/);
  });
});
