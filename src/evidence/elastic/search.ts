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

/** A terms aggregation's buckets and how many documents fell outside them (`sum_other_doc_count`). */
export interface CappedTermsAgg<B = Bucket> extends TermsAgg<B> {
  sum_other_doc_count?: number;
}

export interface CompositeBucket extends Bucket<Record<string, string | number | null>> {
  [sub: string]: unknown;
}

interface CompositeAgg {
  buckets: CompositeBucket[];
  after_key?: Record<string, unknown>;
}

export interface Paging {
  pageSize: number;
  /** Most pages read for one question; beyond, the answer is cut (and says so). */
  maxPages: number;
}

/**
 * Every bucket of a composite aggregation, page by page (`after_key`). The first page also carries
 * `firstAggs` (other aggregations asked once). `cut` is true when the page budget ended the reading.
 */
export async function compositeAll<A>(
  es: Client,
  index: string,
  query: Query,
  sources: Array<Record<string, unknown>>,
  subAggs: Record<string, unknown>,
  paging: Paging,
  firstAggs: Record<string, unknown> = {},
): Promise<{ total: number; buckets: CompositeBucket[]; first: A; cut: boolean; pages: number }> {
  const buckets: CompositeBucket[] = [];
  let after: Record<string, unknown> | undefined;
  let total = 0;
  let first = {} as A;
  for (let page = 0; page < paging.maxPages; page++) {
    const { total: t, aggs } = await aggregate<Record<string, unknown>>(es, index, query, {
      pages: { composite: { size: paging.pageSize, sources, ...(after ? { after } : {}) }, aggs: subAggs },
      ...(page === 0 ? firstAggs : {}),
    });
    if (page === 0) {
      total = t;
      first = aggs as A;
    }
    const agg = aggs['pages'] as CompositeAgg | undefined;
    buckets.push(...(agg?.buckets ?? []));
    if (!agg || agg.buckets.length < paging.pageSize || !agg.after_key) return { total, buckets, first, cut: false, pages: page + 1 };
    after = agg.after_key;
  }
  return { total, buckets, first, cut: true, pages: paging.maxPages };
}

export interface Hit {
  _source?: Record<string, unknown>;
  sort?: unknown[];
}

/**
 * Every hit of a search, oldest first. One request when the answer fits a page; else the whole answer is
 * read again under a point in time, page by page with `search_after`, up to `maxPages` (then `cut`).
 */
export async function searchAll(
  es: Client,
  index: string,
  body: { query: Query; sort: Array<Record<string, unknown>>; _source: string[]; aggs?: Record<string, unknown>; post_filter?: Query },
  paging: Paging,
): Promise<{ hits: Hit[]; aggregations: Record<string, unknown>; cut: boolean; pages: number }> {
  const resolved = await resolveFields(es, index, body as unknown as Record<string, unknown>);
  const first = await es.search<Record<string, unknown>>({ index, size: paging.pageSize, ignore_unavailable: true, allow_no_indices: true, track_total_hits: false, ...resolved });
  const aggregations = (first.aggregations ?? {}) as Record<string, unknown>;
  if (first.hits.hits.length < paging.pageSize) return { hits: first.hits.hits, aggregations, cut: false, pages: 1 };
  const { aggs: _aggs, ...rest } = resolved as Record<string, unknown>;
  const pit = await es.openPointInTime({ index, keep_alive: '1m', ignore_unavailable: true });
  const hits: Hit[] = [];
  let pages = 1;
  try {
    let searchAfter: unknown[] | undefined;
    for (let page = 0; page < paging.maxPages; page++) {
      pages++;
      const res = await es.search<Record<string, unknown>>({
        ...rest,
        size: paging.pageSize,
        track_total_hits: false,
        pit: { id: pit.id, keep_alive: '1m' },
        ...(searchAfter ? { search_after: searchAfter } : {}),
      } as Parameters<Client['search']>[0]);
      hits.push(...res.hits.hits);
      if (res.hits.hits.length < paging.pageSize) return { hits, aggregations, cut: false, pages };
      searchAfter = res.hits.hits.at(-1)?.sort;
      if (!searchAfter) return { hits, aggregations, cut: true, pages };
    }
    return { hits, aggregations, cut: true, pages };
  } finally {
    await es.closePointInTime({ id: pit.id }).catch(() => undefined);
  }
}
