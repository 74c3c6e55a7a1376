// Small helpers over the client's search API: time ranges, tolerant index options, typed aggregations.
import type { Client } from '@elastic/elasticsearch';
import type { TimeWindow } from '../ports.js';
import { resolveFields } from './fields.js';

export type Query = Record<string, unknown>;

export function timeRange(window: TimeWindow): Query {
  return { range: { '@timestamp': { gte: window.from.toISOString(), lte: window.to.toISOString() } } };
}

/** Aggregation-only search over patterns that may match nothing yet. */
export async function aggregate<A>(es: Client, index: string, query: Query, aggs: Record<string, unknown>): Promise<{ total: number; aggs: A }> {
  const body = await resolveFields(es, index, { query, aggs });
  const res = await es.search({
    index,
    size: 0,
    track_total_hits: true,
    ignore_unavailable: true,
    allow_no_indices: true,
    ...body,
  } as Parameters<Client['search']>[0]);
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  return { total, aggs: (res.aggregations ?? {}) as A };
}

export interface Bucket<K = string> {
  key: K;
  key_as_string?: string;
  doc_count: number;
}

export interface TermsAgg<B = Bucket> {
  buckets: B[];
}

export interface ValueAgg {
  value: number | null;
  value_as_string?: string;
}

export function terms(field: string, size: number, extra: Record<string, unknown> = {}): Query {
  return { terms: { field, size, ...extra } };
}

export function keys(agg: TermsAgg | undefined): string[] {
  return (agg?.buckets ?? []).map((b) => String(b.key_as_string ?? b.key));
}

export function dateOf(agg: ValueAgg | undefined): Date | undefined {
  return agg?.value === null || agg?.value === undefined ? undefined : new Date(agg.value);
}
