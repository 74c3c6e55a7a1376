// Data the product did not index itself may map ids and names as text with a .keyword sub-field
// (Elasticsearch's dynamic mapping). Queries name the ECS fields; before a search runs, each field
// is resolved to the one that can be matched exactly and aggregated on that cluster.
import type { Client } from '@elastic/elasticsearch';

type Json = Record<string, unknown>;

const FIELD_VALUED = new Set(['exists', 'cardinality', 'min', 'max', 'value_count', 'avg', 'sum', 'missing']);
const FIELD_KEYED = new Set(['term', 'wildcard', 'prefix', 'match', 'match_phrase', 'range']);
const TTL_MS = 60_000;

function isJson(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Applies `map` to every field name a query, aggregation or sort names. */
export function mapFields(node: unknown, map: (field: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => mapFields(n, map));
  if (!isJson(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (FIELD_KEYED.has(key) && isJson(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([f, v]) => [f === 'boost' ? f : map(f), v]));
    } else if (key === 'terms' && isJson(value)) {
      // Aggregation ({field, size}) or query ({<field>: [values]}).
      out[key] =
        typeof value['field'] === 'string'
          ? { ...(mapFields(value, map) as Json), field: map(value['field']) }
          : Object.fromEntries(Object.entries(value).map(([f, v]) => [f === 'boost' ? f : map(f), v]));
    } else if (FIELD_VALUED.has(key) && isJson(value) && typeof value['field'] === 'string') {
      out[key] = { ...value, field: map(value['field']) };
    } else if (key === 'sort' && Array.isArray(value)) {
      out[key] = value.map((s) => (isJson(s) ? Object.fromEntries(Object.entries(s).map(([f, v]) => [map(f), v])) : s));
    } else out[key] = mapFields(value, map);
  }
  return out;
}

export function fieldsIn(node: unknown): string[] {
  const found = new Set<string>();
  mapFields(node, (f) => {
    found.add(f);
    return f;
  });
  return [...found];
}

export class FieldResolver {
  private readonly cache = new Map<string, { at: number; map: Map<string, string> }>();

  constructor(private readonly es: Client) {}

  async resolve(index: string, fields: string[]): Promise<(field: string) => string> {
    const wanted = fields.filter((f) => f !== '@timestamp' && f !== '_id');
    const key = `${index}\u0000${[...wanted].sort().join(',')}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < TTL_MS) return (f) => cached.map.get(f) ?? f;
    const map = new Map<string, string>();
    if (wanted.length > 0) {
      const caps = await this.es.fieldCaps({ index, fields: wanted.flatMap((f) => [f, `${f}.keyword`]), ignore_unavailable: true, allow_no_indices: true });
      for (const f of wanted) {
        const own = caps.fields[f];
        const exact = own && Object.values(own).every((c) => c.aggregatable);
        if (!exact && caps.fields[`${f}.keyword`]) map.set(f, `${f}.keyword`);
      }
    }
    this.cache.set(key, { at: Date.now(), map });
    return (f) => map.get(f) ?? f;
  }
}

const resolvers = new WeakMap<Client, FieldResolver>();

/** A search body with its fields resolved for the indices it runs on. */
export async function resolveFields<T extends Json>(es: Client, index: string, body: T): Promise<T> {
  let resolver = resolvers.get(es);
  if (!resolver) {
    resolver = new FieldResolver(es);
    resolvers.set(es, resolver);
  }
  const map = await resolver.resolve(index, fieldsIn(body));
  return mapFields(body, map) as T;
}

interface LeafMapping {
  type?: string;
  ignore_above?: number;
  fields?: Record<string, LeafMapping>;
}

const capCache = new WeakMap<Client, Map<string, { at: number; caps: Record<string, number | undefined> }>>();

/**
 * The longest value each field indexes across every index of the pattern (keyword `ignore_above`, or the
 * `.keyword` sub-field's for dynamically mapped text: 256). A longer value is kept in _source but never
 * matches; undefined when no index caps the field.
 */
export async function indexedLengthCaps(es: Client, index: string, fields: string[]): Promise<Record<string, number | undefined>> {
  let cache = capCache.get(es);
  if (!cache) {
    cache = new Map();
    capCache.set(es, cache);
  }
  const key = `${index}\u0000${[...fields].sort().join(',')}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.caps;
  // A pattern that matches no index yet answers 404 with an empty body: no index, no cap.
  const res = (await es.indices.getFieldMapping({ index, fields, ignore_unavailable: true, allow_no_indices: true }, { ignore: [404] })) as Record<string, { mappings?: Record<string, { mapping: Record<string, LeafMapping> }> }>;
  const caps: Record<string, number | undefined> = {};
  for (const f of fields) {
    let cap: number | undefined;
    for (const idx of Object.values(res)) {
      const leaf = Object.values(idx.mappings?.[f]?.mapping ?? {})[0];
      const own = leaf?.type === 'keyword' ? leaf.ignore_above : leaf?.fields?.['keyword']?.ignore_above;
      if (own !== undefined) cap = cap === undefined ? own : Math.min(cap, own);
    }
    caps[f] = cap;
  }
  cache.set(key, { at: Date.now(), caps });
  return caps;
}
