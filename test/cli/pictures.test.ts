// `triage investigate … --picture out.png` and `triage demo --pictures DIR`, as a user runs them.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG_SIGNATURE } from '../../src/pictures/png.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { cliEnv, runCli } from '../support/cli.js';
import { keyEvent, UA } from '../support/cloudtrail.js';

let cluster: TestCluster;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'pictures-'));
const KEY = 'ASIACLIPICTURE00001';
const alert = { id: 'cli-picture-1', type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: KEY, instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1' };
const isPng = (file: string) => readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE);

beforeAll(async () => {
  cluster = await testCluster();
  env = cliEnv(cluster, ELASTICSEARCH_URL);
  const report = await cluster.load([
    keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }),
    keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux }),
  ]);
  expect(report.rejected).toEqual([]);
});
afterAll(async () => cluster?.cleanup());

describe('triage investigate --picture', () => {
  it('writes the evidence picture as PNG and keeps standard output the verdict alone', async () => {
    const file = join(dir, 'alert.json');
    const out = join(dir, 'out.png');
    writeFileSync(file, JSON.stringify(alert));
    const res = await runCli(['investigate', file, '--picture', out], env);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ alert_id: 'cli-picture-1', verdict: 'malicious' });
    expect(res.stderr).toMatch(new RegExp(`^triage: picture: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ bytes\\)\\n$`));
    expect(isPng(out)).toBe(true);
    expect(readFileSync(out).length).toBeGreaterThan(20_000);
  });

  it('makes a missing folder before investigating, so every alert of the input gets its picture', { timeout: 90_000 }, async () => {
    const out = join(dir, 'no-such-folder', 'deeper', 'out.png');
    const two = [alert, { ...alert, id: 'cli-picture-2' }];
    const res = await runCli(['investigate', '-', '--picture', out], env, JSON.stringify(two));
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { alert_id: string }).alert_id)).toEqual(['cli-picture-1', 'cli-picture-2']);
    expect(readdirSync(join(dir, 'no-such-folder', 'deeper')).sort()).toEqual(['out-1.png', 'out-2.png']);
  });

  it('refuses a folder it cannot make, or a path that is a folder, before investigating anything (exit 2)', { timeout: 90_000 }, async () => {
    const blocker = join(dir, 'blocker-file');
    writeFileSync(blocker, 'x');
    const cannot = await runCli(['investigate', '-', '--picture', join(blocker, 'out.png')], env, JSON.stringify(alert));
    expect(cannot.code).toBe(2);
    expect(cannot.stdout).toBe(''); // no verdict: nothing was investigated
    expect(cannot.stderr).toBe(`triage: cannot make the folder ${blocker}: a file has that name (EEXIST)\n`);
    const folder = await runCli(['investigate', '-', '--picture', dir], env, JSON.stringify(alert));
    expect(folder.code).toBe(2);
    expect(folder.stdout).toBe('');
    expect(folder.stderr).toContain(`triage: cannot write ${dir}: it is a folder`);
  });
});

describe('triage demo --pictures', () => {
  it('writes one picture per demo alert that has something to draw, and says which have none', async () => {
    const pictures = join(dir, 'demo', 'pictures');
    const res = await runCli(['demo', '--pictures', pictures], {});
    expect(res.code).toBe(0);
    expect(readdirSync(pictures).sort()).toEqual([
      'evidence-demo-aws-laptop.png',
      'evidence-demo-aws-reboot.png',
      'evidence-demo-aws-vps.png',
      'evidence-demo-email-attachment.png',
      'evidence-demo-email-click.png',
      'evidence-demo-mfa-lena.png',
      'evidence-demo-mfa-omar.png',
      'evidence-demo-okta-jane-evt.png',
      'evidence-demo-okta-raj.png',
    ]);
    expect(readdirSync(pictures).every((f) => isPng(join(pictures, f)))).toBe(true);
    expect(res.stdout).toContain(`picture: ${join(pictures, 'evidence-demo-aws-vps.png')} (`);
    expect(res.stdout).toMatch(/Alert demo-email-ignored[\s\S]*?\nno picture: no interaction with the e-mail found\n/);
  });

  it('refuses a folder it cannot make, exit 2', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const res = await runCli(['demo', '--pictures', join(blocker, 'sub')], {});
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`triage: cannot make the folder ${join(blocker, 'sub')}: ENOTDIR\n`);
  });
});
