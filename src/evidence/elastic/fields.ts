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

/**
 * How to search one part of an index pattern: the field names to use there. `indices` is absent when the
 * whole pattern maps the fields alike (one search); otherwise each part lists its concrete indices.
 */
export interface SearchTarget {
  indices?: string[];
  map: (field: string) => string;
}

interface FieldCapsType {
  type: string;
  aggregatable: boolean;
  indices?: string[];
  non_aggregatable_indices?: string[];
}

/** Metadata fields and the timestamp are the same everywhere. */
const resolvable = (f: string) => !f.startsWith('_') && f !== '@timestamp';

type FieldCaps = Awaited<ReturnType<Client['fieldCaps']>>;

/**
 * What one index pattern's lookup covered: every field (`all`, loaded at start) or those asked so far. Kept
 * while a background refresh keeps it fresh (no lookup on an investigation's path); without one, for TTL_MS.
 */
interface Known<T> {
  fields: Set<string> | 'all';
  value: T;
  at: number;
}

/**
 * Per index pattern, a mapping lookup's answer, asked once and then refreshed in the background (see
 * `keepFieldsFresh`); a field not covered yet is asked for on demand, with the fields already known.
 */
class PatternCache<T> {
  private readonly entries = new Map<string, Known<T>>();
  /** One lookup at a time per pattern: concurrent askers wait for it, then ask only for what it missed. */
  private readonly loading = new Map<string, Promise<unknown>>();
  background = false;

  constructor(private readonly load: (index: string, fields: string[] | 'all') => Promise<T>) {}

  async get(index: string, wanted: string[]): Promise<T> {
    for (;;) {
      const known = this.entries.get(index);
      const covered = known !== undefined && (known.fields === 'all' || wanted.every((f) => (known.fields as Set<string>).has(f)));
      // A background refresh under way never holds an investigation: the answer it replaces is still good.
      if (known && covered && (this.background || Date.now() - known.at < TTL_MS)) return known.value;
      const pending = this.loading.get(index);
      if (pending) {
        await pending.catch(() => undefined);
        continue;
      }
      const fields = known?.fields === 'all' ? 'all' : [...new Set([...(known ? [...(known.fields as Set<string>)] : []), ...wanted])].sort();
      return this.fill(index, fields);
    }
  }

  async fill(index: string, fields: string[] | 'all'): Promise<T> {
    const loading = this.load(index, fields).then((value) => {
      this.entries.set(index, { fields: fields === 'all' ? 'all' : new Set(fields), value, at: Date.now() });
      return value;
    });
    this.loading.set(index, loading);
    try {
      return await loading;
    } finally {
      if (this.loading.get(index) === loading) this.loading.delete(index);
    }
  }

  /** Asks again for everything known; a failed refresh keeps the previous answer (and is retried next time). */
  async refresh(): Promise<void> {
    await Promise.all([...this.entries].map(([index, k]) => this.fill(index, k.fields === 'all' ? 'all' : [...k.fields]).catch(() => undefined)));
  }
}

/**
 * Per index, the form of each field that matches exactly and aggregates: the field itself (keyword, ip,
 * long …), else its `.keyword` sub-field (dynamically mapped text), else the field as named. One index
 * pattern may hold both forms (an integration's `ip` beside a dynamically mapped `text`): its indices are
 * then grouped by the forms they need, and each group is searched with its own.
 */
export class FieldResolver {
  readonly caps: PatternCache<FieldCaps>;
  private readonly plans = new WeakMap<FieldCaps, Map<string, SearchTarget[]>>();

  constructor(es: Client) {
    this.caps = new PatternCache((index, fields) =>
      es.fieldCaps({ index, fields: fields === 'all' ? '*' : fields.flatMap((f) => [f, `${f}.keyword`]), include_unmapped: true, ignore_unavailable: true, allow_no_indices: true }),
    );
  }

  async plan(index: string, fields: string[]): Promise<SearchTarget[]> {
    const wanted = [...new Set(fields.filter(resolvable))].sort();
    if (wanted.length === 0) return [{ map: (f) => f }];
    const caps = await this.caps.get(index, wanted);
    let memo = this.plans.get(caps);
    if (!memo) this.plans.set(caps, (memo = new Map()));
    const key = wanted.join(',');
    const planned = memo.get(key) ?? targetsOf(caps, wanted);
    memo.set(key, planned);
    return planned;
  }
}

function targetsOf(caps: FieldCaps, wanted: string[]): SearchTarget[] {
  const all = (caps.indices ?? []) as string[];
  const typeIn = (field: string, idx: string): FieldCapsType | undefined =>
    Object.values((caps.fields[field] ?? {}) as Record<string, FieldCapsType>).find((t) => t.type !== 'unmapped' && (t.indices ?? all).includes(idx));
  const aggregatableIn = (t: FieldCapsType | undefined, idx: string) => t !== undefined && t.aggregatable && !(t.non_aggregatable_indices ?? []).includes(idx);
  const groups = new Map<string, { indices: string[]; choice: string[] }>();
  for (const idx of all) {
    const choice = wanted.map((f) => (aggregatableIn(typeIn(f, idx), idx) ? f : aggregatableIn(typeIn(`${f}.keyword`, idx), idx) ? `${f}.keyword` : f));
    const id = choice.join(',');
    const group = groups.get(id) ?? { indices: [], choice };
    group.indices.push(idx);
    groups.set(id, group);
  }
  const mapOf = (choice: string[]) => {
    const m = new Map(wanted.map((f, i) => [f, choice[i]!]));
    return (f: string) => m.get(f) ?? f;
  };
  const list = [...groups.values()];
  return list.length <= 1 ? [{ map: mapOf(list[0]?.choice ?? wanted) }] : list.map((g) => ({ indices: g.indices, map: mapOf(g.choice) }));
}

