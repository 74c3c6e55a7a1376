// The benchmark's numbers: per flow and overall, as a readable table and as one JSON line.
import type { BenchAlert, Flow } from '../generate/scenarios.js';
import { FLOWS } from '../generate/scenarios.js';
import type { LoadedDataSet } from './dataset.js';
import type { JobRecord, WorkerSummary } from './protocol.js';
import { median, spread, type Spread } from './stats.js';
import type { ScaleOptions } from './run.js';
import { printScaleOut, scaleOutLine, type ScaleOutRow } from './scale-out-report.js';

export interface PhaseRow {
  bench: BenchAlert;
  record: JobRecord | undefined;
  alertToVerdictMs: number | undefined;
  verdictAt: number | undefined;
  /** Alert-to-verdict in stages: intake (claim, "Investigating…", queue.add), waiting in the queue, the worker before the investigation, after it (audit, Slack). */
  stages?: { intakeMs: number; queueWaitMs: number; beforeMs: number; afterMs: number };
}

export interface PhaseCpu {
  wallS: number;
  workerCpuS: number;
  elasticsearchCpuS: number;
  benchmarkCpuS: number;
  /** Everything else the machine ran meanwhile: Redis and other sessions' work. */
  otherCpuS: number;
  cores: number;
  /** The machine's 1-minute load average at the end of the phase (other sessions' work included). */
  load1: number;
}

export interface PhaseResult {
  name: string;
  rows: PhaseRow[];
  cpu?: PhaseCpu;
  /** From the first arrival (paced) or the worker's resumption (burst) to the last verdict message. */
  wallSeconds?: number;
}

export interface BaselineSample {
  alertId: string;
  flow: Flow;
  heavy: boolean;
  fastMs: number;
  fastRequests: number;
  naiveMs: number;
  naiveRequests: number;
  naiveDocuments: number;
  naiveFetchMs: number;
  naiveComputeMs: number;
  /** The naive way stopped: too many documents for one question (its time is a lower bound). */
  gaveUp: boolean;
  /** Port methods it had no subject filter for (it fetched their whole window). */
  wholeWindow: string[];
  same: boolean;
  verdicts: string;
}

export interface ProfileResult {
  flow: Flow;
  alertId: string;
  family: string;
  investigateMs: number;
  searches: Array<{ path: string; tookMs: number; hits: number; summary?: string[] }>;
  /** The same searches' took on the first, cold run. */
  coldTookMs: number[];
  slowest?: { tookMs: number; request: Record<string, unknown>; summary: string[]; profile: unknown };
}

interface ReportInput {
  opts: ScaleOptions;
  machine: { cpus: number; cpuModel: string; memoryGb: number; loadBefore: number[]; loadAfter: number[]; node: string };
  elasticsearch: { version: string; heapMb: number; url: string };
  data: LoadedDataSet;
  phases: { paced: PhaseResult; burst: PhaseResult };
  worker: WorkerSummary;
  baseline: BaselineSample[];
  profiles: ProfileResult[];
  /** The scale-out phase, one row per worker count (`--workers`); empty when not asked for. */
  scaleOut: ScaleOutRow[];
}

const r1 = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);
const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? Math.round((a / b) * 10) / 10 : null);

