// Summaries of measured samples.

/** Nearest-rank percentile (p in 0–100) of unsorted samples; undefined when there are none. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export interface Spread {
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

const round = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10) / 10);

export function spread(samples: readonly number[]): Spread {
  return {
    n: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    max: round(samples.length ? Math.max(...samples) : undefined),
  };
}

export function median(samples: readonly number[]): number | null {
  return round(percentile(samples, 50));
}
