// The benchmark's data generator (not the benchmark itself): reproducible from its seed, and every
// alert it writes gets the verdict its family stands for from the real flows.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, generateDataSet, type DataSetOptions } from '../../bench/generate/index.js';
import type { BenchAlert } from '../../bench/generate/scenarios.js';
import { withAlertId } from '../../bench/generate/family.js';
import { parseAlertStrict } from '../../src/flows/recognise.js';
import { investigate } from '../../src/flows/engine.js';
import { AwsIpRanges } from '../../src/enrich/aws-ip-ranges.js';
import { IpClassifier } from '../../src/enrich/ip-class.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { memorySources } from '../../src/evidence/sources.js';

const SMALL = { busyKeyEvents: 400, busyUserEvents: 600, campaignClickers: 20, busyMfaEvents: 700 };

function options(seed: number, events = 3000, alerts = 130): DataSetOptions {
  return { ...DEFAULTS, dir: mkdtempSync(join(tmpdir(), 'bench-gen-')), seed, events, alerts, sizes: SMALL };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('bench data generator', () => {
  it('writes the same data set for the same seed, and another one for another seed', async () => {
    const [a, b, c] = [options(7, 3000, 200), options(7, 3000, 200), options(8, 3000, 200)];
    const [ma, mb] = [await generateDataSet(a), await generateDataSet(b)];
    await generateDataSet(c);
    // The MFA flow's alerts and their evidence, its heavy subject included, are part of what must repeat.
    const flows = readFileSync(join(a.dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as BenchAlert).flow + ((JSON.parse(l) as BenchAlert).heavy ? '*' : ''));
    expect(flows).toContain('mfa');
    expect(flows).toContain('mfa*');
    expect(sha(join(a.dir, 'events.ndjson'))).toBe(sha(join(b.dir, 'events.ndjson')));
    expect(sha(join(a.dir, 'alerts.jsonl'))).toBe(sha(join(b.dir, 'alerts.jsonl')));
    expect(sha(join(a.dir, 'events.ndjson'))).not.toBe(sha(join(c.dir, 'events.ndjson')));
    expect(ma.backgroundByDataset).toEqual(mb.backgroundByDataset);
    // Every dataset the flows read has background data.
    expect(Object.values(ma.backgroundByDataset).every((n) => n > 0)).toBe(true);
    expect(Object.values(ma.backgroundByDataset).reduce((x, y) => x + y, 0)).toBe(3000);
  });

  it('gives alert i the same content whatever the background size', async () => {
    const small = options(11, 1000, 40);
    const large = options(11, 6000, 40);
    await generateDataSet(small);
    await generateDataSet(large);
    expect(readFileSync(join(small.dir, 'alerts.jsonl'), 'utf8')).toBe(readFileSync(join(large.dir, 'alerts.jsonl'), 'utf8'));
  });

  async function verdictsDiffering(opts: DataSetOptions, pick: (a: BenchAlert) => boolean): Promise<string[]> {
    const alerts = readFileSync(join(opts.dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as BenchAlert);
    const docs = new MemoryDocuments(readFileSync(join(opts.dir, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown));
    const ranges = await AwsIpRanges.fromFile('samples/aws-ip-ranges.sample.json');
    const classifier = new IpClassifier(ranges, ['198.51.100.0/24']);
    const deps = {
      evidence: memorySources(docs),
      ipClassifier: async () => classifier,
      settings: { rareDomainUserThreshold: 5, companyCidrs: ['198.51.100.0/24'], now: () => new Date(opts.anchor) },
    };
    const wrong: string[] = [];
    for (const a of alerts.filter(pick)) {
      const v = await investigate(parseAlertStrict(JSON.stringify(a.alert)), deps);
      if (v.verdict !== a.expect.verdict || v.score !== a.expect.score) wrong.push(`${a.id} (${a.family}): ${v.verdict} ${v.score}`);
    }
    return wrong;
  }

  it('keeps the verdict of every alert about a heavy subject when there are many of them', async () => {
    const opts = options(3, 500, 1200);
    await generateDataSet(opts);
    const alerts = readFileSync(join(opts.dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as BenchAlert);
    expect(alerts.filter((a) => a.heavy && a.flow === 'okta').length).toBeGreaterThan(6);
    expect(alerts.filter((a) => a.heavy && a.flow === 'mfa').length).toBeGreaterThan(3);
    expect(await verdictsDiffering(opts, (a) => a.heavy)).toEqual([]);
  }, 120_000);

  it('mixes all four flows with their heavy subjects, and each alert gets its family’s verdict from the real flows', async () => {
    const opts = options(42, 10_000);
    await generateDataSet(opts);
    const alerts = readFileSync(join(opts.dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as BenchAlert);
    expect(new Set(alerts.map((a) => a.flow))).toEqual(new Set(['aws', 'okta', 'mfa', 'email']));
    expect(new Set(alerts.filter((a) => a.heavy).map((a) => a.flow))).toEqual(new Set(['aws', 'okta', 'mfa', 'email']));
    expect(new Set(alerts.map((a) => a.id)).size).toBe(alerts.length);

    expect(await verdictsDiffering(opts, () => true)).toEqual([]);
  }, 120_000);

  it('covers every step of the MFA fatigue flow (P0–P6) in every alert shape it accepts, each with its verdict from the real flow', async () => {
    const opts = options(9, 2000, 400);
    await generateDataSet(opts);
    const mfa = readFileSync(join(opts.dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as BenchAlert).filter((a) => a.flow === 'mfa');
    const steps = new Set(mfa.flatMap((a) => /^(P\d)/.exec(a.family)?.[1] ?? []));
    expect([...steps].sort()).toEqual(['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6']);
    // Elastic Security's alert of both releases, native Okta events bare, in EventBridge and as Elastic stores them, canonical.
    const shapes = new Set(
      mfa.map((a) =>
        a.alert['kibana.alert.rule.rule_id'] ? 'kibana' : a.alert['kibana.alert.rule.parameters'] ? 'kibana-older' : a.alert['detail'] ? 'eventbridge' : a.alert['okta'] ? 'ecs' : a.alert['uuid'] ? 'api' : 'canonical',
      ),
    );
    expect([...shapes].sort()).toEqual(['api', 'canonical', 'ecs', 'eventbridge', 'kibana', 'kibana-older']);
    expect(mfa.some((a) => a.heavy)).toBe(true);
    // Each alert renamed (as each phase of the benchmark renames it) keeps its shape and takes the new id.
    for (const a of mfa) expect(parseAlertStrict(JSON.stringify(withAlertId(a.alert, a.idPaths, `${a.id}~paced`))).id).toBe(`${a.id}~paced`);
    expect(await verdictsDiffering(opts, (a) => a.flow === 'mfa')).toEqual([]);
  }, 120_000);

  it('gives the background Okta Verify pushes, approvals and a few rejections, as a real company’s', async () => {
    const opts = options(4, 20_000, 10);
    await generateDataSet(opts);
    type OktaPart = { uuid: string; event_type: string; debug_context?: { debug_data?: { factor?: string } } };
    // The background's events only (their uuids start with bg), not the scenarios'.
    const okta = readFileSync(join(opts.dir, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { okta?: OktaPart }).flatMap((d) => (d.okta?.uuid.startsWith('bg') ? [d.okta] : []));
    const count = (type: string, factor?: string) => okta.filter((e) => e.event_type === type && (!factor || e.debug_context?.debug_data?.factor === factor)).length;
    const pushes = count('system.push.send_factor_verify_push');
    const approvals = count('user.authentication.auth_via_mfa', 'OKTA_VERIFY_PUSH');
    const rejections = count('user.mfa.okta_verify.deny_push');
    expect(pushes).toBeGreaterThan(50);
    expect(approvals).toBeGreaterThan(pushes / 2);
    expect(rejections).toBeGreaterThan(0);
    expect(rejections).toBeLessThan(pushes / 10);
  }, 60_000);
});
