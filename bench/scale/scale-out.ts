// The scale-out phase (`--workers 1,2,4`): the burst again with 1, 2, 4 … worker processes on one Redis, each
// with the run's concurrency, so the report shows where the limit moves — the workers, Elasticsearch, Redis, or
// the rest of this shared machine. Every count starts fresh processes and warms them before it is measured.
import { cpus } from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import type { Cluster, Redis } from 'ioredis';
import type { BenchAlert } from '../generate/scenarios.js';
import { clearCaches, log, machineBusyMs, now, waitForPhase, type Sent, type VerdictWatch, type WorkerProcess } from './harness.js';
import { readRedisCpu } from './redis-cpu.js';
import type { ScaleOutCpu, ScaleOutRow } from './scale-out-report.js';

export interface ScaleOutDeps {
  counts: readonly number[];
  alerts: readonly BenchAlert[];
  /** Warm-up alerts per worker process. */
  warmup: number;
  concurrency: number;
  /** Starts one worker process (the run's own wiring and environment). */
  spawn: () => WorkerProcess;
  enqueue: (b: BenchAlert, suffix: string) => Promise<Sent>;
  watch: VerdictWatch;
  es: Client;
  namespace: string;
  redis: Redis | Cluster;
  timeoutMs: (alerts: number) => number;
}

interface Reading {
  workersMs: number;
  esMs: number;
  redisMs: number | null;
  selfMs: number;
  machineMs: number;
  at: number;
}

async function read(workers: WorkerProcess[], d: ScaleOutDeps, redisSource: { value: ScaleOutRow['redisCpuSource'] }): Promise<Reading> {
  const usage = await Promise.all(
    workers.map((w) => {
      const next = w.next('usage');
      w.send({ cmd: 'usage' });
      return next;
    }),
  );
  const [stats, redis] = await Promise.all([d.es.nodes.stats({ metric: 'process' }), readRedisCpu(d.redis).catch(() => undefined)]);
  redisSource.value = redis?.source ?? 'none';
  const self = process.cpuUsage();
  return {
    workersMs: usage.reduce((t, u) => t + u.cpuMs, 0),
    esMs: Object.values(stats.nodes).reduce((t, n) => t + (n.process?.cpu?.total_in_millis ?? 0), 0),
    redisMs: redis?.ms ?? null,
    selfMs: (self.user + self.system) / 1000,
    machineMs: machineBusyMs(),
    at: now(),
  };
}

function cpuBetween(a: Reading, b: Reading): ScaleOutCpu {
  const s = (ms: number) => Math.round(ms / 10) / 100;
  return {
    wallS: s(b.at - a.at),
    cores: cpus().length,
    workersCpuS: s(b.workersMs - a.workersMs),
    elasticsearchCpuS: s(b.esMs - a.esMs),
    redisCpuS: a.redisMs === null || b.redisMs === null ? null : s(b.redisMs - a.redisMs),
    benchmarkCpuS: s(b.selfMs - a.selfMs),
    machineBusyS: s(b.machineMs - a.machineMs),
  };
}

async function measureCount(n: number, d: ScaleOutDeps): Promise<ScaleOutRow> {
  const workers = Array.from({ length: n }, () => d.spawn());
  try {
    await Promise.all(workers.map((w) => w.next('ready')));
    const warm = await Promise.all(d.alerts.slice(0, Math.min(d.warmup * n, d.alerts.length)).map((b) => d.enqueue(b, `~warm-w${n}`)));
    await waitForPhase(`scale-out ${n}: warm-up`, warm, workers, d.watch, d.timeoutMs(warm.length));
    await clearCaches(d.es, d.namespace);
    await Promise.all(
      workers.map((w) => {
        const paused = w.next('paused');
        w.send({ cmd: 'pause' });
        return paused;
      }),
    );
    const sent: Sent[] = [];
    for (let i = 0; i < d.alerts.length; i += 32) sent.push(...(await Promise.all(d.alerts.slice(i, i + 32).map((b) => d.enqueue(b, `~burst-w${n}`)))));
    const redisSource = { value: 'none' as ScaleOutRow['redisCpuSource'] };
    const before = await read(workers, d, redisSource);
    const resumed = await Promise.all(
      workers.map((w) => {
        const r = w.next('resumed');
        w.send({ cmd: 'resume' });
        return r;
      }),
    );
    await waitForPhase(`scale-out ${n}: burst`, sent, workers, d.watch, d.timeoutMs(sent.length));
    const after = await read(workers, d, redisSource);
    d.watch.poll();
    const done = sent.flatMap((s) => (s.messageTs && d.watch.at.has(s.messageTs) && workers.some((w) => w.records.has(s.alert.id)) ? [d.watch.at.get(s.messageTs)!] : []));
    const from = Math.min(...resumed.map((r) => r.at));
    const wall = done.length ? (Math.max(...done) - from) / 1000 : 0;
    const summaries = await Promise.all(
      workers.map((w) => {
        const stopped = w.next('stopped');
        w.send({ cmd: 'stop' });
        return stopped;
      }),
    );
    return {
      workers: n,
      concurrencyPerWorker: d.concurrency,
      investigations: done.length,
      missing: sent.length - done.length,
      perSecond: wall > 0 ? Math.round((done.length / wall) * 10) / 10 : null,
      cpu: cpuBetween(before, after),
      redisCpuSource: redisSource.value,
      peakWorkerRssMb: Math.max(...summaries.map((m) => m.summary.peakRssMb)),
    };
  } finally {
    for (const w of workers) w.kill();
  }
}

/** The burst once per worker count, one after the other. */
export async function runScaleOut(d: ScaleOutDeps): Promise<ScaleOutRow[]> {
  const rows: ScaleOutRow[] = [];
  for (const n of d.counts) {
    log(`scale-out: ${d.alerts.length} alerts enqueued at once, then ${n} worker process(es) × ${d.concurrency} jobs resume`);
    rows.push(await measureCount(n, d));
  }
  return rows;
}
