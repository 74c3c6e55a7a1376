// The search profile API's view of an investigation: a client whose HTTP connection adds "profile": true
// to every search the flows send and keeps each response's timing tree. The flows' code is untouched.
import { Client, UndiciConnection, type ConnectionRequestParams } from '@elastic/elasticsearch';

export interface ProfiledSearch {
  path: string;
  request: Record<string, unknown>;
  tookMs: number;
  hits: number;
  profile: ProfileTree;
}

interface ProfileNode {
  type: string;
  description: string;
  time_in_nanos: number;
  breakdown?: Record<string, number>;
  children?: ProfileNode[];
}

interface ProfileShard {
  id: string;
  searches: Array<{ query: ProfileNode[]; rewrite_time: number; collector: Array<{ name: string; reason: string; time_in_nanos: number; children?: unknown[] }> }>;
  aggregations: ProfileNode[];
}

export interface ProfileTree {
  shards: ProfileShard[];
}

type SearchAnswer = { took: number; hits?: { total?: number | { value: number } }; profile?: ProfileTree; error?: unknown };

const hitsOf = (a: SearchAnswer) => {
  const total = a.hits?.total;
  return typeof total === 'number' ? total : (total?.value ?? 0);
};

/** An `_msearch` body (header and body lines) with "profile": true added to every body line. */
export function profiledMsearchBody(ndjson: string): { body: string; items: Array<{ index: string; request: Record<string, unknown> }> } {
  const lines = ndjson.split('\n').filter((l) => l.trim() !== '');
  const out: string[] = [];
  const items: Array<{ index: string; request: Record<string, unknown> }> = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const header = JSON.parse(lines[i]!) as { index?: string | string[] };
    const request = JSON.parse(lines[i + 1]!) as Record<string, unknown>;
    items.push({ index: Array.isArray(header.index) ? header.index.join(',') : String(header.index ?? ''), request });
    out.push(lines[i]!, JSON.stringify({ ...request, profile: true }));
  }
  return { body: `${out.join('\n')}\n`, items };
}

/** A client like createElasticClient's, whose searches (alone or in an `_msearch`) are profiled into `sink`. */
export function profilingClient(node: string, sink: ProfiledSearch[]): Client {
  class ProfilingConnection extends UndiciConnection {
    override async request(params: ConnectionRequestParams, options: Parameters<UndiciConnection['request']>[1]): Promise<never> {
      const isSearch = /\/_search$/.test(params.path) && typeof params.body === 'string';
      const isMsearch = /\/_msearch$/.test(params.path) && typeof params.body === 'string';
      let request: Record<string, unknown> = {};
      let items: Array<{ index: string; request: Record<string, unknown> }> = [];
      let body: string | undefined;
      if (isSearch) {
        request = JSON.parse(params.body as string) as Record<string, unknown>;
        body = JSON.stringify({ ...request, profile: true });
      } else if (isMsearch) {
        ({ body, items } = profiledMsearchBody(params.body as string));
      }
      if (body !== undefined) params = { ...params, body, headers: { ...params.headers, 'content-length': String(Buffer.byteLength(body)) } };
      const res = (await super.request(params, options)) as { body: string | Buffer; statusCode: number };
      if (res.statusCode !== 200) return res as never;
      if (isSearch) {
        const a = JSON.parse(res.body.toString()) as SearchAnswer;
        sink.push({ path: params.path, request, tookMs: a.took, hits: hitsOf(a), profile: a.profile ?? { shards: [] } });
      } else if (isMsearch) {
        const answers = (JSON.parse(res.body.toString()) as { responses?: SearchAnswer[] }).responses ?? [];
        answers.forEach((a, i) => {
          const item = items[i];
          if (item && a.error === undefined) sink.push({ path: `/${encodeURIComponent(item.index)}/_search (in _msearch)`, request: item.request, tookMs: a.took, hits: hitsOf(a), profile: a.profile ?? { shards: [] } });
        });
      }
      return res as never;
    }
  }
  return new Client({ node, Connection: ProfilingConnection, requestTimeout: 60_000, maxRetries: 0 });
}

const ms = (nanos: number) => Math.round(nanos / 1e4) / 100;
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

function nodeLine(n: ProfileNode, depth: number, out: string[], maxDepth: number): void {
  out.push(`${'  '.repeat(depth)}${n.type} ${ms(n.time_in_nanos)} ms — ${cut(n.description, 140)}`);
  if (depth + 1 >= maxDepth) return;
  const children = [...(n.children ?? [])].sort((a, b) => b.time_in_nanos - a.time_in_nanos).slice(0, 4);
  for (const c of children) nodeLine(c, depth + 1, out, maxDepth);
}

/** The readable part of one search's profile: its costliest shard's query tree, collectors and aggregations. */
export function summariseProfile(s: ProfiledSearch): string[] {
  const cost = (sh: ProfileShard) =>
    sh.searches.reduce((t, q) => t + q.query.reduce((u, n) => u + n.time_in_nanos, 0) + q.rewrite_time, 0) + sh.aggregations.reduce((t, a) => t + a.time_in_nanos, 0);
  const shard = [...s.profile.shards].sort((a, b) => cost(b) - cost(a))[0];
  const out = [`took ${s.tookMs} ms, ${s.hits} hits, ${s.profile.shards.length} shard(s), ${s.path}`];
  if (!shard) return out;
  for (const search of shard.searches) {
    out.push(`query (rewrite ${ms(search.rewrite_time)} ms):`);
    // The costliest top-level queries (one per segment slice on some versions): four say enough.
    const queries = [...search.query].sort((a, b) => b.time_in_nanos - a.time_in_nanos);
    for (const q of queries.slice(0, 4)) nodeLine(q, 1, out, 3);
    if (queries.length > 4) out.push(`  … ${queries.length - 4} more, ${ms(queries.slice(4).reduce((t, q) => t + q.time_in_nanos, 0))} ms in all`);
    for (const c of search.collector) out.push(`  collector ${c.name} (${c.reason}) ${ms(c.time_in_nanos)} ms`);
  }
  if (shard.aggregations.length) {
    out.push('aggregations:');
    for (const a of shard.aggregations) nodeLine(a, 1, out, 3);
  }
  return out;
}
