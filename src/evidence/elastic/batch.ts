// Searches asked in the same turn of the event loop leave in one `_msearch`: the independent questions of
// one investigation (e-mail: proxy, EDR process/file/network, Proofpoint, popularity, and each one's "has
// data") cost one round trip instead of one each. Each search keeps its own answer or its own error.
import { errors, type Client } from '@elastic/elasticsearch';

type Json = Record<string, unknown>;

/** What one search answers (the part the evidence code reads). */
export interface SearchAnswer {
  hits: { total?: number | { value: number }; hits: Array<{ _source?: Json; sort?: unknown[] }> };
  aggregations?: Json;
}

/** Header options of every evidence search: patterns that may match nothing yet; no partial answers. */
export const SEARCH_HEADER = { ignore_unavailable: true, allow_no_indices: true, allow_partial_search_results: false } as const;

interface Pending {
  index: string;
  body: Json;
  resolve: (answer: SearchAnswer) => void;
  reject: (err: unknown) => void;
}

/** Busy statuses a lone search is retried on by the client: a batched one falls back to a lone search. */
const RETRY_ALONE = new Set([429, 502, 503, 504]);
/** Elasticsearch's own default bound is per node; this keeps one request body reasonable. */
const MAX_BATCH = 64;

const queues = new WeakMap<Client, Pending[]>();

/** One search, sent with whatever else is asked on this client before the event loop turns. */
export function batchedSearch(es: Client, index: string, body: Json): Promise<SearchAnswer> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(es);
    if (!queue) {
      queue = [];
      queues.set(es, queue);
      // setImmediate: after every promise already resolved has run, so searches that a gather starts together
      // (each after its own awaits on cached field plans) are all queued.
      setImmediate(() => {
        queues.delete(es);
        void flush(es, queue!);
      });
    }
    queue.push({ index, body, resolve, reject });
  });
}

async function flush(es: Client, queue: Pending[]): Promise<void> {
  for (let i = 0; i < queue.length; i += MAX_BATCH) {
    const part = queue.slice(i, i + MAX_BATCH);
    if (part.length === 1) {
      await alone(es, part[0]!);
      continue;
    }
    let responses: Array<Json>;
    try {
      const searches = part.flatMap((p) => [{ index: p.index, ...SEARCH_HEADER }, p.body]);
      const res = await es.msearch({ searches } as Parameters<Client['msearch']>[0]);
      responses = res.responses as unknown as Json[];
    } catch (err) {
      for (const p of part) p.reject(err);
      continue;
    }
    await Promise.all(part.map((p, n) => settle(es, p, responses[n])));
  }
}

async function alone(es: Client, p: Pending): Promise<void> {
  try {
    p.resolve((await es.search({ index: p.index, ...SEARCH_HEADER, ...p.body } as Parameters<Client['search']>[0])) as unknown as SearchAnswer);
  } catch (err) {
    p.reject(err);
  }
}

async function settle(es: Client, p: Pending, item: Json | undefined): Promise<void> {
  if (!item) return p.reject(new Error('Elasticsearch answered fewer searches than were asked'));
  if (item['error'] === undefined) return p.resolve(item as unknown as SearchAnswer);
  const status = typeof item['status'] === 'number' ? item['status'] : 500;
  if (RETRY_ALONE.has(status)) return alone(es, p);
  // The same error a lone search would have thrown: callers read meta.statusCode and meta.body.
  p.reject(new errors.ResponseError({ body: { error: item['error'], status }, statusCode: status, headers: {}, warnings: null, meta: {} } as unknown as ConstructorParameters<typeof errors.ResponseError>[0]));
}
