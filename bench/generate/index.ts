// Writes a benchmark data set: events.ndjson (background + scenario evidence, for `triage ingest`),
// alerts.jsonl (the alerts with their flow, family and expected verdict) and manifest.json.
// Streamed with back-pressure: memory stays flat whatever the event count.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { backgroundEvents, DATASET_SHARE } from './background.js';
import { buildScenarios, DEFAULT_SIZES, type BenchAlert, type ScenarioSizes } from './scenarios.js';
import { formatProgress } from '../../src/cli/progress.js';
import { buildWorld } from './world.js';

/** Bump when the generated data changes, so stale data sets are not reused. */
export const GENERATOR_VERSION = 2;
export const DEFAULT_ANCHOR = '2026-11-25T00:00:00.000Z';

/** What makes a data set what it is: the same spec gives the same bytes. */
export interface DataSetSpec {
  seed: number;
  events: number;
  alerts: number;
  /** The data set's "now": background events end here, alerts lie shortly before it. */
  anchor: string;
  spanDays: number;
  sizes: ScenarioSizes;
}

export interface DataSetOptions extends DataSetSpec {
  dir: string;
}

export interface Manifest extends DataSetSpec {
  version: number;
  backgroundByDataset: Record<string, number>;
  scenarioEvents: number;
  bytes: number;
  generateMs: number;
}

export const DEFAULTS = { seed: 42, anchor: DEFAULT_ANCHOR, spanDays: 30, sizes: DEFAULT_SIZES } as const;

class LineWriter {
  private buffer: string[] = [];
  bytes = 0;

  constructor(private readonly out: NodeJS.WritableStream) {}

  async write(doc: unknown): Promise<void> {
    this.buffer.push(JSON.stringify(doc));
    if (this.buffer.length >= 2000) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.bytes += Buffer.byteLength(chunk);
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}

export function scenarioSet(opts: DataSetSpec) {
  const anchor = Date.parse(opts.anchor);
  const world = buildWorld(opts.seed, opts.events, anchor, opts.spanDays);
  // The world's most visited domains are the same for every event count (their own random stream).
  const popular = { names: world.domains.slice(0, 10).map((d) => d.name) };
  return { world, scenarios: buildScenarios(opts.seed, opts.alerts, anchor, popular, opts.sizes) };
}

export async function generateDataSet(opts: DataSetOptions, progress: (line: string) => void = () => undefined): Promise<Manifest> {
  const started = performance.now();
  mkdirSync(opts.dir, { recursive: true });
  const { world, scenarios } = scenarioSet(opts);
  writeFileSync(join(opts.dir, 'alerts.jsonl'), `${scenarios.alerts.map((a: BenchAlert) => JSON.stringify(a)).join('\n')}\n`);

  const file = createWriteStream(join(opts.dir, 'events.ndjson'));
  const out = new LineWriter(file);
  const byDataset: Record<string, number> = Object.fromEntries(Object.keys(DATASET_SHARE).map((d) => [d, 0]));
  let n = 0;
  for (const doc of backgroundEvents(world, opts.events)) {
    const dataset = (doc['event'] as { dataset: string }).dataset;
    byDataset[dataset] = (byDataset[dataset] ?? 0) + 1;
    await out.write(doc);
    if (++n % 250_000 === 0) progress(`generating: ${formatProgress({ done: n, total: opts.events, elapsedMs: performance.now() - started }, 'background events')}`);
  }
  let scenarioEvents = 0;
  for (const doc of scenarios.events()) {
    await out.write(doc);
    scenarioEvents++;
  }
  await out.flush();
  file.end();
  await once(file, 'finish');
  const manifest: Manifest = {
    version: GENERATOR_VERSION,
    seed: opts.seed,
    events: opts.events,
    alerts: opts.alerts,
    anchor: opts.anchor,
    spanDays: opts.spanDays,
    sizes: opts.sizes,
    backgroundByDataset: byDataset,
    scenarioEvents,
    bytes: out.bytes,
    generateMs: Math.round(performance.now() - started),
  };
  writeFileSync(join(opts.dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
