// Benchmarks (never part of `npm test`). Usage:
//   npm run bench [-- scale] [--events N] [--alerts K] [--concurrency W] [--rate R] [--workers 1,2,4] [options]   the SOC-scale benchmark
//   npm run bench -- growth --sizes 100000,1000000,10000000 [scale options]                    one scale run per size, compared
//   npm run bench -- micro [<ip-ranges.json>]                                                 range lookups, one AWS investigation
//   npm run bench -- generate --out DIR [--events N] [--alerts K] [--seed S]                   write a data set only
//   npm run bench -- es start|stop|status|clean [--es-heap-mb MB]                              the benchmark's Elasticsearch node
import { resolve } from 'node:path';
import { parseArgs, UsageError } from '../src/cli/args.js';
import { createElasticClient } from '../src/evidence/elastic/client.js';
import { DEFAULTS, generateDataSet } from './generate/index.js';
import { ensureBenchEs, stopBenchEs } from './es-node.js';
import { runMicro } from './micro.js';
import { runScale, type ScaleOptions } from './scale/run.js';
import { printGrowth } from './scale/growth.js';
import { parseWorkerCounts } from './scale/scale-out-report.js';

const MODES = ['scale', 'growth', 'micro', 'generate', 'es'] as const;

const USAGE = `npm run bench -- [scale] [--events N] [--alerts K] [--concurrency W] [--rate R]
    [--seed S] [--baseline-per-flow B] [--warmup N] [--es-port P] [--es-heap-mb MB] [--keep-es] [--fresh]
    [--workers 1,2,4] [--worker-node-options "--flag …"] [--keep-files] [--skip-baseline] [--skip-profile] [--worker-cpu-profile] [--load-only] [--busy-key-events N] [--busy-user-events N] [--campaign-clickers N] [--busy-mfa-events N] [--out DIR]
  npm run bench -- growth --sizes 100000,1000000,10000000 [scale options]   one scale run per size, then how cost grows
  npm run bench -- micro [<ip-ranges.json>]
  npm run bench -- generate --out DIR [--events N] [--alerts K] [--seed S]
  npm run bench -- es start|stop|status|clean [--es-port P] [--es-heap-mb MB] [--keep NAMESPACE]`;

const VALUED = ['worker-node-options', 'sizes', 'keep', 'events', 'alerts', 'concurrency', 'rate', 'seed', 'baseline-per-flow', 'warmup', 'es-port', 'es-heap-mb', 'busy-key-events', 'busy-user-events', 'campaign-clickers', 'busy-mfa-events', 'workers', 'out', 'anchor', 'span-days', 'redis-url'];
const FLAGS = ['keep-es', 'fresh', 'keep-files', 'skip-baseline', 'skip-profile', 'worker-cpu-profile', 'load-only'];

function count(options: Record<string, string>, name: string, fallback: number, min = 1): number {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < min || (name !== 'rate' && !Number.isInteger(n))) throw new UsageError(`--${name} must be a number ≥ ${min}`);
  return n;
}

