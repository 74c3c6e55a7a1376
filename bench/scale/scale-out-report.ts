// The scale-out phase's numbers (`--workers 1,2,4`): per worker count, investigations per second, where the
// machine's CPU went (workers, Elasticsearch, Redis, the rest) and which of them is the limit.

/** CPU seconds over one scale-out burst, and the wall time it took. */
export interface ScaleOutCpu {
  wallS: number;
  cores: number;
  /** All worker processes together. */
  workersCpuS: number;
  elasticsearchCpuS: number;
  /** null when Redis's CPU could not be read. */
  redisCpuS: number | null;
  benchmarkCpuS: number;
  /** The whole machine's busy time (/proc/stat), everyone included. */
  machineBusyS: number;
}

export interface ScaleOutRow {
  workers: number;
  concurrencyPerWorker: number;
  investigations: number;
  missing: number;
  /** Investigations / (first worker resumed → last verdict message). */
  perSecond: number | null;
  cpu: ScaleOutCpu;
  redisCpuSource: 'proc' | 'info' | 'none';
  peakWorkerRssMb: number;
}

export type Limit = 'elasticsearch' | 'workers' | 'redis' | 'other processes' | 'jobs in flight';

/** A component at or above this share of what it can use is saturated. */
const SATURATED = 0.85;

const r1 = (v: number) => Math.round(v * 10) / 10;
const r2 = (v: number) => Math.round(v * 100) / 100;

/** CPU nobody measured separately: other sessions, the kernel, everything but workers, Elasticsearch, Redis and the benchmark. */
export function otherCpuS(c: ScaleOutCpu): number {
  return Math.max(0, c.machineBusyS - c.workersCpuS - c.elasticsearchCpuS - (c.redisCpuS ?? 0) - c.benchmarkCpuS);
}

/**
 * Which resource bounds the throughput. The machine's CPU is saturated: the largest consumer of it. Else a
 * single-threaded part at its one core: Redis, or the workers' event loops (one core per process). Else nobody
 * is out of CPU and the jobs in flight are: each waits for its searches (Little's law: more concurrency helps).
 */
export function limitOf(row: Pick<ScaleOutRow, 'workers' | 'concurrencyPerWorker' | 'cpu'>): { limit: Limit; why: string } {
  const c = row.cpu;
  if (c.wallS <= 0) return { limit: 'jobs in flight', why: 'no wall time measured' };
  const cores = (s: number) => s / c.wallS;
  const machine = c.machineBusyS / (c.wallS * c.cores);
  const users: Array<[Limit, number]> = [
    ['elasticsearch', c.elasticsearchCpuS],
    ['workers', c.workersCpuS + c.benchmarkCpuS],
    ['redis', c.redisCpuS ?? 0],
    ['other processes', otherCpuS(c)],
  ];
  if (machine >= SATURATED) {
    const [top, s] = users.sort((a, b) => b[1] - a[1])[0]!;
    return { limit: top, why: `the machine's ${c.cores} cores were ${Math.round(machine * 100)} % busy; ${top} used the most (${r2(cores(s))} cores)` };
  }
  if (c.redisCpuS !== null && cores(c.redisCpuS) >= SATURATED) return { limit: 'redis', why: `Redis (one thread) used ${r2(cores(c.redisCpuS))} of a core` };
  if (cores(c.workersCpuS) / row.workers >= SATURATED) return { limit: 'workers', why: `each worker's event loop used ${r2(cores(c.workersCpuS) / row.workers)} of a core` };
  return {
    limit: 'jobs in flight',
    why: `no CPU saturated (machine ${Math.round(machine * 100)} % busy): ${row.workers * row.concurrencyPerWorker} jobs at once, each waiting for its searches`,
  };
}

/** One entry of the JSON line's `scale_out`. */
export function scaleOutLine(row: ScaleOutRow) {
  const c = row.cpu;
  const per = (s: number | null) => (s === null || row.investigations === 0 ? null : r1((s * 1000) / row.investigations));
  const { limit, why } = limitOf(row);
  return {
    workers: row.workers,
    jobs_in_flight: row.workers * row.concurrencyPerWorker,
    per_s: row.perSecond,
    worker_cpu_ms_per_investigation: per(c.workersCpuS),
    es_cpu_ms_per_investigation: per(c.elasticsearchCpuS),
    redis_cpu_ms_per_investigation: per(c.redisCpuS),
    workers_cores: c.wallS > 0 ? r2(c.workersCpuS / c.wallS) : null,
    es_cores: c.wallS > 0 ? r2(c.elasticsearchCpuS / c.wallS) : null,
    redis_cores: c.wallS > 0 && c.redisCpuS !== null ? r2(c.redisCpuS / c.wallS) : null,
    other_cpu_share: c.wallS > 0 ? r2(otherCpuS(c) / (c.wallS * c.cores)) : null,
    machine_busy_share: c.wallS > 0 ? r2(c.machineBusyS / (c.wallS * c.cores)) : null,
    peak_worker_rss_mb: row.peakWorkerRssMb,
    missing: row.missing,
    limit,
    limit_why: why,
  };
}

export function printScaleOut(rows: ScaleOutRow[], out: (line: string) => void): void {
  if (rows.length === 0) return;
  out(`scale-out: the burst with 1…${Math.max(...rows.map((r) => r.workers))} worker processes on one Redis (CPU in cores used over the burst)`);
  out('  workers | jobs in flight | per s | workers | Elasticsearch | Redis | other | CPU ms per investigation (worker / ES / Redis) | limit');
  for (const row of rows) {
    const l = scaleOutLine(row);
    out(
      `  ${l.workers} | ${l.jobs_in_flight} | ${l.per_s ?? 'n/a'} | ${l.workers_cores} | ${l.es_cores} | ${l.redis_cores ?? 'n/a'} (${row.redisCpuSource}) | ${l.other_cpu_share} of the machine | ${l.worker_cpu_ms_per_investigation} / ${l.es_cpu_ms_per_investigation} / ${l.redis_cpu_ms_per_investigation ?? 'n/a'} | ${l.limit}: ${l.limit_why}${row.missing ? `; ${row.missing} MISSING` : ''}`,
    );
  }
}

/** `--workers 1,2,4`: distinct worker counts from 1 to 16, in the order given. */
export function parseWorkerCounts(raw: string | undefined): number[] {
  if (raw === undefined) return [];
  const counts = raw.split(',').map((v) => v.trim());
  if (counts.some((v) => !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 16)) throw new RangeError('--workers takes worker counts from 1 to 16, e.g. 1,2,4');
  return [...new Set(counts.map(Number))];
}
