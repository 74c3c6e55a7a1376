// Evidence picture render time (SVG built, then PNG through resvg), per flow, on the demo's verdicts and on a
// crowded AWS timeline (every lane drawn). Target: under 200 ms a picture. Measured here, never in tests.
// Wall time suffers from whatever else the machine runs; CPU time (this process, all threads: resvg renders on
// libuv's pool) is the cost of a picture itself.
import { loadDemo } from '../src/cli/demo.js';
import { investigate } from '../src/flows/engine.js';
import { MAX_LANES } from '../src/flows/aws/picture.js';
import { pictureSvg, type PictureInput } from '../src/pictures/index.js';
import { svgToPng } from '../src/pictures/png.js';

const ROUNDS = Number(process.env['BENCH_PICTURE_ROUNDS'] ?? 20);
const TARGET_MS = 200;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** The demo's AWS verdict with a lane per address up to the cap and a change between each. */
function crowded(input: PictureInput): PictureInput {
  const { verdict } = input;
  if (verdict.flow !== 'aws_instance_credentials' || verdict.facts === null) throw new Error('crowded() takes an AWS verdict');
  const facts = verdict.facts;
  const t0 = Date.parse('2026-11-20T08:00:00Z');
  const ips = Array.from({ length: MAX_LANES }, (_, i) => ({
    ...facts.ips[0]!,
    address: `3.80.${i}.${10 + i}`,
    first_seen: new Date(t0 + i * 5 * 60_000).toISOString(),
    last_seen: new Date(t0 + i * 5 * 60_000 + 4 * 60_000).toISOString(),
    events: 10 + i,
  }));
  const ip_changes = ips.slice(1).map((to, i) => ({ from: ips[i]!.address, to: to.address, explained_by: i % 2 ? null : { action: 'RebootInstances', time: to.first_seen, case: 'a' as const, why: 'bench' } }));
  return { ...input, verdict: { ...verdict, facts: { ...facts, ips, ip_changes } } };
}

export async function benchPictures(): Promise<void> {
  const { alerts, deps } = await loadDemo();
  const inputs = new Map<string, PictureInput>();
  for (const alert of alerts) inputs.set(alert.id, { verdict: await investigate(alert, deps), alertTime: alert.time });
  const cases: Array<[string, PictureInput]> = [
    ['AWS timeline (2 lanes)', inputs.get('demo-aws-reboot')!],
    [`AWS timeline (${MAX_LANES} lanes)`, crowded(inputs.get('demo-aws-reboot')!)],
    ['Okta world map', inputs.get('demo-okta-jane-evt')!],
    ['Okta regional map', inputs.get('demo-okta-raj')!],
    ['e-mail timeline', inputs.get('demo-email-click')!],
  ];
  for (const [label, input] of cases) {
    // Warm-up: the map's countries are projected once per process, fonts are read by the first render.
    const first = pictureSvg(input);
    if ('nothing' in first) throw new Error(`${label}: ${first.nothing}`);
    await svgToPng(first.svg);
    const svgMs: number[] = [];
    const totalMs: number[] = [];
    const cpuMs: number[] = [];
    let bytes = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      const out = pictureSvg(input);
      const built = performance.now();
      if ('nothing' in out) throw new Error(out.nothing);
      bytes = (await svgToPng(out.svg)).length;
      svgMs.push(built - start);
      totalMs.push(performance.now() - start);
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
    }
    cpuMs.sort((a, b) => a - b);
    svgMs.sort((a, b) => a - b);
    totalMs.sort((a, b) => a - b);
    const median = percentile(totalMs, 0.5);
    console.log(
      `picture, ${label}: median ${median.toFixed(0)} ms, p95 ${percentile(totalMs, 0.95).toFixed(0)} ms, CPU median ${percentile(cpuMs, 0.5).toFixed(0)} ms (SVG ${percentile(svgMs, 0.5).toFixed(1)} ms; PNG ${(bytes / 1024).toFixed(0)} KiB; ${ROUNDS} rounds; target < ${TARGET_MS} ms)${median > TARGET_MS ? ' OVER TARGET' : ''}`,
    );
  }
}