const resolvers = new WeakMap<Client, FieldResolver>();

function resolverOf(es: Client): FieldResolver {
  let resolver = resolvers.get(es);
  if (!resolver) {
    resolver = new FieldResolver(es);
    resolvers.set(es, resolver);
  }
  return resolver;
}

/** A query restricted to some concrete indices of a pattern. */
export function onlyIn(indices: string[] | undefined, query: unknown): Json {
  const q = (query ?? { match_all: {} }) as Json;
  return indices ? { bool: { filter: [{ terms: { _index: indices } }, q] } } : q;
}

/** Index names per request: a search's URL stays well below Elasticsearch's 4 KB initial-line limit. */
const MAX_INDEX_LIST_CHARS = 2500;

function chunks(indices: string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const idx of indices) {
    if (current && current.length + idx.length + 1 > MAX_INDEX_LIST_CHARS) {
      out.push(current);
      current = '';
    }
    current = current ? `${current},${idx}` : idx;
  }
  if (current) out.push(current);
  return out;
}

/**
 * The searches that together cover the pattern: the pattern itself when its indices map the body's fields
 * alike; otherwise one per group of indices that do (named explicitly, so no shard of another group ever
 * builds an aggregation on a field it maps as text), with the fields that group needs.
 */
export async function planSearch<T extends Json>(es: Client, index: string, body: T): Promise<Array<{ index: string; body: T }>> {
  const targets = await resolverOf(es).plan(index, fieldsIn(body));
  return targets.flatMap((t) => {
    const mapped = mapFields(body, t.map) as T;
    return t.indices ? chunks(t.indices).map((names) => ({ index: names, body: mapped })) : [{ index, body: mapped }];
  });
}

/**
 * A query-only search body with its fields resolved for every index it runs on: where the pattern maps a
 * field differently in different indices, one clause per group of indices, each restricted to its own.
 */
export async function resolveFields<T extends Json>(es: Client, index: string, body: T): Promise<T> {
  const targets = await resolverOf(es).plan(index, fieldsIn(body));
  if (targets.length === 1) return mapFields(body, targets[0]!.map) as T;
  return { ...body, query: { bool: { should: targets.map((t) => onlyIn(t.indices, (mapFields(body, t.map) as Json)['query'])), minimum_should_match: 1 } } } as T;
}

interface LeafMapping {
  type?: string;
  ignore_above?: number;
  fields?: Record<string, LeafMapping>;
}

type FieldMappings = Record<string, { mappings?: Record<string, { mapping: Record<string, LeafMapping> }> }>;

const mappingCaches = new WeakMap<Client, PatternCache<FieldMappings>>();

function mappingsOf(es: Client): PatternCache<FieldMappings> {
  let cache = mappingCaches.get(es);
  if (!cache) {
    // A pattern that matches no index yet answers 404 with an empty body: no index, no cap.
    cache = new PatternCache(
      async (index, fields) =>
        (await es.indices.getFieldMapping({ index, fields: fields === 'all' ? '*' : fields, ignore_unavailable: true, allow_no_indices: true }, { ignore: [404] })) as FieldMappings,
    );
    mappingCaches.set(es, cache);
  }
  return cache;
}

/**
 * The longest value each field indexes across every index of the pattern (keyword `ignore_above`, or the
 * `.keyword` sub-field's for dynamically mapped text: 256). A longer value is kept in _source but never
 * matches; undefined when no index caps the field.
 */
export async function indexedLengthCaps(es: Client, index: string, fields: string[]): Promise<Record<string, number | undefined>> {
  const res = await mappingsOf(es).get(index, fields);
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
  return caps;
}

/**
 * Resolves every field of the patterns now and keeps them fresh in the background, so that no investigation
 * waits for a mapping lookup (a new field or pattern is still asked for on demand). Call it at start, outside
 * any investigation; the timer does not hold the process open. Returns a stop function.
 */
export function keepFieldsFresh(es: Client, patterns: string[], everyMs: number, onError?: (err: unknown) => void): { ready: Promise<void>; stop: () => void } {
  const caches = [resolverOf(es).caps, mappingsOf(es)] as const;
  for (const c of caches) c.background = true;
  const unique = [...new Set(patterns.filter((p) => p.trim() !== ''))];
  const ready = Promise.all(unique.flatMap((p) => caches.map((c) => (c as PatternCache<unknown>).fill(p, 'all')))).then(
    () => undefined,
    (err: unknown) => onError?.(err),
  );
  const timer = setInterval(() => void Promise.all(caches.map((c) => c.refresh())), everyMs);
  timer.unref();
  return {
    ready,
    stop: () => {
      clearInterval(timer);
      for (const c of caches) c.background = false;
    },
  };
}
