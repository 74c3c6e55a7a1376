// Proxy and EDR evidence from Elasticsearch. Each method is one search: the window alone is the query
// (its hit count says whether the dataset has data), the indicators are aggregation filters.
import type { Client } from '@elastic/elasticsearch';
import { HASH_LENGTHS } from '../../alerts/email-fields.js';
import type { DomainContact, EdrEvidence, IndicatorHit, ProxyEvidence, Searched, TimeWindow, UrlHit } from '../ports.js';
import { aggregate, dateOf, keys, terms, timeRange, type Bucket, type Query, type TermsAgg, type ValueAgg } from './search.js';

const MAX_HOSTS = 100;

/** Wildcard syntax characters taken literally. */
export function escapeWildcard(s: string): string {
  return s.replace(/[\\*?]/g, (c) => `\\${c}`);
}

const ci = (field: string, value: string): Query => ({ term: { [field]: { value, case_insensitive: true } } });

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

type FilterAgg = Record<string, { doc_count: number; hosts: TermsAgg<HostBucket> }>;

function hashQueries(hashes: string[], prefix: 'process.hash' | 'file.hash'): Array<[string, Query]> {
  return hashes.flatMap((h) => {
    const algo = HASH_LENGTHS[h.length];
    return algo ? [[h, ci(`${prefix}.${algo}`, h)] as [string, Query]] : [];
  });
}

export class ElasticProxy implements ProxyEvidence {
  constructor(
    private readonly es: Client,
    private readonly index: string,
  ) {}

  async urlHits(spellings: string[], window: TimeWindow): Promise<Searched<UrlHit[]>> {
    const match: Query = { bool: { should: spellings.flatMap((s) => [ci('url.full', s), ci('url.original', s)]), minimum_should_match: 1 } };
    const { total, aggs } = await aggregate<{ m: { full: TermsAgg<Bucket & { hosts: TermsAgg<HostBucket> }>; original: TermsAgg<Bucket & { hosts: TermsAgg<HostBucket> }> } }>(
      this.es,
      this.index,
      timeRange(window),
      {
        m: {
          filter: match,
          aggs: {
            full: { ...terms('url.full', 100), aggs: { hosts: perHost() } },
            original: { ...terms('url.original', 100), aggs: { hosts: perHost() } },
          },
        },
      },
    );
    const hits: UrlHit[] = [];
    const seen = new Set<string>();
    for (const b of [...(aggs.m?.full?.buckets ?? []), ...(aggs.m?.original?.buckets ?? [])]) {
      for (const h of b.hosts.buckets) {
        const key = `${String(b.key)}|${String(h.key)}`;
        if (seen.has(key)) continue; // a document with both fields equal counts once
        seen.add(key);
        hits.push({ url: String(b.key), ...interaction(h) });
      }
    }
    return { hasData: total > 0, found: hits };
  }
}

export class ElasticEdr implements EdrEvidence {
  constructor(
    private readonly es: Client,
    private readonly indices: { process: string; file: string; network: string },
  ) {}

  private domainQuery(domain: string): Query {
    const d = domain.toLowerCase();
    const sub = `*.${escapeWildcard(d)}`;
    return {
      bool: {
        should: ['dns.question.name', 'destination.domain'].flatMap((f) => [ci(f, d), ci(f, `${d}.`), { wildcard: { [f]: { value: sub, case_insensitive: true } } }, { wildcard: { [f]: { value: `${sub}.`, case_insensitive: true } } }]),
        minimum_should_match: 1,
      },
    };
  }

  async domainContacts(domains: string[], window: TimeWindow): Promise<Searched<DomainContact[]>> {
    if (domains.length === 0) return { hasData: await this.hasData(this.indices.network, window), found: [] };
    const { total, aggs } = await aggregate<{ d: { buckets: Record<string, { doc_count: number; hosts: TermsAgg<HostBucket & { dns: TermsAgg; dest: TermsAgg }> }> } }>(
      this.es,
      this.indices.network,
      timeRange(window),
      {
        d: {
          filters: { filters: Object.fromEntries(domains.map((d) => [d, this.domainQuery(d)])) },
          aggs: { hosts: { ...perHost(), aggs: { ...perHost().aggs, dns: terms('dns.question.name', 5), dest: terms('destination.domain', 5) } } },
        },
      },
    );
    const found: DomainContact[] = [];
    for (const [domain, bucket] of Object.entries(aggs.d?.buckets ?? {})) {
      for (const h of bucket.hosts.buckets) found.push({ domain, names: [...new Set([...keys(h.dns), ...keys(h.dest)])].sort(), ...interaction(h) });
    }
    return { hasData: total > 0, found };
  }

