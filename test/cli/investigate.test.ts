// `triage investigate` and `triage demo` as a user runs them.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { cliEnv, runCli } from '../support/cli.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { MAX_ALERT_BYTES } from '../../src/alerts/json.js';

let cluster: TestCluster;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'investigate-'));
const KEY = 'ASIACLIVPS000000001';
const alert = {
  id: 'cli-aws-1',
  type: 'aws.instance_credential_exfiltration',
  time: '2026-11-05T12:00:00Z',
  access_key_id: KEY,
  instance_id: 'i-0a1b2c3d4e5f60718',
  region: 'us-east-1',
};

beforeAll(async () => {
  cluster = await testCluster();
  env = cliEnv(cluster, ELASTICSEARCH_URL);
  const report = await cluster.load([
    keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }),
    keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux }),
    { ...alert, id: 'stored-alert-1' },
  ]);
  expect(report.rejected).toEqual([]);
});
afterAll(async () => cluster?.cleanup());

describe('triage investigate', () => {
  it('prints the verdict JSON of product.md for an alert file', async () => {
    const file = join(dir, 'alert.json');
    writeFileSync(file, JSON.stringify(alert));
    const res = await runCli(['investigate', file, '--format', 'json'], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const verdict = JSON.parse(res.stdout) as Record<string, unknown>;
    expect(Object.keys(verdict).sort()).toEqual(['alert_id', 'facts', 'flow', 'path', 'score', 'summary', 'verdict']);
    expect(verdict).toMatchObject({ alert_id: 'cli-aws-1', flow: 'aws_instance_credentials', verdict: 'malicious', score: 90 });
    expect((verdict['path'] as Array<{ step: string }>).map((p) => p.step)).toEqual(['A0', 'A1']);
  });

  it('reads standard input and prints a readable text report', async () => {
    const res = await runCli(['investigate', '-', '--format=text'], env, JSON.stringify(alert));
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Verdict: MALICIOUS (score 90)');
    expect(res.stdout).toContain('A1  Is any public IP non-AWS');
  });

  it('looks an alert up in Elasticsearch with --id', async () => {
    const res = await runCli(['investigate', '--id', 'stored-alert-1'], env);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ alert_id: 'stored-alert-1', verdict: 'malicious' });
  });

  it('answers an unknown id clearly, exit 2', async () => {
    const res = await runCli(['investigate', '--id', 'no-such-alert'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('no alert with id "no-such-alert"');
  });

  it('rejects bad input with the field and reason, exit 2', async () => {
    const res = await runCli(['investigate', '-'], env, JSON.stringify({ ...alert, access_key_id: undefined }));
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('invalid alert: access_key_id: missing');
    const truncated = await runCli(['investigate', '-'], env, '{"id": "x", "type": ');
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(/not valid JSON/);
    const usage = await runCli(['investigate', '--format', 'xml', '-'], env, '{}');
    expect(usage.code).toBe(2);
  });

  it('refuses a file over 1 MiB, exit 2', async () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, JSON.stringify({ ...alert, title: 'x'.repeat(2 * MAX_ALERT_BYTES) }));
    const res = await runCli(['investigate', file], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`larger than ${MAX_ALERT_BYTES} bytes`);
    const missing = await runCli(['investigate', join(dir, 'no-such-file.json')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
  });

  it('stops reading at the cap: an input that never ends is refused, not read to its end', async () => {
    // A FIFO whose writer sends more than the cap and then keeps it open: reading to EOF would wait forever.
    const fifo = join(dir, 'endless.fifo');
    execFileSync('mkfifo', [fifo]);
    const feeder = spawn('sh', ['-c', `exec 3>"${fifo}"; head -c ${MAX_ALERT_BYTES + 65_536} /dev/zero >&3; exec sleep 60`], { stdio: 'ignore' });
    try {
      const res = await runCli(['investigate', fifo], env, undefined, { timeoutMs: 20_000 });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(`larger than ${MAX_ALERT_BYTES} bytes`);
    } finally {
      feeder.kill('SIGKILL');
    }
  });

  it('drops a UTF-8 byte order mark, in a file and on standard input', async () => {
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(alert)}`);
    const fromFile = await runCli(['investigate', file], env);
    expect(fromFile.stderr).toBe('');
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ alert_id: 'cli-aws-1', verdict: 'malicious' });
    const fromStdin = await runCli(['investigate', '-'], env, Buffer.from(`\uFEFF${JSON.stringify(alert)}`));
    expect(fromStdin.code).toBe(0);
  });

  it('refuses invalid UTF-8 instead of replacing it, in a file and on standard input', async () => {
    // "cli-aws-\xff" would otherwise become "cli-aws-\uFFFD", the same id as any other bad byte.
    const [before, after] = JSON.stringify({ ...alert, id: 'cli-aws-@' }).split('@') as [string, string];
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);
    const file = join(dir, 'latin1.json');
    writeFileSync(file, bytes);
    for (const res of [await runCli(['investigate', file], env), await runCli(['investigate', '-'], env, bytes)]) {
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('not valid UTF-8');
      expect(res.stdout).toBe('');
    }
  });

  it('reports an unreachable Elasticsearch, exit 3, without a stack trace', async () => {
    const res = await runCli(['investigate', '-'], { ...env, ELASTICSEARCH_URL: 'http://127.0.0.1:9' }, JSON.stringify(alert));
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/Elasticsearch at http:\/\/127\.0\.0\.1:9 is unreachable/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a missing AWS IP ranges file, exit 3', async () => {
    const res = await runCli(['investigate', '-'], { ...env, AWS_IP_RANGES_FILE: join(dir, 'missing.json') }, JSON.stringify(alert));
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/cannot read AWS IP ranges file .*update-ip-ranges/);
  });

  it('names invalid configuration, exit 3', async () => {
    const res = await runCli(['investigate', '-'], { ...env, ELASTICSEARCH_URL: 'nope' }, JSON.stringify(alert));
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('ELASTICSEARCH_URL: must be a URL');
  });
});

describe('triage demo', () => {
  it('runs with no services and shows malicious and benign AWS verdicts with their paths', async () => {
    const res = await runCli(['demo'], {});
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Alert demo-aws-vps — aws_instance_credentials\nVerdict: MALICIOUS (score 90)');
    expect(res.stdout).toContain('Alert demo-aws-reboot — aws_instance_credentials\nVerdict: BENIGN (score 10)');
    expect(res.stdout).toMatch(/A6 .*\n.*explained by RebootInstances on this instance i-/);
    expect(res.stdout).toContain('Alert demo-email-click — malicious_email\nVerdict: MALICIOUS (score 90)');
    expect(res.stdout).toContain('Alert demo-email-attachment — malicious_email\nVerdict: MALICIOUS (score 98)');
    expect(res.stdout).toContain('Alert demo-email-ignored — malicious_email\nVerdict: BENIGN (score 15)');
    expect(res.stdout).toContain('Alert demo-okta-jane-evt — okta_impossible_travel\nVerdict: MALICIOUS (score 100)');
    expect(res.stdout).toContain('Alert demo-okta-raj — okta_impossible_travel\nVerdict: BENIGN (score 0)');
    expect(res.stdout).toMatch(/O9 .*\n.*\d+ km in \d+ min: \d+ km\/h/);
    // The fourth flow: an Elastic Security alert of the push-bombing rule, and a canonical alert on a normal morning.
    expect(res.stdout).toContain('Alert demo-mfa-lena — okta_mfa_fatigue\nVerdict: MALICIOUS (score 90)');
    expect(res.stdout).toContain('Alert demo-mfa-omar — okta_mfa_fatigue\nVerdict: BENIGN (score 10)');
  });
});