function flowNumbers(flow: Flow | 'all', input: ReportInput) {
  const mine = (rows: PhaseRow[]) => rows.filter((r) => flow === 'all' || r.bench.flow === flow);
  const paced = mine(input.phases.paced.rows);
  const burst = mine(input.phases.burst.rows);
  const records = [...paced, ...burst].flatMap((r) => (r.record ? [r.record] : []));
  const verdicts: Record<string, number> = {};
  const unexpected: string[] = [];
  for (const r of paced) {
    if (!r.record) continue;
    verdicts[r.record.verdict] = (verdicts[r.record.verdict] ?? 0) + 1;
    if (r.record.verdict !== r.bench.expect.verdict || r.record.score !== r.bench.expect.score) {
      unexpected.push(`${r.bench.id} (${r.bench.family}): ${r.record.verdict} ${r.record.score ?? ''}, expected ${r.bench.expect.verdict} ${r.bench.expect.score ?? ''}`);
    }
  }
  const base = input.baseline.filter((b) => flow === 'all' || b.flow === flow);
  const naive = spread(base.map((b) => b.naiveMs));
  const fast = spread(base.map((b) => b.fastMs));
  // The naive way even if Node's computation cost nothing: a lower bound of its time.
  const naiveFetchOnly = spread(base.map((b) => Math.max(0, b.naiveMs - b.naiveComputeMs)));
  const gainOf = (rows: BaselineSample[]) => ratio(median(rows.map((b) => b.naiveMs)), median(rows.map((b) => b.fastMs)));
  const stage = (pick: (st: NonNullable<PhaseRow['stages']>) => number) => median(paced.flatMap((r) => (r.stages ? [pick(r.stages)] : [])));
  const kinds: Record<string, number[]> = {};
  for (const rec of records) for (const [k, n] of Object.entries(rec.esByKind)) (kinds[k] ??= []).push(n);
  // Where Elasticsearch spends its time, per dataset: mean "took" per investigation (paced phase).
  const pacedRecords = paced.flatMap((r) => (r.record ? [r.record] : []));
  const took: Record<string, number> = {};
  for (const rec of pacedRecords) for (const [t, ms] of Object.entries(rec.esTookByTarget ?? {})) took[t] = (took[t] ?? 0) + ms;
  return {
    alerts: paced.length,
    investigation_ms: spread(paced.flatMap((r) => (r.record ? [r.record.investigateMs] : []))),
    burst_investigation_ms: spread(burst.flatMap((r) => (r.record ? [r.record.investigateMs] : []))),
    alert_to_verdict_ms: spread(paced.flatMap((r) => (r.alertToVerdictMs !== undefined ? [r.alertToVerdictMs] : []))),
    alert_to_verdict_stages_p50: {
      intake: stage((st) => st.intakeMs),
      queue_wait: stage((st) => st.queueWaitMs),
      worker_before: stage((st) => st.beforeMs),
      investigation: median(paced.flatMap((r) => (r.record ? [r.record.investigateMs] : []))),
      after: stage((st) => st.afterMs),
    },
    es_round_trips: {
      median: median(records.map((r) => r.esRequests)),
      max: records.length ? Math.max(...records.map((r) => r.esRequests)) : null,
      // Requests of each kind per investigation that made any (median).
      by_kind_median: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, median(v)])),
    },
    es_took_ms_mean_by_target: Object.fromEntries(Object.entries(took).sort((a, b) => b[1] - a[1]).map(([t, ms]) => [t, r1(ms / Math.max(1, pacedRecords.length))])),
    verdicts,
    unexpected,
    missing: paced.filter((r) => !r.record || r.verdictAt === undefined).length + burst.filter((r) => !r.record || r.verdictAt === undefined).length,
    baseline: base.length
      ? {
          n: base.length,
          naive_ms: naive,
          fast_ms: fast,
          gain_p50: ratio(naive.p50, fast.p50),
          gain_p95: ratio(naive.p95, fast.p95),
          gain_heavy_p50: gainOf(base.filter((b) => b.heavy)),
          gain_ordinary_p50: gainOf(base.filter((b) => !b.heavy)),
          naive_without_compute_ms: naiveFetchOnly,
          gain_without_compute_p95: ratio(naiveFetchOnly.p95, fast.p95),
          naive_documents_median: median(base.map((b) => b.naiveDocuments)),
          naive_documents_max: Math.max(...base.map((b) => b.naiveDocuments)),
          naive_round_trips_median: median(base.map((b) => b.naiveRequests)),
          naive_compute_share: r1((100 * base.reduce((t, b) => t + b.naiveComputeMs, 0)) / Math.max(1, base.reduce((t, b) => t + b.naiveMs, 0))),
          disagreements: base.filter((b) => !b.same && !b.gaveUp).map((b) => `${b.alertId}: ${b.verdicts}`),
          gave_up: base.filter((b) => b.gaveUp).length,
          whole_window_calls: [...new Set(base.flatMap((b) => b.wholeWindow))],
        }
      : undefined,
  };
}

