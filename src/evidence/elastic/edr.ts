// EDR evidence from Elasticsearch, led by its subject: the indicators (registered domains and exact names as
// terms, hashes, file names) are the query, and each indicator a filters bucket; "has the dataset data in
// the window" is a request of its own that stops at the first event, sent in the same `_msearch`. No query
// needs `search.allow_expensive_queries` except where the data leaves no other way (a subdomain of a name
// without its registered domain, a "contains" on a command line): there, a cluster that refuses makes the
// answer incomplete, never "no".
import type { Client } from '@elastic/elasticsearch';
import { HASH_LENGTHS, hashSpellings } from '../../alerts/email-fields.js';
import { lacking, windowToProbe } from './domain-coverage.js';
import { DOMAIN_FIELDS } from '../domains.js';
import type { DomainContact, EdrEvidence, IndicatorHit, Searched, TimeWindow } from '../ports.js';
import { indexedLengthCaps } from './fields.js';
import { aggregate, dateOf, hasData, keys, terms, timeRange, type Bucket, type CappedTermsAgg, type Query, type TermsAgg, type ValueAgg } from './search.js';

export const MAX_HOSTS = 100;
const REFUSAL_MEMORY_MS = 60_000;

/** Wildcard syntax characters taken literally. */
export function escapeWildcard(s: string): string {
  return s.replace(/[\\*?]/g, (c) => `\\${c}`);
}

export const ci = (field: string, value: string): Query => ({ term: { [field]: { value, case_insensitive: true } } });
const wildcard = (field: string, value: string): Query => ({ wildcard: { [field]: { value, case_insensitive: true } } });

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
async function aggregateExpensive<A>(es: Client, index: string, query: Query, aggs: Record<string, unknown>): Promise<{ total: number; aggs: A } | undefined> {
  // Remembered per cluster so that a refusing cluster is not asked again on every investigation.
  if (refusesExpensive(es)) return undefined;
  try {
    return await aggregate<A>(es, index, query, aggs);
  } catch (err) {
    if (!isExpensiveQueryRefusal(err)) throw err;
    refusedAt.set(es, Date.now());
    return undefined;
  }
}

const REFUSED = 'the cluster refuses the wildcard query it needs (search.allow_expensive_queries is false)';

interface HostBucket extends Bucket {
  users: TermsAgg;
  emails: TermsAgg;
  first: ValueAgg;
  last: ValueAgg;
  examples?: TermsAgg;
}

const perHost = (examplesField?: string) => ({
  ...terms('host.name', MAX_HOSTS, { missing: '' }),
  aggs: {
    users: terms('user.name', 20),
    emails: terms('user.email', 20),
    first: { min: { field: '@timestamp' } },
    last: { max: { field: '@timestamp' } },
    ...(examplesField ? { examples: terms(examplesField, 3, { order: { _key: 'asc' } }) } : {}),
  },
});

function interaction(b: HostBucket) {
  const host = String(b.key);
  return {
    ...(host ? { host } : {}),
    users: [...new Set([...keys(b.users), ...keys(b.emails)])].sort(),
    first: dateOf(b.first) ?? new Date(0),
    last: dateOf(b.last) ?? new Date(0),
    count: b.doc_count,
  };
}

/** Hosts beyond the per-indicator cap: the verdict stands (something matched), the trace says it lists part. */
export function hostsCut(what: string, hosts: CappedTermsAgg<unknown> | undefined): string[] {
  const more = hosts?.sum_other_doc_count ?? 0;
  return more > 0 ? [`${what}: ${more} more event(s) on hosts beyond the first ${MAX_HOSTS} are not listed`] : [];
}

type FilterAgg<B = HostBucket> = Record<string, { doc_count: number; hosts: CappedTermsAgg<B> }>;

function hashQueries(hashes: string[], prefix: 'process.hash' | 'file.hash'): Array<[string, Query]> {
  return hashes.flatMap((h) => {
    const algo = HASH_LENGTHS[h.length];
    return algo ? [[h, { terms: { [`${prefix}.${algo}`]: hashSpellings(h) } }] as [string, Query]] : [];
  });
}

