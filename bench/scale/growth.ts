// How cost grows with the data: one scale run per size, side by side, with each size's ratio to the previous.
import type { Report } from './report.js';

type Line = Report['line'];

const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? `×${(a / b).toFixed(2)}` : 'n/a');

export function printGrowth(lines: Line[], out: (line: string) => void): void {
  out('');
  out('cost growth with the data (investigation latency at the stated arrival rate; burst = all alerts at once)');
  out('events | p50 / p95 / p99 ms | burst p95 ms | per s | ES CPU ms / investigation | ES round trips (median, max) | aws / okta / mfa / email p95 ms | naive p95 ms | ingest docs/s | ES heap MB | other CPU share');
  lines.forEach((l, i) => {
    const prev = i > 0 ? lines[i - 1] : undefined;
    const f = l.per_flow as Record<string, { p95_ms: number | null }>;
    out(
      `${l.events} | ${l.p50_ms} / ${l.p95_ms} / ${l.p99_ms}${prev ? ` (p95 ${ratio(l.p95_ms, prev.p95_ms)})` : ''} | ${l.burst_p95_ms}${prev ? ` (${ratio(l.burst_p95_ms, prev.burst_p95_ms)})` : ''} | ${l.per_s} | ${l.es_cpu_ms_per_investigation}${prev ? ` (${ratio(l.es_cpu_ms_per_investigation, prev.es_cpu_ms_per_investigation)})` : ''} | ${l.es_round_trips}, ${l.es_round_trips_max} | ${f['aws']?.p95_ms} / ${f['okta']?.p95_ms} / ${f['mfa']?.p95_ms} / ${f['email']?.p95_ms} | ${l.baseline_p95_ms} | ${l.ingest_docs_per_s} | ${l.es_heap_mb} | ${l.other_cpu_share}`,
    );
  });
  out(JSON.stringify({ growth: lines.map((l) => ({ events: l.events, p50_ms: l.p50_ms, p95_ms: l.p95_ms, p99_ms: l.p99_ms, burst_p95_ms: l.burst_p95_ms, per_s: l.per_s, es_cpu_ms_per_investigation: l.es_cpu_ms_per_investigation, other_cpu_share: l.other_cpu_share, es_round_trips: l.es_round_trips, baseline_p95_ms: l.baseline_p95_ms })) }));
}
