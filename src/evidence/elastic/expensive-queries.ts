// Queries that need `search.allow_expensive_queries` (wildcards): a cluster that refuses them is remembered for a
// minute and not asked again, and the caller gets undefined, which it reports as incomplete evidence, never "no".
import type { Client } from '@elastic/elasticsearch';
import { aggregate, type Query } from './search.js';

const REFUSAL_MEMORY_MS = 60_000;

/** Wildcard syntax characters taken literally. */
export function escapeWildcard(s: string): string {
  return s.replace(/[\\*?]/g, (c) => `\\${c}`);
}

/** Did the cluster refuse a query because `search.allow_expensive_queries` is false? */
export function isExpensiveQueryRefusal(err: unknown): boolean {
  // 400 when the query is built, 500 when a filter aggregation builds it on the shards.
  const e = err as { meta?: { statusCode?: number; body?: unknown }; message?: string };
  if (e.meta?.statusCode !== 400 && e.meta?.statusCode !== 500) return false;
  return JSON.stringify(e.meta.body ?? e.message ?? '').includes("'search.allow_expensive_queries' is set to false");
}

/** Clusters that refused an expensive query lately: not asked again for a minute (the setting is dynamic). */
const refusedAt = new WeakMap<Client, number>();
const refusesExpensive = (es: Client) => Date.now() - (refusedAt.get(es) ?? -Infinity) < REFUSAL_MEMORY_MS;

/** Runs an aggregation that needs expensive queries; undefined when the cluster refuses it. */
export async function aggregateExpensive<A>(es: Client, index: string, query: Query, aggs: Record<string, unknown>): Promise<{ total: number; aggs: A } | undefined> {
  if (refusesExpensive(es)) return undefined;
  try {
    return await aggregate<A>(es, index, query, aggs);
  } catch (err) {
    if (!isExpensiveQueryRefusal(err)) throw err;
    refusedAt.set(es, Date.now());
    return undefined;
  }
}