/** An exact indicator longer than a field indexes is kept in _source but never matches: say so. */
export function tooLong(field: string, cap: number | undefined, what: string, values: string[]): string[] {
  if (cap === undefined) return [];
  const longest = Math.max(0, ...values.map((v) => v.length));
  return longest > cap ? [`${field}: ${what} of ${longest} characters is longer than the ${cap} the field indexes, so it cannot be matched there`] : [];
}

/**
 * Events that carry a registered domain: one term per field. Case-insensitive: Elastic's `registered_domain`
 * processor writes it lower-cased, Beats' keeps the name's case (`Evil.co.uk`). One automaton per field on a
 * dictionary of registered domains, where names and their subdomains are searched only when events lack one.
 */
function registeredQuery(domain: string): Query {
  const d = domain.toLowerCase();
  return { bool: { should: DOMAIN_FIELDS.map((f) => ci(f.registered, d)), minimum_should_match: 1 } };
}

/**
 * Events whose name field carries no registered domain: the exact name (case-insensitive, a trailing root dot
 * too) and its subdomains (a leading wildcard, which only this case needs).
 */
function nameQueries(domain: string, subdomains: boolean): Query[] {
  const d = domain.toLowerCase();
  const sub = `*.${escapeWildcard(d)}`;
  return DOMAIN_FIELDS.map((f) => ({
    bool: {
      filter: [{ bool: { should: [ci(f.name, d), ci(f.name, `${d}.`), ...(subdomains ? [wildcard(f.name, sub), wildcard(f.name, `${sub}.`)] : [])], minimum_should_match: 1 } }],
      must_not: [{ exists: { field: f.registered } }],
    },
  }));
}

export class ElasticEdr implements EdrEvidence {
  constructor(
    private readonly es: Client,
    private readonly indices: { process: string; file: string; network: string },
  ) {}

  /**
   * One search whose query is the domains' registered-domain terms, beside "has data" and "does any event lack
   * a registered domain" (each stopping at the first event); only when some do, a second search adds, among
   * events without one, the names and their subdomains (or, on a cluster that refuses the wildcard, the names).
   */
  private async domainSearch<A>(domains: string[], window: TimeWindow, subAggs: Record<string, unknown>): Promise<{ data: boolean; buckets: Record<string, A>; incomplete: string[] }> {
    const index = this.indices.network;
    const exact = Object.fromEntries(domains.map((d) => [d, registeredQuery(d)]));
    const within = (filters: Record<string, Query>): Query => ({ bool: { filter: [timeRange(window), { bool: { should: Object.values(filters), minimum_should_match: 1 } }] } });
    // One bucket per domain; an alert of one domain (the usual) needs no filters aggregation, which would
    // evaluate its query again.
    const only = domains.length === 1 ? domains[0]! : undefined;
    const search = async (filters: Record<string, Query>, expensive = false): Promise<Record<string, A> | undefined> => {
      const aggs = only === undefined ? { d: { filters: { filters }, aggs: subAggs } } : subAggs;
      const res = await (expensive ? aggregateExpensive : aggregate)<{ d?: { buckets: Record<string, A> } }>(this.es, index, within(filters), aggs);
      if (!res) return undefined;
      // No matching event (or no index behind the pattern): no bucket, as the filters aggregation gives none.
      if (only === undefined) return res.aggs.d?.buckets ?? {};
      return res.total > 0 ? { [only]: { doc_count: res.total, ...res.aggs } as A } : {};
    };
    // The probes visit every network event of the window when none lacks one: only the tail since a fresh
    // background check that found none in the last 62 days is probed (domain-coverage.ts).
    const probe = windowToProbe(this.es, index, window);
    // One probe for the three name fields: which of them lack it matters only on the rare path below.
    const [data, first, someLack] = await Promise.all([
      hasData(this.es, index, timeRange(window)),
      search(exact),
      probe ? hasData(this.es, index, { bool: { filter: [timeRange(probe), { bool: { should: DOMAIN_FIELDS.map(lacking), minimum_should_match: 1 } }] } }) : false,
    ]);
    if (!someLack) return { data, buckets: first ?? {}, incomplete: [] };
    const withNames = (subdomains: boolean) => Object.fromEntries(domains.map((d) => [d, { bool: { should: [exact[d]!, ...nameQueries(d, subdomains)], minimum_should_match: 1 } }]));
    const full = withNames(true);
    const second = await search(full, true);
    if (second) return { data, buckets: second, incomplete: [] };
    // A refusing cluster: the exact names still count; the trace says how many events a subdomain search could not see.
    const names = withNames(false);
    const [byName, ...counts] = await Promise.all([
      search(names),
      ...DOMAIN_FIELDS.map((f) => aggregate(this.es, index, { bool: { filter: [timeRange(window), lacking(f)] } }, {})),
    ]);
    const incomplete = DOMAIN_FIELDS.flatMap((f, i) => (counts[i]!.total > 0 ? [`${f.name}: ${counts[i]!.total} event(s) carry no ${f.registered}, and a subdomain search on them is refused: ${REFUSED}`] : []));
    return { data, buckets: byName ?? {}, incomplete };
  }

