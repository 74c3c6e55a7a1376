// Merges the answers of one search run on several groups of indices (a pattern whose indices map a field
// differently): aggregation results are combined by the kind of aggregation the request asked for.
type Json = Record<string, unknown>;

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The request's kind of aggregation (terms, filters, min …) and its sub-aggregations. */
function kindOf(def: unknown): { kind: string; spec: Json; sub: Json } {
  const d = isJson(def) ? def : {};
  const kind = Object.keys(d).find((k) => k !== 'aggs' && k !== 'aggregations' && k !== 'meta') ?? '';
  const sub = (d['aggs'] ?? d['aggregations'] ?? {}) as Json;
  return { kind, spec: isJson(d[kind]) ? (d[kind] as Json) : {}, sub };
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** Two results of the same aggregations (by name, as the request `defs` declares them), merged. */
export function mergeAggregations(defs: Json, a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [name, value] of Object.entries(b)) {
    out[name] = name in a ? mergeOne(defs[name], a[name], value) : value;
  }
  return out;
}

function mergeBucket(sub: Json, x: Json, y: Json): Json {
  const subNames = Object.keys(sub);
  const pick = (o: Json) => Object.fromEntries(subNames.filter((n) => n in o).map((n) => [n, o[n]]));
  return { ...x, doc_count: num(x['doc_count']) + num(y['doc_count']), ...mergeAggregations(sub, pick(x), pick(y)) };
}

function bucketKey(b: Json): string {
  return typeof b['key'] === 'object' ? JSON.stringify(b['key']) : String(b['key_as_string'] ?? b['key']);
}

function mergeBucketList(sub: Json, xs: Json[], ys: Json[]): Json[] {
  const byKey = new Map<string, Json>();
  for (const b of [...xs, ...ys]) {
    const k = bucketKey(b);
    const seen = byKey.get(k);
    byKey.set(k, seen ? mergeBucket(sub, seen, b) : b);
  }
  return [...byKey.values()];
}

function mergeOne(def: unknown, x: unknown, y: unknown): unknown {
  if (!isJson(x) || !isJson(y)) return x ?? y;
  const { kind, spec, sub } = kindOf(def);
  switch (kind) {
    case 'terms': {
      const merged = mergeBucketList(sub, (x['buckets'] ?? []) as Json[], (y['buckets'] ?? []) as Json[]);
      const order = isJson(spec['order']) ? (spec['order'] as Json) : {};
      const byKey = order['_key'] !== undefined;
      const dir = (byKey ? order['_key'] : (order['_count'] ?? 'desc')) === 'asc' ? 1 : -1;
      merged.sort((p, q) => {
        const kp = bucketKey(p);
        const kq = bucketKey(q);
        const byName = kp < kq ? -1 : kp > kq ? 1 : 0;
        return byKey ? dir * byName : dir * (num(p['doc_count']) - num(q['doc_count'])) || byName;
      });
      const size = typeof spec['size'] === 'number' ? spec['size'] : 10;
      const kept = merged.slice(0, size);
      const dropped = merged.slice(size).reduce((n, b) => n + num(b['doc_count']), 0);
      return {
        ...x,
        doc_count_error_upper_bound: num(x['doc_count_error_upper_bound']) + num(y['doc_count_error_upper_bound']),
        sum_other_doc_count: num(x['sum_other_doc_count']) + num(y['sum_other_doc_count']) + dropped,
        buckets: kept,
      };
    }
    case 'composite':
      return { ...x, buckets: mergeBucketList(sub, (x['buckets'] ?? []) as Json[], (y['buckets'] ?? []) as Json[]) };
    case 'filters': {
      const xb = x['buckets'];
      const yb = y['buckets'];
      if (Array.isArray(xb) && Array.isArray(yb)) return { ...x, buckets: xb.map((b, i) => mergeBucket(sub, b as Json, (yb[i] ?? {}) as Json)) };
      if (!isJson(xb) || !isJson(yb)) return x;
      const keys = new Set([...Object.keys(xb), ...Object.keys(yb)]);
      return { ...x, buckets: Object.fromEntries([...keys].map((k) => [k, isJson(xb[k]) && isJson(yb[k]) ? mergeBucket(sub, xb[k] as Json, yb[k] as Json) : (xb[k] ?? yb[k])])) };
    }
    case 'filter':
    case 'missing':
    case 'global':
    case 'nested':
      return mergeBucket(sub, x, y);
    case 'min':
    case 'max': {
      const vx = x['value'];
      const vy = y['value'];
      if (typeof vx !== 'number') return y;
      if (typeof vy !== 'number') return x;
      return (kind === 'min' ? vy < vx : vy > vx) ? y : x;
    }
    // Distinct values seen in two groups may be the same: a sum can only over-count (never hides one).
    case 'cardinality':
    case 'value_count':
    case 'sum':
      return { ...x, value: num(x['value']) + num(y['value']) };
    default:
      return x;
  }
}

/** Orders hits by their sort values, as the search sorted them (null last). */
export function compareSortValues(a: unknown[], b: unknown[], orders: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
    if (c !== 0) return c * (orders[i] ?? 1);
  }
  return 0;
}
