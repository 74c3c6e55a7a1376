// Proxy evidence from Elasticsearch, led by its subject: the URL spellings are the query (term queries, one
// per spelling and field), so Elasticsearch visits the few records of the URL, not every record of the
// window; "has the proxy any data in the window" is a request of its own that stops at the first record,
// sent in the same `_msearch`. Records the proxy blocked are kept apart (flows.md v4 M2: never a click).
import type { Client } from '@elastic/elasticsearch';
import { PROXY_DEVICE_FIELDS, PROXY_PERSON_FIELDS, BLOCKED_ACTION } from '../devices.js';
import type { Interaction, ProxyEvidence, Searched, TimeWindow, UrlHit } from '../ports.js';
import { indexedLengthCaps } from './fields.js';
import { ci, hostsCut, MAX_HOSTS, tooLong } from './edr.js';
import { aggregate, dateOf, hasData, keys, terms, timeRange, type Bucket, type CappedTermsAgg, type Query, type TermsAgg, type ValueAgg } from './search.js';

/** Distinct logged URLs per field read for one alert (its spellings together). */
const MAX_URLS = 500;
const MAX_PEOPLE = 20;
const MAX_OTHER_NAMES = 5;
const URL_FIELDS = ['url.full', 'url.original'] as const;

/** Zscaler's `Blocked` as Elastic's pipeline writes it (event.action, lower case), or its own field. */
const blocked: Query = {
  bool: {
    should: [{ term: { 'event.action': { value: BLOCKED_ACTION, case_insensitive: true } } }, { term: { 'zscaler_zia.web.action': { value: BLOCKED_ACTION, case_insensitive: true } } }],
    minimum_should_match: 1,
  },
};

const spellingQuery = (s: string): Query => ({ bool: { should: URL_FIELDS.map((f) => ci(f, s)), minimum_should_match: 1 } });

/**
 * One person per record: the first of PROXY_PERSON_FIELDS the record carries; the later fields' values are
 * the same person's other spellings (aggregated beside it, never counted as people).
 */
function perPerson(): Record<string, unknown> {
  return Object.fromEntries(
    PROXY_PERSON_FIELDS.map((field, i) => {
      const before = PROXY_PERSON_FIELDS.slice(0, i).map((f) => ({ exists: { field: f } }));
      const later = PROXY_PERSON_FIELDS.slice(i + 1);
      const filter = { bool: { filter: [{ exists: { field } }], must_not: before } };
      const aliases = Object.fromEntries(later.map((f, j) => [`a${j}`, terms(f, MAX_OTHER_NAMES)]));
      return [`p${i}`, { filter, aggs: { who: { ...terms(field, MAX_PEOPLE), aggs: aliases } } }];
    }),
  );
}

/** One aggregation per device field, each over the records that lack the fields before it. */
function perDevice(): Record<string, unknown> {
  const sub = { ...perPerson(), first: { min: { field: '@timestamp' } }, last: { max: { field: '@timestamp' } } };
  return Object.fromEntries(
    PROXY_DEVICE_FIELDS.map((field, i) => {
      const last = i === PROXY_DEVICE_FIELDS.length - 1;
      const before = PROXY_DEVICE_FIELDS.slice(0, i).map((f) => ({ exists: { field: f } }));
      const filter = { bool: { ...(last ? {} : { filter: [{ exists: { field } }] }), must_not: before } };
      return [`d${i}`, { filter, aggs: { hosts: { ...terms(field, MAX_HOSTS, last ? { missing: '' } : {}), aggs: sub } } }];
    }),
  );
}

type PersonAgg = { who: TermsAgg<Bucket & Record<string, TermsAgg>> };
type HostBucket = Bucket & { first: ValueAgg; last: ValueAgg } & Record<string, PersonAgg>;
type DeviceAggs = Record<string, { hosts: CappedTermsAgg<HostBucket> }>;
type LoggedUrl = Bucket & DeviceAggs;
type ActionAgg = { doc_count: number } & Record<(typeof URL_FIELDS)[number], CappedTermsAgg<LoggedUrl>>;

function people(h: HostBucket): { users: string[]; otherNames: string[] } {
  const users = new Set<string>();
  const others = new Set<string>();
  PROXY_PERSON_FIELDS.forEach((_, i) => {
    for (const person of h[`p${i}`]?.who.buckets ?? []) {
      users.add(String(person.key));
      PROXY_PERSON_FIELDS.slice(i + 1).forEach((__, j) => keys(person[`a${j}`]).forEach((n) => others.add(n)));
    }
  });
  return { users: [...users].sort(), otherNames: [...others].filter((n) => !users.has(n)).sort() };
}