export type FlowReport = ReturnType<typeof flowNumbers>;

/** Investigation latency per scenario family (paced phase), slowest p95 first: where the time goes. */
function byFamily(input: ReportInput) {
  const groups = new Map<string, PhaseRow[]>();
  for (const r of input.phases.paced.rows) groups.set(`${r.bench.flow}: ${r.bench.family}`, [...(groups.get(`${r.bench.flow}: ${r.bench.family}`) ?? []), r]);
  return [...groups.entries()]
    .map(([family, rows]) => {
      const recs = rows.flatMap((r) => (r.record ? [r.record] : []));
      return { family, investigation_ms: spread(recs.map((r) => r.investigateMs)), es_round_trips_median: median(recs.map((r) => r.esRequests)) };
    })
    .sort((a, b) => (b.investigation_ms.p95 ?? 0) - (a.investigation_ms.p95 ?? 0));
}

const tookOf = (r: JobRecord) => Object.values(r.esTookByTarget ?? {}).reduce((a, b) => a + b, 0);

/**
 * The burst phase's Elasticsearch CPU per investigation of each flow, shared out by Elasticsearch's own time.
 * Flows are the benchmark's (the alert's family), not the verdict's flow id.
 */
export function esCpuPerFlow(burst: PhaseResult): Record<string, number> | null {
  const cpu = burst.cpu;
  const done = burst.rows.flatMap((r) => (r.record && r.verdictAt !== undefined ? [{ flow: r.bench.flow, record: r.record }] : []));
  const took = done.reduce((n, r) => n + tookOf(r.record), 0);
  if (!cpu || done.length === 0 || took === 0) return null;
  return Object.fromEntries(
    FLOWS.flatMap((f) => {
      const mine = done.filter((r) => r.flow === f);
      if (mine.length === 0) return [];
      const share = mine.reduce((n, r) => n + tookOf(r.record), 0) / took;
      return [[f, Math.round(((cpu.elasticsearchCpuS * 1000 * share) / mine.length) * 10) / 10]];
    }),
  );
}

/** Field-capabilities and mapping requests: per investigation (paced) and sent outside any (the background refresh). */
function mappingRequests(input: ReportInput): { perInvestigation: number | null; background: number } {
  const isMapping = (kind: string) => kind === 'field_caps' || kind === 'mapping';
  const recs = input.phases.paced.rows.flatMap((r) => (r.record ? [r.record] : []));
  const inJobs = recs.reduce((n, r) => n + Object.entries(r.esByKind ?? {}).reduce((m, [k, c]) => m + (isMapping(k) ? c : 0), 0), 0);
  const background = Object.entries(input.worker.unattributedByKind ?? {}).reduce((m, [k, c]) => m + (isMapping(k) ? c : 0), 0);
  return { perInvestigation: recs.length ? Math.round((inJobs / recs.length) * 1000) / 1000 : null, background };
}

