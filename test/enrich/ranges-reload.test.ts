// The AWS ranges file is read again when it changes (update-ip-ranges replaces it under running processes):
// at most one look a minute, a broken new file keeps the ranges in use, and a process with no file yet keeps trying.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { AwsIpRangesFile, RANGES_CHECK_EVERY_MS } from '../../src/enrich/aws-ip-ranges.js';
import { productionEngine } from '../../src/runtime.js';

const rangesJson = (region: string) => JSON.stringify({ createDate: `2026-01-01-${region}`, prefixes: [{ ip_prefix: '203.0.113.0/24', region, service: 'EC2' }] });

/** As update-ip-ranges does it: a new file renamed over the old one. */
function replace(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

describe('AWS ranges file reload', () => {
  it('picks up a replaced file at the next check, not before', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ranges-')), 'aws-ip-ranges.json');
    replace(path, rangesJson('us-east-1'));
    let clock = 1_000_000;
    const logged: string[] = [];
    const file = new AwsIpRangesFile(path, { now: () => clock, log: (level, msg) => logged.push(`${level}: ${msg}`) });
    expect((await file.get()).lookup('203.0.113.9')?.region).toBe('us-east-1');

    replace(path, rangesJson('eu-west-1'));
    clock += RANGES_CHECK_EVERY_MS - 1;
    expect((await file.get()).lookup('203.0.113.9')?.region).toBe('us-east-1');
    clock += 1;
    expect((await file.get()).lookup('203.0.113.9')?.region).toBe('eu-west-1');
    expect(logged).toEqual([expect.stringMatching(/^info: AWS IP ranges reloaded from .* \(1 prefixes, published 2026-01-01-eu-west-1\)$/)]);
  });

  it('keeps the ranges in use when the new file is broken or gone, and loads it once it is fixed', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ranges-')), 'aws-ip-ranges.json');
    replace(path, rangesJson('us-east-1'));
    let clock = 0;
    const logged: string[] = [];
    const file = new AwsIpRangesFile(path, { now: () => clock, log: (level, msg) => logged.push(`${level}: ${msg}`) });
    await file.get();

    replace(path, '{"prefixes": [');
    clock += RANGES_CHECK_EVERY_MS;
    expect((await file.get()).lookup('203.0.113.9')?.region).toBe('us-east-1');
    expect(logged.at(-1)).toMatch(/^warn: AWS IP ranges file .* changed but cannot be used .*keeping the ranges loaded before$/);

    rmSync(path);
    clock += RANGES_CHECK_EVERY_MS;
    expect((await file.get()).lookup('203.0.113.9')?.region).toBe('us-east-1');

    replace(path, rangesJson('ap-south-1'));
    clock += RANGES_CHECK_EVERY_MS;
    expect((await file.get()).lookup('203.0.113.9')?.region).toBe('ap-south-1');
  });

  it('without a file yet, every call tries again and says how to get one', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ranges-')), 'aws-ip-ranges.json');
    const file = new AwsIpRangesFile(path, { now: () => 0 });
    await expect(file.get()).rejects.toThrow(/cannot read AWS IP ranges file .* run "triage update-ip-ranges"/);
    replace(path, rangesJson('us-west-2'));
    expect((await file.get()).lookup('203.0.113.9')?.region).toBe('us-west-2');
  });

  it('the engine of the app and workers classifies with the file it reads (one classifier while it is unchanged)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ranges-')), 'aws-ip-ranges.json');
    replace(path, rangesJson('us-east-1'));
    const { engine, es } = productionEngine(loadConfig({ AWS_IP_RANGES_FILE: path }));
    const first = await engine.ipClassifier();
    expect(first.classify('203.0.113.9')).toMatchObject({ kind: 'aws', region: 'us-east-1' });
    expect(await engine.ipClassifier()).toBe(first);
    await es.close();
  });
});
