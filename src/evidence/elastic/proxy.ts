// Proxy evidence from Elasticsearch, led by its subject: the URLs' hosts, then the URLs themselves, are the
// query (terms), so Elasticsearch visits the few records of the URL, not every record of the window; "has the
// proxy any data in the window" is a request of its own that stops at the first record, sent in the same
// `_msearch`. Records the proxy blocked are kept apart (flows.md v4 M2: never a click).
import type { Client } from '@elastic/elasticsearch';
import { foldSchemeAndHost } from '../../enrich/url.js';
import { PROXY_DEVICE_FIELDS, PROXY_PERSON_FIELDS, BLOCKED_ACTION } from '../devices.js';
import type { ProxyEvidence, Searched, TimeWindow, UrlHit } from '../ports.js';
import { indexedLengthCaps } from './fields.js';
import { ci, MAX_HOSTS, tooLong } from './edr.js';
import { aggregate, compositeAll, hasData, keys, terms, timeRange, type Bucket, type CappedTermsAgg, type CompositeBucket, type Query, type ValueAgg } from './search.js';

const URL_FIELDS = ['url.full', 'url.original'] as const;
/** The host as the proxy logged it (Elastic's pipelines split it from the URL): few distinct terms to walk. */
const HOST_FIELD = 'url.domain';
/** Spellings of the alert's hosts kept exactly; beyond them every spelling is searched case-insensitively. */
const MAX_HOST_SPELLINGS = 50;
/** Exact spellings one search carries at most (Elasticsearch refuses a terms query over index.max_terms_count, 65 536). */
const MAX_EXACT_TERMS = 10_000;
/** …and at most this many characters of them (a request body stays far below http.max_content_length). */
const MAX_EXACT_BYTES = 2_000_000;
/** Zscaler's `Blocked`, as Elastic's pipeline writes it (event.action, lower case) or in its own field. */
const ACTION_FIELDS = ['event.action', 'zscaler_zia.web.action'] as const;
/** The device field that holds a list (the others hold one name). */
const LIST_DEVICE_FIELD = 'related.hosts';

const spellingQuery = (s: string): Query => ({ bool: { should: URL_FIELDS.map((f) => ci(f, s)), minimum_should_match: 1 } });

/**
 * One bucket per distinct combination of a record's logged URLs, single-valued device fields and person fields
 * (absent ones in the null bucket), with related.hosts (a list) beneath it and, under each, the records the
 * proxy blocked apart from the others: one aggregation whose cost follows the few records of the URL, where a
 * tree of filters per device and person field cost ~18 ms of Elasticsearch CPU per search whatever the hits.
 * The first of PROXY_DEVICE_FIELDS and of PROXY_PERSON_FIELDS a record carries are its device and its person
 * (evidence-schema.md); the later person fields are the same person's other names.
 */
const SINGLE_DEVICE_FIELDS = PROXY_DEVICE_FIELDS.filter((f) => f !== LIST_DEVICE_FIELD);
const COMBINATION_FIELDS: readonly string[] = [...URL_FIELDS, ...SINGLE_DEVICE_FIELDS, ...PROXY_PERSON_FIELDS];
/** Composite sources, one per field (a record without the field in the null bucket), read a page at a time. */
const COMBINATION_SOURCES = COMBINATION_FIELDS.map((field, i) => ({ [`k${i}`]: { terms: { field, missing_bucket: true } } }));
const COMBINATION_PAGING = { pageSize: 500, maxPages: 2 };

/** Zscaler's `Blocked` (Elastic's pipeline lower-cases event.action), in either field. */
const blocked: Query = { bool: { should: ACTION_FIELDS.map((f) => ci(f, BLOCKED_ACTION)), minimum_should_match: 1 } };
const span = { first: { min: { field: '@timestamp' } }, last: { max: { field: '@timestamp' } } };
const byAction = { allowed: { filter: { bool: { must_not: [blocked] } }, aggs: span }, blocked: { filter: blocked, aggs: span } };
const PER_COMBINATION = { ...byAction, listed: { ...terms(LIST_DEVICE_FIELD, MAX_HOSTS, { missing: '' }), aggs: byAction } };