export function buildReport(input: ReportInput) {
  const { opts, data, worker } = input;
  const all = flowNumbers('all', input);
  const perFlow = Object.fromEntries(FLOWS.map((f) => [f, flowNumbers(f, input)])) as Record<Flow, FlowReport>;
  const burstDone = input.phases.burst.rows.filter((r) => r.verdictAt !== undefined).length;
  const perSecond = input.phases.burst.wallSeconds ? Math.round((burstDone / input.phases.burst.wallSeconds) * 10) / 10 : null;
  const burstCpu = input.phases.burst.cpu;
  const esCpuMs = burstCpu && burstDone ? (burstCpu.elasticsearchCpuS * 1000) / burstDone : null;
  const esCpuByFlow = esCpuPerFlow(input.phases.burst);
  const mapping = mappingRequests(input);
  // Issue 18's targets (1 M events, 4 concurrent jobs on this 2-core machine).
  const targets = {
    'investigation p95 <= 100 ms in every flow': FLOWS.every((f) => perFlow[f].alerts === 0 || (perFlow[f].investigation_ms.p95 ?? Infinity) <= 100),
    'investigation p99 <= 200 ms in every flow': FLOWS.every((f) => perFlow[f].alerts === 0 || (perFlow[f].investigation_ms.p99 ?? Infinity) <= 200),
    'Elasticsearch CPU <= 15 ms per investigation': esCpuMs !== null && esCpuMs <= 15,
    [`>= 60 investigations/s with ${opts.concurrency} concurrent jobs`]: perSecond !== null && perSecond >= 60,
    'median ES round trips <= 3 in each flow, at most 5': FLOWS.every((f) => perFlow[f].alerts === 0 || ((perFlow[f].es_round_trips.median ?? Infinity) <= 3 && (perFlow[f].es_round_trips.max ?? Infinity) <= 5)),
    'worker RSS <= 200 MB': worker.peakRssMb <= 200,
    'no mapping lookup in an investigation (steady state)': mapping.perInvestigation === 0,
    'naive baseline >= 10x slower (p95, same alerts)': (all.baseline?.gain_p95 ?? 0) >= 10,
  };
  const line = {
    events: opts.events,
    alerts: opts.alerts,
    concurrency: opts.concurrency,
    rate: opts.rate,
    p50_ms: all.investigation_ms.p50,
    p95_ms: all.investigation_ms.p95,
    p99_ms: all.investigation_ms.p99,
    burst_p50_ms: all.burst_investigation_ms.p50,
    burst_p95_ms: all.burst_investigation_ms.p95,
    burst_p99_ms: all.burst_investigation_ms.p99,
    alert_to_verdict_p50_ms: all.alert_to_verdict_ms.p50,
    alert_to_verdict_p95_ms: all.alert_to_verdict_ms.p95,
    alert_to_verdict_p99_ms: all.alert_to_verdict_ms.p99,
    per_s: perSecond,
    es_round_trips: all.es_round_trips.median,
    es_round_trips_max: all.es_round_trips.max,
    worker_rss_mb: worker.peakRssMb,
    baseline_p95_ms: all.baseline?.naive_ms.p95 ?? null,
    baseline_fast_p95_ms: all.baseline?.fast_ms.p95 ?? null,
    baseline_gain_p95: all.baseline?.gain_p95 ?? null,
    baseline_gain_heavy_p50: all.baseline?.gain_heavy_p50 ?? null,
    baseline_gain_ordinary_p50: all.baseline?.gain_ordinary_p50 ?? null,
    // CPU cost per investigation in the burst phase: far less sensitive than latency to other work on the machine.
    es_cpu_ms_per_investigation: esCpuMs === null ? null : Math.round(esCpuMs * 10) / 10,
    // Per flow: the burst's Elasticsearch CPU shared out by each flow's share of Elasticsearch's own time (took).
    es_cpu_ms_per_investigation_by_flow: esCpuByFlow,
    es_mapping_requests_per_investigation: mapping.perInvestigation,
    es_mapping_requests_in_background: mapping.background,
    worker_cpu_ms_per_investigation: input.phases.burst.cpu && burstDone ? Math.round((input.phases.burst.cpu.workerCpuS * 1000) / burstDone) : null,
    other_cpu_share: input.phases.burst.cpu ? Math.round((100 * input.phases.burst.cpu.otherCpuS) / (input.phases.burst.cpu.wallS * input.phases.burst.cpu.cores)) / 100 : null,
    ingest_docs_per_s: data.ingest.docsPerSecond,
    es_heap_mb: input.elasticsearch.heapMb,
    scenario_events: data.manifest.scenarioEvents,
    per_flow: Object.fromEntries(
      FLOWS.map((f) => {
        const n = perFlow[f];
        return [
          f,
          {
            alerts: n.alerts,
            p50_ms: n.investigation_ms.p50,
            p95_ms: n.investigation_ms.p95,
            p99_ms: n.investigation_ms.p99,
            burst_p95_ms: n.burst_investigation_ms.p95,
            alert_to_verdict_p95_ms: n.alert_to_verdict_ms.p95,
            es_round_trips_median: n.es_round_trips.median,
            es_round_trips_max: n.es_round_trips.max,
            es_cpu_ms_per_investigation: esCpuByFlow?.[f] ?? null,
            baseline_p95_ms: n.baseline?.naive_ms.p95 ?? null,
            baseline_gain_p95: n.baseline?.gain_p95 ?? null,
            unexpected_verdicts: n.unexpected.length,
          },
        ];
      }),
    ),
    unexpected_verdicts: all.unexpected.length,
    missing: all.missing,
    unattributed_es_requests: worker.unattributedRequests,
    scale_out: input.scaleOut.map(scaleOutLine),
    targets_missed: Object.entries(targets).filter(([, ok]) => !ok).map(([t]) => t),
  };
  return {
    machine: input.machine,
    elasticsearch: input.elasticsearch,
    dataSet: { namespace: data.namespace, manifest: data.manifest, ingest: data.ingest, reused: data.reused },
    worker,
    cpu: { paced: input.phases.paced.cpu, burst: input.phases.burst.cpu },
    all,
    perFlow,
    byFamily: byFamily(input),
    targets,
    profiles: input.profiles.map(({ slowest, ...p }) => ({ ...p, slowest: slowest ? { tookMs: slowest.tookMs, summary: slowest.summary, request: slowest.request } : undefined })),
    baseline: input.baseline,
    scaleOut: input.scaleOut,
    line,
  };
}