/** The interactions of one logged URL, per device (a device named in two fields by different records is one). */
function interactions(b: DeviceAggs): Map<string, Interaction> {
  const out = new Map<string, Interaction>();
  PROXY_DEVICE_FIELDS.forEach((_, i) => {
    for (const h of b[`d${i}`]?.hosts.buckets ?? []) {
      const host = String(h.key);
      const { users, otherNames } = people(h);
      const found: Interaction = { ...(host ? { host } : {}), users, otherNames, first: dateOf(h.first) ?? new Date(0), last: dateOf(h.last) ?? new Date(0), count: h.doc_count };
      const seen = out.get(host);
      out.set(
        host,
        seen
          ? {
              ...seen,
              users: [...new Set([...seen.users, ...found.users])].sort(),
              otherNames: [...new Set([...(seen.otherNames ?? []), ...otherNames])].sort(),
              first: seen.first < found.first ? seen.first : found.first,
              last: seen.last > found.last ? seen.last : found.last,
              count: seen.count + found.count,
            }
          : found,
      );
    }
  });
  for (const [host, i] of out) {
    const otherNames = (i.otherNames ?? []).filter((n) => !i.users.includes(n));
    const { otherNames: _drop, ...rest } = i;
    out.set(host, otherNames.length ? { ...rest, otherNames } : rest);
  }
  return out;
}

export class ElasticProxy implements ProxyEvidence {
  constructor(
    private readonly es: Client,
    private readonly index: string,
  ) {}

  async urlHits(spellings: string[], window: TimeWindow): Promise<Searched<UrlHit[]>> {
    const caps = await indexedLengthCaps(this.es, this.index, [...URL_FIELDS]);
    const query: Query = { bool: { filter: [timeRange(window), { bool: { should: spellings.map(spellingQuery), minimum_should_match: 1 } }] } };
    // The logged spellings (path case kept, compared again by the flow) among the few records the query found:
    // `map` reads their values directly, never the field's global ordinals over every unique URL. No bucket per
    // asked spelling: each would run its case-insensitive term queries (automata over the field's terms) again
    // in every segment, and the flow matches the logged spelling to the alert's URL itself.
    const logged = Object.fromEntries(URL_FIELDS.map((f) => [f, { ...terms(f, MAX_URLS, { execution_hint: 'map' }), aggs: perDevice() }]));
    const [data, { aggs }] = await Promise.all([
      hasData(this.es, this.index, timeRange(window)),
      aggregate<{ allowed?: ActionAgg; blocked?: ActionAgg }>(this.es, this.index, query, {
        allowed: { filter: { bool: { must_not: [blocked] } }, aggs: logged },
        blocked: { filter: blocked, aggs: logged },
      }),
    ]);
    const hits: UrlHit[] = [];
    const seen = new Set<string>();
    const incomplete: string[] = [];
    for (const action of ['allowed', 'blocked'] as const) {
      const ofAction = aggs[action];
      if (ofAction) {
        for (const field of URL_FIELDS) {
          const cut = ofAction[field]?.sum_other_doc_count ?? 0;
          if (cut > 0) incomplete.push(`${field}: ${cut} record(s) logged the URL in spellings beyond the first ${MAX_URLS}, not compared`);
          for (const b of ofAction[field]?.buckets ?? []) {
            for (const [host, found] of interactions(b)) {
              // A record found by two spellings, or with both fields equal, counts once.
              const key = `${action}|${String(b.key)}|${host}`;
              if (seen.has(key)) continue;
              seen.add(key);
              hits.push({ url: String(b.key), ...found, ...(action === 'blocked' ? { blocked: true } : {}) });
            }
            const more = PROXY_DEVICE_FIELDS.reduce((n, _, i) => n + (b[`d${i}`]?.hosts.sum_other_doc_count ?? 0), 0);
            incomplete.push(...hostsCut(String(b.key), { buckets: [], sum_other_doc_count: more }));
          }
        }
      }
    }
    if (hits.length === 0) incomplete.push(...URL_FIELDS.flatMap((f) => tooLong(f, caps[f], 'the URL', spellings)));
    const unique = [...new Set(incomplete)];
    return { hasData: data, found: hits, ...(unique.length ? { incomplete: unique } : {}) };
  }
}