  async domainUsers(domains: string[], window: TimeWindow): Promise<Searched<Record<string, number>>> {
    if (domains.length === 0) return { hasData: await this.hasData(this.indices.network, window), found: {} };
    const { total, aggs } = await aggregate<{ d: { buckets: Record<string, { users: ValueAgg }> } }>(
      this.es,
      this.indices.network,
      timeRange(window),
      {
        d: {
          filters: { filters: Object.fromEntries(domains.map((d) => [d, this.domainQuery(d)])) },
          // Exact below the precision threshold, which is far above any "rare" threshold.
          aggs: { users: { cardinality: { field: 'user.name', precision_threshold: 3000 } } },
        },
      },
    );
    const found = Object.fromEntries(Object.entries(aggs.d?.buckets ?? {}).map(([d, b]) => [d, b.users.value ?? 0]));
    return { hasData: total > 0, found };
  }

  async processHits(fileNames: string[], hashes: string[], window: TimeWindow): Promise<Searched<IndicatorHit[]>> {
    const filters: Record<string, Query> = {};
    for (const name of fileNames) {
      filters[`command_line\u0000${name}`] = { wildcard: { 'process.command_line': { value: `*${escapeWildcard(name)}*`, case_insensitive: true } } };
      filters[`process_name\u0000${name}`] = ci('process.name', name);
    }
    for (const [h, q] of hashQueries(hashes, 'process.hash')) filters[`hash\u0000${h}`] = q;
    const starts: Query = { bool: { should: [{ term: { 'event.type': 'start' } }, { bool: { must_not: { exists: { field: 'event.type' } } } }], minimum_should_match: 1 } };
    return this.indicatorSearch(this.indices.process, window, starts, filters, 'process.command_line');
  }

  async fileHits(fileNames: string[], hashes: string[], window: TimeWindow): Promise<Searched<IndicatorHit[]>> {
    const filters: Record<string, Query> = {};
    for (const name of fileNames) filters[`file_name\u0000${name}`] = ci('file.name', name);
    for (const [h, q] of hashQueries(hashes, 'file.hash')) filters[`hash\u0000${h}`] = q;
    const creations: Query = { bool: { should: [{ term: { 'event.type': 'creation' } }, { term: { 'event.action': 'creation' } }], minimum_should_match: 1 } };
    return this.indicatorSearch(this.indices.file, window, creations, filters, 'file.path');
  }

  /** "Has data" is the whole dataset in the window; matches are among the events of the kind asked (`kind`). */
  private async indicatorSearch(index: string, window: TimeWindow, kind: Query, filters: Record<string, Query>, examplesField: string): Promise<Searched<IndicatorHit[]>> {
    if (Object.keys(filters).length === 0) return { hasData: await this.hasData(index, window), found: [] };
    const scoped = Object.fromEntries(Object.entries(filters).map(([k, q]) => [k, { bool: { filter: [kind, q] } }]));
    const { total, aggs } = await aggregate<{ m: { buckets: FilterAgg } }>(this.es, index, timeRange(window), {
      m: { filters: { filters: scoped }, aggs: { hosts: perHost(examplesField) } },
    });
    const found: IndicatorHit[] = [];
    for (const [key, bucket] of Object.entries(aggs.m?.buckets ?? {})) {
      const [matchedBy, indicator] = key.split('\u0000') as [IndicatorHit['matchedBy'], string];
      for (const h of bucket.hosts.buckets) found.push({ indicator, matchedBy, examples: keys(h.examples), ...interaction(h) });
    }
    return { hasData: total > 0, found };
  }

  private async hasData(index: string, window: TimeWindow): Promise<boolean> {
    const { total } = await aggregate(this.es, index, timeRange(window), {});
    return total > 0;
  }
}