function workerCounts(raw: string | undefined): number[] {
  try {
    return parseWorkerCounts(raw);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** 1 GB of heap up to 1 M events, 2 GB above (the issue's sizing). */
const heapFor = (events: number) => (events > 1_000_000 ? 2048 : 1024);

function scaleOptions(options: Record<string, string>, events: number, esPort: number, esHeapMb: number): ScaleOptions {
  const opts: ScaleOptions = {
    events,
    alerts: count(options, 'alerts', 1000),
    concurrency: count(options, 'concurrency', 4),
    rate: count(options, 'rate', 20, 0.1),
    seed: count(options, 'seed', DEFAULTS.seed, 0),
    anchor: options['anchor'] ?? DEFAULTS.anchor,
    spanDays: count(options, 'span-days', DEFAULTS.spanDays),
    sizes: {
      busyKeyEvents: count(options, 'busy-key-events', DEFAULTS.sizes.busyKeyEvents),
      busyUserEvents: count(options, 'busy-user-events', DEFAULTS.sizes.busyUserEvents),
      campaignClickers: count(options, 'campaign-clickers', DEFAULTS.sizes.campaignClickers),
      busyMfaEvents: count(options, 'busy-mfa-events', DEFAULTS.sizes.busyMfaEvents),
    },
    baselinePerFlow: count(options, 'baseline-per-flow', 20),
    warmup: count(options, 'warmup', 20, 0),
    esPort,
    esHeapMb,
    keepEs: options['keep-es'] === 'true',
    fresh: options['fresh'] === 'true',
    keepFiles: options['keep-files'] === 'true',
    skipBaseline: options['skip-baseline'] === 'true',
    skipProfile: options['skip-profile'] === 'true',
    redisUrl: options['redis-url'] ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    workerCpuProfile: options['worker-cpu-profile'] === 'true',
    workerNodeOptions: (options['worker-node-options'] ?? '').split(/\s+/).filter(Boolean),
    loadOnly: options['load-only'] === 'true',
    workers: workerCounts(options['workers']),
    out: resolve(options['out'] ?? `.cache/bench/runs/${new Date().toISOString().replace(/[:.]/g, '-')}`),
  };
  if (Number.isNaN(Date.parse(opts.anchor))) throw new UsageError('--anchor must be an ISO time');
  return opts;
}

async function main(argv: string[]): Promise<void> {
  const mode = (MODES as readonly string[]).includes(argv[0] ?? '') ? (argv[0] as (typeof MODES)[number]) : 'scale';
  const rest = mode === 'scale' && argv[0] !== 'scale' ? argv : argv.slice(1);
  const { positional, options } = parseArgs(rest, VALUED, FLAGS);
  const esPort = count(options, 'es-port', 9250);
  const events = count(options, 'events', 1_000_000);
  const esHeapMb = count(options, 'es-heap-mb', heapFor(events), 256);
  const root = resolve('.cache', 'bench-es');
  switch (mode) {
    case 'micro': {
      const node = await ensureBenchEs({ port: esPort, heapMb: esHeapMb, root, log: console.error });
      try {
        await runMicro(positional[0], node.url);
      } finally {
        if (node.startedHere && !options['keep-es']) await stopBenchEs({ root, port: esPort, log: console.error });
      }
      return;
    }
    case 'generate': {
      if (!options['out']) throw new UsageError('generate needs --out DIR');
      const manifest = await generateDataSet(
        { ...DEFAULTS, dir: resolve(options['out']), seed: count(options, 'seed', DEFAULTS.seed, 0), events, alerts: count(options, 'alerts', 1000) },
        console.error,
      );
      console.log(JSON.stringify(manifest));
      return;
    }
    case 'es': {
      const action = positional[0];
      if (action === 'start') console.log(await ensureBenchEs({ port: esPort, heapMb: esHeapMb, root, log: console.error }));
      else if (action === 'stop') await stopBenchEs({ root, port: esPort, log: console.error });
      else if (action === 'status') {
        const ok = await fetch(`http://127.0.0.1:${esPort}/_cluster/health`).then((r) => r.ok, () => false);
        console.log(ok ? `up on ${esPort}` : `not running on ${esPort}`);
      } else if (action === 'clean') {
        // Every benchmark data set (other than --keep NAMESPACE) leaves the benchmark node.
        const es = createElasticClient({ ELASTICSEARCH_URL: `http://127.0.0.1:${esPort}` });
        const keep = options['keep'];
        // Data streams where the cluster has them (the integration-test distribution has plain indices).
        const streams = await es.indices.getDataStream({ name: 'logs-*-bench_*' }).catch(() => ({ data_streams: [] as Array<{ name: string }> }));
        for (const d of streams.data_streams) if (!keep || !d.name.endsWith(`-${keep}`)) await es.indices.deleteDataStream({ name: d.name });
        const indices = Object.keys(await es.indices.get({ index: 'logs-*-bench_*,triage-*-bench_*', ignore_unavailable: true, allow_no_indices: true }));
        for (const i of indices) if (!keep || !i.endsWith(`-${keep}`)) await es.indices.delete({ index: i });
        await es.close();
        console.log(`removed the benchmark data sets${keep ? ` except ${keep}` : ''}`);
      } else throw new UsageError('es needs start, stop, status or clean');
      return;
    }
    case 'scale':
    case 'growth': {
      if (positional.length) throw new UsageError(`unexpected argument ${positional[0]}`);
      const base = scaleOptions(options, events, esPort, esHeapMb);
      if (mode === 'scale') {
        await runScale(base);
        return;
      }
      const sizes = (options['sizes'] ?? '100000,1000000').split(',').map((v) => count({ size: v.trim() }, 'size', 1000));
      const wasUp = await fetch(`http://127.0.0.1:${esPort}/_cluster/health`).then((r) => r.ok, () => false);
      const lines = [];
      for (const [i, size] of sizes.entries()) {
        const last = i === sizes.length - 1;
        const report = await runScale({
          ...base,
          events: size,
          esHeapMb: options['es-heap-mb'] ? esHeapMb : heapFor(size),
          keepEs: last ? base.keepEs : true,
          out: resolve(base.out, String(size)),
        });
        if (report) lines.push(report.line);
      }
      if (lines.length) printGrowth(lines, (line) => process.stdout.write(`${line}\n`));
      if (!wasUp && !base.keepEs) await stopBenchEs({ root, port: esPort, log: console.error });
      return;
    }
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`bench: ${err.message}\n\n${USAGE}\n`);
    else process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