type Span = { doc_count: number; first: ValueAgg; last: ValueAgg };
type ByAction = { allowed: Span; blocked: Span };
type Combination = CompositeBucket & ByAction & { listed: CappedTermsAgg<Bucket & ByAction> };

interface Accumulated {
  url: string;
  host: string;
  blocked: boolean;
  users: Set<string>;
  others: Set<string>;
  first: number;
  last: number;
  count: number;
}

/** The interactions of the combinations: per logged URL (one the alert asked for), action and device. */
function interactionsOf(buckets: Combination[], wanted: (url: string) => boolean): { hits: UrlHit[]; cut: string[] } {
  const acc = new Map<string, Accumulated>();
  const cut: string[] = [];
  const at = (field: string, b: Combination) => String(b.key[`k${COMBINATION_FIELDS.indexOf(field)}`] ?? '');
  for (const b of buckets) {
    const urls = [...new Set(URL_FIELDS.map((f) => at(f, b)))].filter((u) => u && wanted(u));
    if (urls.length === 0) continue;
    const names = PROXY_PERSON_FIELDS.map((f) => at(f, b)).filter(Boolean);
    const single = SINGLE_DEVICE_FIELDS.map((f) => at(f, b)).find(Boolean);
    // A record's device is its single-valued field, else each of its related.hosts ('' for none).
    const devices: Array<[string, ByAction]> = single ? [[single, b]] : b.listed.buckets.map((h) => [String(h.key), h]);
    if (!single && (b.listed.sum_other_doc_count ?? 0) > 0) cut.push(`${urls[0]}: ${b.listed.sum_other_doc_count} more event(s) on hosts beyond the first ${MAX_HOSTS} are not listed`);
    for (const url of urls) {
      for (const [host, actions] of devices) {
        for (const action of ['allowed', 'blocked'] as const) {
          const part = actions[action];
          if (part.doc_count === 0) continue;
          const key = `${action}|${url}|${host}`;
          const seen = acc.get(key) ?? { url, host, blocked: action === 'blocked', users: new Set<string>(), others: new Set<string>(), first: Infinity, last: -Infinity, count: 0 };
          if (names[0]) seen.users.add(names[0]);
          names.slice(1).forEach((n) => seen.others.add(n));
          seen.first = Math.min(seen.first, part.first.value ?? Infinity);
          seen.last = Math.max(seen.last, part.last.value ?? -Infinity);
          seen.count += part.doc_count;
          acc.set(key, seen);
        }
      }
    }
  }
  const hits = [...acc.values()].map((a): UrlHit => {
    const users = [...a.users].sort();
    const otherNames = [...a.others].filter((n) => !a.users.has(n)).sort();
    return {
      url: a.url,
      ...(a.host ? { host: a.host } : {}),
      users,
      ...(otherNames.length ? { otherNames } : {}),
      first: new Date(Number.isFinite(a.first) ? a.first : 0),
      last: new Date(Number.isFinite(a.last) ? a.last : 0),
      count: a.count,
      ...(a.blocked ? { blocked: true } : {}),
    };
  });
  return { hits, cut };
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A host as the spellings are compared: lower case, no root dot. */
const foldHost = (host: string): string => host.toLowerCase().replace(/\.$/, '');

type Split = { scheme: string; host: string; rest: string };

/**
 * Scheme (kept), host (lower case, no root dot) and the rest (port, path, query) of a spelling; undefined for an
 * authority with user info, an IPv6 literal or white space: those are searched case-insensitively. No regular
 * expression here backtracks over the attacker's text (a URL of 4 000 characters costs 4 000 steps).
 */
function splitHost(spelling: string): Split | undefined {
  const scheme = SCHEME.exec(spelling)?.[0] ?? '';
  const after = spelling.slice(scheme.length);
  const end = after.search(/[/?#]/);
  const authority = end < 0 ? after : after.slice(0, end);
  if (!authority || /[@[\]\s]/.test(authority)) return undefined;
  const colon = authority.indexOf(':');
  const host = colon < 0 ? authority : authority.slice(0, colon);
  const port = colon < 0 ? '' : authority.slice(colon);
  if (!host || !/^:\d*$/.test(port || ':')) return undefined;
  return { scheme, host: foldHost(host), rest: `${port}${end < 0 ? '' : after.slice(end)}` };
}

/**
 * The spellings again with each host as the proxy logged it (any letter case, a root dot) and the scheme in
 * either case: exact terms, so the URL fields' terms are looked up, never walked by a case-insensitive automaton.
 */
function loggedSpellings(spellings: string[], split: Split[], loggedHosts: string[]): string[] | undefined {
  const byHost = new Map<string, string[]>();
  for (const h of loggedHosts) byHost.set(foldHost(h), [...(byHost.get(foldHost(h)) ?? []), h]);
  const out = new Set<string>(spellings);
  let bytes = spellings.reduce((n, s) => n + s.length, 0);
  for (const parts of split) {
    for (const h of byHost.get(parts.host) ?? []) {
      for (const scheme of new Set([parts.scheme.toLowerCase(), parts.scheme.toUpperCase()])) {
        const spelling = `${scheme}${h}${parts.rest}`;
        out.add(spelling);
        bytes += spelling.length;
        // Stop building as soon as one query could not carry them: the caller searches case-insensitively.
        if (out.size > MAX_EXACT_TERMS || bytes > MAX_EXACT_BYTES) return undefined;
      }
    }
  }
  return [...out];
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
    const parts = spellings.map(splitHost);
    const split = parts.filter((p): p is Split => p !== undefined);
    const hosts = [...new Set(split.map((p) => p.host))];
    // Spellings whose host cannot be split (IPv6 literals, user info): only a case-insensitive term finds them.
    const unsplit = spellings.filter((_, i) => !parts[i]);
    const hostQuery: Query = { bool: { filter: [range, { bool: { should: hosts.flatMap((h) => [ci(HOST_FIELD, h), ci(HOST_FIELD, `${h}.`)]), minimum_should_match: 1 } }] } };
    const [caps, data, logged, lacksHost] = await Promise.all([
      indexedLengthCaps(this.es, this.index, [...URL_FIELDS]),
      hasData(this.es, this.index, range),
      hosts.length ? aggregate<{ h?: CappedTermsAgg }>(this.es, this.index, hostQuery, { h: terms(HOST_FIELD, MAX_HOST_SPELLINGS) }) : undefined,
      hasData(this.es, this.index, { bool: { filter: [range], must_not: [{ exists: { field: HOST_FIELD } }] } }),
    ]);
    const loggedHosts = keys(logged?.aggs.h);
    const wanted = new Set(spellings.map(foldSchemeAndHost));
    const built = loggedHosts.length ? loggedSpellings(spellings, split, loggedHosts) : [];
    // Hosts logged in more spellings than kept, or more exact terms than one query should carry (50 URLs on one
    // host logged in many spellings, long URLs): every spelling case-insensitively instead, as records without
    // url.domain are.
    const tooManyHosts = (logged?.aggs.h?.sum_other_doc_count ?? 0) > 0 || built === undefined;
    const exact = tooManyHosts ? [] : built;
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
      const query = { bool: { filter: [range, { bool: { should, minimum_should_match: 1 } }] } };
      const records = await compositeAll(this.es, this.index, query, COMBINATION_SOURCES, PER_COMBINATION, COMBINATION_PAGING);
      const max = COMBINATION_PAGING.pageSize * COMBINATION_PAGING.maxPages;
      if (records.cut) incomplete.push(`proxy: records of the URL beyond the first ${max} device and person combinations are not listed`);
      // A case-insensitive term also finds paths in another case: flows.md compares paths as written.
      const found = interactionsOf(records.buckets as Combination[], (u) => wanted.has(foldSchemeAndHost(u)));
      hits.push(...found.hits);
      incomplete.push(...found.cut);
    }
    if (hits.length === 0) incomplete.push(...URL_FIELDS.flatMap((f) => tooLong(f, caps[f], 'the URL', spellings)));
    const unique = [...new Set(incomplete)];
    return { hasData: data, found: hits, ...(unique.length ? { incomplete: unique } : {}) };
  }
}