export type Report = ReturnType<typeof buildReport>;

const fmt = (s: Spread) => (s.n ? `${s.p50} / ${s.p95} / ${s.p99} ms (n=${s.n}, max ${s.max})` : 'n/a');

export function printReport(r: Report, out: (line: string) => void): void {
  const m = r.dataSet.manifest;
  out('');
  out(`Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, Node ${r.machine.node}; load ${r.machine.loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${r.machine.loadAfter.map((l) => l.toFixed(2)).join(' ')} after`);
  out(`Elasticsearch ${r.elasticsearch.version}, heap ${r.elasticsearch.heapMb} MB (${r.elasticsearch.url})`);
  out(`Data: ${m.events} background + ${m.scenarioEvents} scenario events (${r.dataSet.namespace}); ingest ${r.dataSet.ingest.documents} docs at ${r.dataSet.ingest.docsPerSecond} docs/s${r.dataSet.reused ? ' (measured when loaded; reused)' : ''}`);
  out(`Worker: concurrency ${r.line.concurrency}, peak RSS ${r.worker.peakRssMb} MB (${r.worker.readyRssMb} MB when up, before any job; ${r.worker.afterGcRssMb} MB with ${r.worker.afterGcHeapMb} MB of heap after the last job and a full GC), peak heap in use ${r.worker.peakHeapMb} MB; ES requests outside any investigation: ${r.worker.unattributedRequests}`);
  out('');
  out('investigation = gather + decide inside the worker (p50 / p95 / p99)');
  for (const [name, n] of [...Object.entries(r.perFlow), ['all', r.all] as const]) {
    out(`  ${name.padEnd(5)} paced ${fmt(n.investigation_ms)}; burst ${fmt(n.burst_investigation_ms)}`);
  }
  out('investigation by scenario family, paced (p50 / p95 / p99; round trips median)');
  for (const f of r.byFamily) out(`  ${fmt(f.investigation_ms)}; ${f.es_round_trips_median} — ${f.family}`);
  out(`alert-to-verdict at ${r.line.rate} alerts/s (p50 / p95 / p99)`);
  for (const [name, n] of [...Object.entries(r.perFlow), ['all', r.all] as const]) out(`  ${name.padEnd(5)} ${fmt(n.alert_to_verdict_ms)}; medians by stage ${JSON.stringify(n.alert_to_verdict_stages_p50)}`);
  out(`throughput with all ${r.line.alerts} enqueued at once: ${r.line.per_s ?? 'n/a'} investigations/s`);
  printScaleOut(r.scaleOut, out);
  for (const [name, c] of Object.entries(r.cpu)) {
    if (c) out(`CPU in the ${name} phase: ${c.wallS} s wall × ${c.cores} cores; worker ${c.workerCpuS} s, Elasticsearch ${c.elasticsearchCpuS} s, benchmark process ${c.benchmarkCpuS} s, other processes (Redis, other sessions) ${c.otherCpuS} s; load ${c.load1}`);
  }
  out(`CPU per investigation (burst): Elasticsearch ${r.line.es_cpu_ms_per_investigation} ms, worker ${r.line.worker_cpu_ms_per_investigation} ms — steadier than latency on a shared machine`);
  out('Elasticsearch round trips per investigation (median, max; median per kind)');
  for (const [name, n] of Object.entries(r.perFlow)) out(`  ${name.padEnd(5)} ${n.es_round_trips.median}, ${n.es_round_trips.max}; ${JSON.stringify(n.es_round_trips.by_kind_median)}; Elasticsearch's time (took) per investigation, mean ms by index: ${JSON.stringify(n.es_took_ms_mean_by_target)}`);
  out('naive baseline, serial, same alerts: naive p50 / p95 vs the product’s p50 / p95 (gain)');
  for (const [name, n] of [...Object.entries(r.perFlow), ['all', r.all] as const]) {
    const b = n.baseline;
    if (!b) continue;
    out(`  ${name.padEnd(5)} ${b.naive_ms.p50} / ${b.naive_ms.p95} ms vs ${b.fast_ms.p50} / ${b.fast_ms.p95} ms (×${b.gain_p50} / ×${b.gain_p95}; heavy subjects ×${b.gain_heavy_p50}, others ×${b.gain_ordinary_p50}); without Node's computation (${b.naive_compute_share}% of its time) ×${b.gain_without_compute_p95} at p95; documents fetched median ${b.naive_documents_median}, max ${b.naive_documents_max}${b.gave_up ? `; gave up on ${b.gave_up} (too many documents: times are lower bounds)` : ''}${b.whole_window_calls.length ? `; whole-window fetches for ${b.whole_window_calls.join(', ')}` : ''}${b.disagreements.length ? `; DISAGREE: ${b.disagreements.join('; ')}` : ''}`);
  }
  for (const p of r.profiles) {
    out(`slowest ${p.flow} investigation: ${p.alertId} (${p.family}), ${p.investigateMs.toFixed(0)} ms; profiled again, its searches took ${p.searches.map((s) => s.tookMs).join(', ')} ms (cold caches: ${p.coldTookMs.join(', ')} ms); the slowest:`);
    for (const l of p.slowest?.summary ?? []) out(`    ${l}`);
  }
  if (r.all.unexpected.length) out(`UNEXPECTED VERDICTS (${r.all.unexpected.length}): ${r.all.unexpected.slice(0, 10).join('; ')}`);
  if (r.all.missing) out(`MISSING VERDICTS: ${r.all.missing}`);
  for (const [name, c] of Object.entries(r.cpu)) {
    if (c && c.otherCpuS > 0.2 * c.wallS * c.cores) out(`NOTE: other processes used ${c.otherCpuS} of ${(c.wallS * c.cores).toFixed(1)} CPU seconds during the ${name} phase: its latencies include waiting for the CPU.`);
  }
  if (r.worker.failures.length) out(`worker failures: ${r.worker.failures.slice(0, 5).join('; ')}`);
  out(`targets: ${Object.entries(r.targets).map(([t, ok]) => `${ok ? 'met' : 'MISSED'}: ${t}`).join('; ')}`);
  out('');
}