  async domainContacts(domains: string[], window: TimeWindow): Promise<Searched<DomainContact[]>> {
    if (domains.length === 0) return { hasData: await hasData(this.es, this.indices.network, timeRange(window)), found: [] };
    type ContactBucket = HostBucket & { dns: TermsAgg; dest: TermsAgg; url: TermsAgg };
    const hosts = { ...perHost(), aggs: { ...perHost().aggs, dns: terms('dns.question.name', 5), dest: terms('destination.domain', 5), url: terms('url.domain', 5) } };
    const { data, buckets, incomplete } = await this.domainSearch<{ doc_count: number; hosts: CappedTermsAgg<ContactBucket> }>(domains, window, { hosts });
    const found: DomainContact[] = [];
    for (const [domain, bucket] of Object.entries(buckets)) {
      for (const h of bucket.hosts.buckets) found.push({ domain, names: [...new Set([...keys(h.dns), ...keys(h.dest), ...keys(h.url)])].sort(), ...interaction(h) });
    }
    const notes = [...incomplete, ...Object.entries(buckets).flatMap(([d, b]) => hostsCut(d, b.hosts))];
    return { hasData: data, found, ...(notes.length ? { incomplete: notes } : {}) };
  }

  async domainUsers(domains: string[], window: TimeWindow): Promise<Searched<Record<string, number>>> {
    if (domains.length === 0) return { hasData: await hasData(this.es, this.indices.network, timeRange(window)), found: {} };
    // Exact below the precision threshold, which is far above any "rare" threshold.
    const { data, buckets, incomplete } = await this.domainSearch<{ users: ValueAgg }>(domains, window, { users: { cardinality: { field: 'user.name', precision_threshold: 3000 } } });
    const found = Object.fromEntries(domains.map((d) => [d, buckets[d]?.users.value ?? 0]));
    return { hasData: data, found, ...(incomplete.length ? { incomplete } : {}) };
  }

  async processHits(fileNames: string[], hashes: string[], window: TimeWindow): Promise<Searched<IndicatorHit[]>> {
    const caps = await indexedLengthCaps(this.es, this.indices.process, ['process.command_line', 'process.name']);
    const exact: Record<string, Query> = {};
    const contains: Record<string, Query> = {};
    for (const name of fileNames) {
      contains[`command_line\u0000${name}`] = wildcard('process.command_line', `*${escapeWildcard(name)}*`);
      exact[`process_name\u0000${name}`] = ci('process.name', name);
    }
    for (const [h, q] of hashQueries(hashes, 'process.hash')) exact[`hash\u0000${h}`] = q;
    const starts: Query = { bool: { should: [{ term: { 'event.type': 'start' } }, { bool: { must_not: { exists: { field: 'event.type' } } } }], minimum_should_match: 1 } };
    const res = await this.indicatorSearch(this.indices.process, window, starts, exact, contains, 'process.command_line');
    const cmdCap = caps['process.command_line'];
    const incomplete = [
      ...res.incomplete,
      ...tooLong('process.name', caps['process.name'], 'a file name', fileNames),
      ...tooLong('process.command_line', cmdCap, 'a file name', fileNames),
      ...(fileNames.length > 0 && res.capped > 0 && cmdCap !== undefined
        ? [`process.command_line: ${res.capped} process start(s) have a command line longer than the ${cmdCap} characters the field indexes: a "contains" search cannot see them`]
        : []),
    ];
    return { hasData: res.hasData, found: res.found, ...(incomplete.length ? { incomplete } : {}) };
  }

