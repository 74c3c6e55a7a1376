// Proxy evidence from Elasticsearch, led by its subject: the URL spellings are the query (term queries, one
// per spelling and field), so Elasticsearch visits the few records of the URL, not every record of the
// window; "has the proxy any data in the window" is a request of its own that stops at the first record,
// sent in the same `_msearch`. Records the proxy blocked are kept apart (flows.md v4 M2: never a click).
import type { Client } from '@elastic/elasticsearch';
import { foldSchemeAndHost } from '../../enrich/url.js';
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
/** The host as the proxy logged it (Elastic's pipelines split it from the URL): few distinct terms to walk. */
const HOST_FIELD = 'url.domain';
/** Spellings of the alert's hosts kept exactly; beyond them every spelling is searched case-insensitively. */
const MAX_HOST_SPELLINGS = 50;

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
type LoggedUrl = Bucket & { allowed?: DeviceAggs; blocked?: DeviceAggs };
type UrlAggs = Partial<Record<(typeof URL_FIELDS)[number], CappedTermsAgg<LoggedUrl>>>;

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

/** Scheme (kept), host and the rest of a spelling as urlSpellings writes it; undefined for hosts it cannot split. */
function splitHost(spelling: string): { scheme: string; host: string; rest: string } | undefined {
  const m = /^((?:[a-z][a-z0-9+.-]*:\/\/)?)([^/?#:@[\]\s]+)(.*)$/i.exec(spelling);
  return m ? { scheme: m[1]!, host: m[2]!.toLowerCase().replace(/\.$/, ''), rest: m[3]! } : undefined;
}

/**
 * The spellings again with each host as the proxy logged it (any letter case, a root dot) and the scheme in
 * either case: exact terms, so the URL fields' terms are looked up, never walked by a case-insensitive automaton.
 */
function loggedSpellings(spellings: string[], loggedHosts: string[]): string[] {
  const byHost = new Map<string, string[]>();
  for (const h of loggedHosts) {
    const key = h.toLowerCase().replace(/\.$/, '');
    byHost.set(key, [...(byHost.get(key) ?? []), h]);
  }
  const out = new Set<string>(spellings);
  for (const s of spellings) {
    const parts = splitHost(s);
    for (const h of parts ? (byHost.get(parts.host) ?? []) : []) {
      for (const scheme of new Set([parts!.scheme.toLowerCase(), parts!.scheme.toUpperCase()])) out.add(`${scheme}${h}${parts!.rest}`);
    }
  }
  return [...out];
}

/** The person and device aggregations of the logged URLs, per action, under one terms aggregation per URL field. */
function perLoggedUrl(): Record<string, unknown> {
  const byAction = { allowed: { filter: { bool: { must_not: [blocked] } }, aggs: perDevice() }, blocked: { filter: blocked, aggs: perDevice() } };
  return Object.fromEntries(URL_FIELDS.map((f) => [f, { ...terms(f, MAX_URLS, { execution_hint: 'map' }), aggs: byAction }]));
}

export class ElasticProxy implements ProxyEvidence {
  constructor(
    private readonly es: Client,
    private readonly index: string,
  ) {}

  /**
   * Led by the URLs' hosts: the first round trip asks which spellings of the hosts the proxy logged in the window
   * (a case-insensitive term on `url.domain`, a small dictionary) and whether any record lacks `url.domain`;
   * only when a host was logged (or records lack it) the second asks for the URLs themselves, by exact terms, with
   * the per-device and per-person aggregations. A record without `url.domain` is still found by its URL,
   * case-insensitively, as before.
   */
  async urlHits(spellings: string[], window: TimeWindow): Promise<Searched<UrlHit[]>> {
    const range = timeRange(window);
    const hosts = [...new Set(spellings.flatMap((s) => splitHost(s)?.host ?? []))];
    // Spellings whose host cannot be split (IPv6 literals, user info): only a case-insensitive term finds them.
    const unsplit = spellings.filter((s) => !splitHost(s));
    const hostQuery: Query = { bool: { filter: [range, { bool: { should: hosts.flatMap((h) => [ci(HOST_FIELD, h), ci(HOST_FIELD, `${h}.`)]), minimum_should_match: 1 } }] } };
    const [caps, data, logged, lacksHost] = await Promise.all([
      indexedLengthCaps(this.es, this.index, [...URL_FIELDS]),
      hasData(this.es, this.index, range),
      hosts.length ? aggregate<{ h?: CappedTermsAgg }>(this.es, this.index, hostQuery, { h: terms(HOST_FIELD, MAX_HOST_SPELLINGS) }) : undefined,
      hasData(this.es, this.index, { bool: { filter: [range], must_not: [{ exists: { field: HOST_FIELD } }] } }),
    ]);
    const loggedHosts = keys(logged?.aggs.h);
    const tooManyHosts = (logged?.aggs.h?.sum_other_doc_count ?? 0) > 0;
    const wanted = new Set(spellings.map(foldSchemeAndHost));
    const exact = loggedHosts.length && !tooManyHosts ? loggedSpellings(spellings, loggedHosts) : [];
    const anyCase = (list: string[]): Query => ({ bool: { should: [...new Set(list)].map(spellingQuery), minimum_should_match: 1 } });
    // Case-insensitive only where exact terms cannot be built: unsplit hosts, records without the host field,
    // hosts logged in more spellings than kept.
    const should: Query[] = [
      ...(exact.length ? URL_FIELDS.map((f) => ({ terms: { [f]: exact } })) : []),
      ...(tooManyHosts ? [anyCase(spellings)] : unsplit.length ? [anyCase(unsplit)] : []),
      ...(lacksHost && !tooManyHosts ? [{ bool: { filter: [anyCase(spellings)], must_not: [{ exists: { field: HOST_FIELD } }] } }] : []),
    ];
    const incomplete: string[] = [];
    const hits: UrlHit[] = [];
    if (should.length > 0) {
      const { aggs } = await aggregate<UrlAggs>(this.es, this.index, { bool: { filter: [range, { bool: { should, minimum_should_match: 1 } }] } }, perLoggedUrl());
      const seen = new Set<string>();
      for (const field of URL_FIELDS) {
        const cut = aggs[field]?.sum_other_doc_count ?? 0;
        if (cut > 0) incomplete.push(`${field}: ${cut} record(s) logged the URL in spellings beyond the first ${MAX_URLS}, not compared`);
        // A case-insensitive term also finds paths in another case: flows.md compares paths as written.
        for (const b of (aggs[field]?.buckets ?? []).filter((u) => wanted.has(foldSchemeAndHost(String(u.key))))) {
          for (const action of ['allowed', 'blocked'] as const) {
            const devices = b[action];
            if (!devices) continue;
            for (const [host, found] of interactions(devices)) {
              // A record found by two spellings, or with both fields equal, counts once.
              const key = `${action}|${String(b.key)}|${host}`;
              if (seen.has(key)) continue;
              seen.add(key);
              hits.push({ url: String(b.key), ...found, ...(action === 'blocked' ? { blocked: true } : {}) });
            }
            const more = PROXY_DEVICE_FIELDS.reduce((n, _, i) => n + (devices[`d${i}`]?.hosts.sum_other_doc_count ?? 0), 0);
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
