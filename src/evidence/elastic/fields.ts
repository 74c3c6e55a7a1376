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
