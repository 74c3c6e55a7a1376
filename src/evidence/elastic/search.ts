// Small helpers over the client's search API: time ranges, tolerant index options, typed aggregations.
// Every search covers every index of its pattern: fields are resolved per index (fields.ts), a pattern whose
// indices map a field differently is searched once per group of indices (named explicitly) and the answers
// merged, and a shard that fails fails the search (never a partial answer that silently misses an index).
import type { Client } from '@elastic/elasticsearch';
import type { TimeWindow } from '../ports.js';
import { planSearch } from './fields.js';
import { mergeAggregations, compareSortValues } from './merge.js';
import { batchedSearch, type SearchAnswer } from './batch.js';

export type Query = Record<string, unknown>;

export function timeRange(window: TimeWindow): Query {
  return { range: { '@timestamp': { gte: window.from.toISOString(), lte: window.to.toISOString() } } };
}

type SearchParams = Parameters<Client['search']>[0];

const totalOf = (res: SearchAnswer) => (typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0));

async function aggregateOnce(es: Client, index: string, body: Record<string, unknown>): Promise<{ total: number; aggs: Record<string, unknown> }> {
  const res = await batchedSearch(es, index, { size: 0, track_total_hits: true, ...body });
  return { total: totalOf(res), aggs: (res.aggregations ?? {}) as Record<string, unknown> };
}

/**
 * Does the dataset have any event in the window? A request of its own that stops at the first hit, so the
 * questions beside it can put their subject in the query (sent in the same `_msearch` as they are).
 */
export async function hasData(es: Client, index: string, query: Query): Promise<boolean> {
  const res = await batchedSearch(es, index, { size: 0, terminate_after: 1, track_total_hits: 1, query });
  return totalOf(res) > 0;
}

/** Aggregation-only search over patterns that may match nothing yet. */
export async function aggregate<A>(es: Client, index: string, query: Query, aggs: Record<string, unknown>): Promise<{ total: number; aggs: A }> {
  const parts = await planSearch(es, index, { query, aggs });
  const results = await Promise.all(parts.map((p) => aggregateOnce(es, p.index, p.body)));
  return {
    total: results.reduce((n, r) => n + r.total, 0),
    aggs: results.map((r) => r.aggs).reduce((a, b) => mergeAggregations(aggs, a, b)) as A,
  };
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
 * `firstAggs` (other aggregations asked once). `cut` is true when the page budget ended the reading. A pattern
 * split by index group is paged group by group: the buckets of one key may then come twice (callers merge
 * by key, as they would a key seen under two spellings).
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
  const aggs = { pages: { composite: { size: paging.pageSize, sources }, aggs: subAggs }, ...firstAggs };
  const parts = await planSearch(es, index, { query, aggs });
  const results = await Promise.all(parts.map((p) => compositeIn(es, p.index, p.body, paging, Object.keys(firstAggs))));
  return {
    total: results.reduce((n, r) => n + r.total, 0),
    buckets: results.flatMap((r) => r.buckets),
    first: results.map((r) => r.first).reduce((a, b) => mergeAggregations(firstAggs, a, b)) as A,
    cut: results.some((r) => r.cut),
    pages: results.reduce((n, r) => n + r.pages, 0),
  };
}

/** One group's composite paging, on a body whose fields are already resolved. */
async function compositeIn(
  es: Client,
  index: string,
  body: Record<string, unknown>,
  paging: Paging,
  firstNames: string[],
): Promise<{ total: number; buckets: CompositeBucket[]; first: Record<string, unknown>; cut: boolean; pages: number }> {
  const all = body['aggs'] as Record<string, Record<string, unknown>>;
  const pagesAgg = all['pages']!;
  const composite = pagesAgg['composite'] as Record<string, unknown>;
  const buckets: CompositeBucket[] = [];
  let after: Record<string, unknown> | undefined;
  let total = 0;
  let first: Record<string, unknown> = {};
  for (let page = 0; page < paging.maxPages; page++) {
    const aggs: Record<string, unknown> = { pages: { ...pagesAgg, composite: { ...composite, ...(after ? { after } : {}) } } };
    if (page === 0) for (const name of firstNames) aggs[name] = all[name];
    const res = await aggregateOnce(es, index, { ...body, aggs });
    if (page === 0) {
      total = res.total;
      first = Object.fromEntries(firstNames.flatMap((n) => (res.aggs[n] === undefined ? [] : [[n, res.aggs[n]]])));
    }
    const agg = res.aggs['pages'] as CompositeAgg | undefined;
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

type SearchAllBody = { query: Query; sort: Array<Record<string, unknown>>; _source: string[]; aggs?: Record<string, unknown>; post_filter?: Query };

/**
 * Every hit of a search, oldest first. One request when the answer fits a page; else the whole answer is
 * read again under a point in time, page by page with `search_after`, up to `maxPages` (then `cut`). A
 * pattern split by index group is read group by group and the hits merged in sort order.
 */
export async function searchAll(
  es: Client,
  index: string,
  body: SearchAllBody,
  paging: Paging,
): Promise<{ hits: Hit[]; aggregations: Record<string, unknown>; cut: boolean; pages: number }> {
  const parts = await planSearch(es, index, body as unknown as Record<string, unknown>);
  const results = await Promise.all(parts.map((p) => searchAllIn(es, p.index, p.body, paging)));
  if (results.length === 1) return results[0]!;
  const orders = body.sort.map((s) => {
    const spec = Object.values(s)[0];
    const order = typeof spec === 'string' ? spec : (spec as { order?: string } | undefined)?.order;
    return order === 'desc' ? -1 : 1;
  });
  return {
    hits: results.flatMap((r) => r.hits).sort((a, b) => compareSortValues(a.sort ?? [], b.sort ?? [], orders)),
    aggregations: results.map((r) => r.aggregations).reduce((a, b) => mergeAggregations(body.aggs ?? {}, a, b)),
    cut: results.some((r) => r.cut),
    pages: results.reduce((n, r) => n + r.pages, 0),
  };
}

async function searchAllIn(
  es: Client,
  index: string,
  resolved: Record<string, unknown>,
  paging: Paging,
): Promise<{ hits: Hit[]; aggregations: Record<string, unknown>; cut: boolean; pages: number }> {
  const first = await batchedSearch(es, index, { size: paging.pageSize, track_total_hits: false, ...resolved });
  const aggregations = (first.aggregations ?? {}) as Record<string, unknown>;
  if (first.hits.hits.length < paging.pageSize) return { hits: first.hits.hits, aggregations, cut: false, pages: 1 };
  const { aggs: _aggs, ...rest } = resolved;
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
        allow_partial_search_results: false,
        pit: { id: pit.id, keep_alive: '1m' },
        ...(searchAfter ? { search_after: searchAfter } : {}),
      } as SearchParams);
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