  async fileHits(fileNames: string[], hashes: string[], window: TimeWindow): Promise<Searched<IndicatorHit[]>> {
    const caps = await indexedLengthCaps(this.es, this.indices.file, ['file.name']);
    const exact: Record<string, Query> = {};
    for (const name of fileNames) exact[`file_name\u0000${name}`] = ci('file.name', name);
    for (const [h, q] of hashQueries(hashes, 'file.hash')) exact[`hash\u0000${h}`] = q;
    const creations: Query = { bool: { should: [{ term: { 'event.type': 'creation' } }, { term: { 'event.action': 'creation' } }], minimum_should_match: 1 } };
    const res = await this.indicatorSearch(this.indices.file, window, creations, exact, {}, 'file.path');
    const incomplete = [...res.incomplete, ...tooLong('file.name', caps['file.name'], 'a file name', fileNames)];
    return { hasData: res.hasData, found: res.found, ...(incomplete.length ? { incomplete } : {}) };
  }

  /**
   * "Has data" is the whole dataset in the window; matches are among the events of the kind asked (`kind`).
   * `contains` filters need wildcard queries: on a cluster that refuses them the search runs without them and
   * says so. `capped` counts events of the kind whose examples field was too long to be indexed.
   */
  private async indicatorSearch(
    index: string,
    window: TimeWindow,
    kind: Query,
    exact: Record<string, Query>,
    contains: Record<string, Query>,
    examplesField: string,
  ): Promise<{ hasData: boolean; found: IndicatorHit[]; incomplete: string[]; capped: number }> {
    type Result = { m?: { buckets: FilterAgg } };
    const ofKind = (filters: Record<string, Query>): Query => ({ bool: { filter: [timeRange(window), kind, { bool: { should: Object.values(filters), minimum_should_match: 1 } }] } });
    const aggs = (filters: Record<string, Query>) => ({ m: { filters: { filters }, aggs: { hosts: perHost(examplesField) } } });
    // Counted first, aggregated only when something matched (rarely: an attachment that ran): the filters
    // aggregation evaluates each indicator's query again, and a command line "contains" walks every command
    // line the index holds (the e-mail flow's largest cost at 10 M events).
    const search = async (filters: Record<string, Query>, expensive: boolean): Promise<{ total: number; aggs: Result } | undefined> => {
      if (Object.keys(filters).length === 0) return { total: 0, aggs: {} };
      const run = (a: Record<string, unknown>) => (expensive ? aggregateExpensive<Result>(this.es, index, ofKind(filters), a) : aggregate<Result>(this.es, index, ofKind(filters), a));
      const counted = await run({});
      return counted && counted.total > 0 ? run(aggs(filters)) : counted;
    };
    const incomplete: string[] = [];
    const hasContains = Object.keys(contains).length > 0;
    const [data, capped, withContains] = await Promise.all([
      hasData(this.es, index, timeRange(window)),
      // Values beyond ignore_above are listed in _ignored (under the field, or its .keyword sub-field): few events.
      aggregate(this.es, index, { bool: { filter: [timeRange(window), kind, { terms: { _ignored: [examplesField, `${examplesField}.keyword`] } }] } }, {}),
      hasContains ? search({ ...exact, ...contains }, true) : search(exact, false),
    ]);
    let result = withContains;
    if (!result) {
      if (hasContains) incomplete.push(`${examplesField}: a "contains" search is refused: ${REFUSED}`);
      result = (await search(exact, false)) ?? { total: 0, aggs: {} };
    }
    const found: IndicatorHit[] = [];
    for (const [key, bucket] of Object.entries(result.aggs.m?.buckets ?? {})) {
      const [matchedBy, indicator] = key.split('\u0000') as [IndicatorHit['matchedBy'], string];
      for (const h of bucket.hosts.buckets) found.push({ indicator, matchedBy, examples: keys(h.examples), ...interaction(h) });
      incomplete.push(...hostsCut(indicator, bucket.hosts));
    }
    return { hasData: data, found, incomplete, capped: capped.total };
  }
}
