// The naive baseline: the same questions, answered by fetching the raw events into Node and computing
// there. Each port call selects the events it is about (the key, the user, the domains, the files, in
// the window) with a plain filter, pages through every matching document (point in time + search_after),
// and hands them to the project's in-memory evidence implementation, which test/contract holds to the
// same answers as the Elasticsearch one. No aggregation runs in Elasticsearch.
import type { Client } from '@elastic/elasticsearch';
import { HASH_LENGTHS } from '../../src/alerts/email-fields.js';
import type { EvidenceSources } from '../../src/engine.js';
import { ElasticAlertLookup } from '../../src/evidence/elastic/alerts.js';
import { escapeWildcard } from '../../src/evidence/elastic/edr.js';
import { resolveFields } from '../../src/evidence/elastic/fields.js';
import { timeRange, type Query } from '../../src/evidence/elastic/search.js';
import type { EvidenceIndices } from '../../src/evidence/indices.js';
import { MemoryCloudTrail } from '../../src/evidence/memory/cloudtrail.js';
import { MemoryEdr, MemoryProxy } from '../../src/evidence/memory/edr.js';
import { MemoryAgentSightings, MemoryOktaLog } from '../../src/evidence/memory/okta.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import {
  IP_CHANGING_ACTIONS,
  type AgentSightings,
  type CloudTrailEvidence,
  type DomainContact,
  type EdrEvidence,
  type IndicatorHit,
  type InstanceSighting,
  type IpChangingCall,
  type KeyActivity,
  type OktaEvent,
  type OktaLogEvidence,
  type OktaUserRef,
  type ProxyEvidence,
  type Searched,
  type TimeWindow,
  type UrlHit,
} from '../../src/evidence/ports.js';
import { SIGN_IN } from '../../src/okta/events.js';

const PAGE = 5000;

/** What the naive way moved and spent, for one investigation. */
export interface NaiveCost {
  documents: number;
  fetchMs: number;
  computeMs: number;
}

export function newCost(): NaiveCost {
  return { documents: 0, fetchMs: 0, computeMs: 0 };
}

const ci = (field: string, value: string): Query => ({ term: { [field]: { value, case_insensitive: true } } });
const anyOf = (should: Query[]): Query => ({ bool: { should, minimum_should_match: 1 } });

class Fetcher {
  constructor(
    private readonly es: Client,
    /** The cost of the investigation in progress (swapped by the caller between investigations). */
    readonly cost: () => NaiveCost,
  ) {}

  /** Every document of `index` matching `query`, plus (when `probe`) one document of the bare window so "has data" can be told. */
  async documents(index: string, query: Query, probe?: TimeWindow): Promise<MemoryDocuments> {
    const started = performance.now();
    const seen = new Map<string, unknown>();
    const body = await resolveFields(this.es, index, { query });
    const pit = await this.es.openPointInTime({ index, keep_alive: '1m', ignore_unavailable: true });
    try {
      let after: unknown[] | undefined;
      for (;;) {
        const res = await this.es.search<Record<string, unknown>>({
          size: PAGE,
          pit: { id: pit.id, keep_alive: '1m' },
          sort: [{ _shard_doc: 'asc' }],
          ...(after ? { search_after: after as never } : {}),
          ...body,
        } as Parameters<Client['search']>[0]);
        for (const h of res.hits.hits) seen.set(`${h._index}/${h._id}`, h._source);
        if (res.hits.hits.length < PAGE) break;
        after = res.hits.hits.at(-1)!.sort as unknown[];
      }
    } finally {
      await this.es.closePointInTime({ id: pit.id }).catch(() => undefined);
    }
    if (probe) {
      const res = await this.es.search<Record<string, unknown>>({ index, size: 1, ignore_unavailable: true, allow_no_indices: true, query: timeRange(probe) } as Parameters<Client['search']>[0]);
      for (const h of res.hits.hits) seen.set(`${h._index}/${h._id}`, h._source);
    }
    const cost = this.cost();
    cost.documents += seen.size;
    cost.fetchMs += performance.now() - started;
    return new MemoryDocuments([...seen.values()]);
  }

  /** Times the in-memory computation. */
  async compute<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.cost().computeMs += performance.now() - started;
    }
  }
}

const inWindow = (window: TimeWindow, ...filter: Query[]): Query => ({ bool: { filter: [timeRange(window), ...filter] } });

class NaiveCloudTrail implements CloudTrailEvidence {
  constructor(private readonly f: Fetcher, private readonly index: string) {}

  async keyActivity(accessKeyId: string, window: TimeWindow): Promise<KeyActivity> {
    const docs = await this.f.documents(this.index, inWindow(window, { term: { 'aws.cloudtrail.user_identity.access_key_id': accessKeyId } }));
    return this.f.compute(() => new MemoryCloudTrail(docs).keyActivity(accessKeyId, window));
  }

  async ipChangingCalls(accountId: string | undefined, window: TimeWindow): Promise<IpChangingCall[]> {
    const docs = await this.f.documents(this.index, inWindow(window, { terms: { 'event.action': [...IP_CHANGING_ACTIONS] } }, ...(accountId ? [{ term: { 'cloud.account.id': accountId } }] : [])));
    return this.f.compute(() => new MemoryCloudTrail(docs).ipChangingCalls(accountId, window));
  }

  async instanceSessionsFrom(accountId: string | undefined, ips: string[], window: TimeWindow): Promise<InstanceSighting[]> {
    if (ips.length === 0) return [];
    const docs = await this.f.documents(this.index, inWindow(window, { terms: { 'source.ip': ips } }, ...(accountId ? [{ term: { 'cloud.account.id': accountId } }] : [])));
    return this.f.compute(() => new MemoryCloudTrail(docs).instanceSessionsFrom(accountId, ips, window));
  }
}

class NaiveProxy implements ProxyEvidence {
  constructor(private readonly f: Fetcher, private readonly index: string) {}

  async urlHits(spellings: string[], window: TimeWindow): Promise<Searched<UrlHit[]>> {
    const docs = await this.f.documents(this.index, inWindow(window, anyOf(spellings.flatMap((s) => [ci('url.full', s), ci('url.original', s)]))), window);
    return this.f.compute(() => new MemoryProxy(docs).urlHits(spellings, window));
  }
}

function domainQuery(domain: string): Query {
  const d = domain.toLowerCase();
  const sub = `*.${escapeWildcard(d)}`;
  return anyOf(['dns.question.name', 'destination.domain'].flatMap((f) => [ci(f, d), ci(f, `${d}.`), { wildcard: { [f]: { value: sub, case_insensitive: true } } }, { wildcard: { [f]: { value: `${sub}.`, case_insensitive: true } } }]));
}

function hashQuery(prefix: string, hashes: string[]): Query[] {
  return hashes.flatMap((h) => {
    const algo = HASH_LENGTHS[h.length];
    return algo ? [ci(`${prefix}.${algo}`, h)] : [];
  });
}

class NaiveEdr implements EdrEvidence {
  constructor(private readonly f: Fetcher, private readonly indices: { process: string; file: string; network: string }) {}

  private domains(domains: string[], window: TimeWindow): Promise<MemoryDocuments> {
    return this.f.documents(this.indices.network, domains.length ? inWindow(window, anyOf(domains.map(domainQuery))) : { bool: { must_not: { match_all: {} } } }, window);
  }

  async domainContacts(domains: string[], window: TimeWindow): Promise<Searched<DomainContact[]>> {
    const docs = await this.domains(domains, window);
    return this.f.compute(() => new MemoryEdr(docs).domainContacts(domains, window));
  }

  async domainUsers(domains: string[], window: TimeWindow): Promise<Searched<Record<string, number>>> {
    const docs = await this.domains(domains, window);
    return this.f.compute(() => new MemoryEdr(docs).domainUsers(domains, window));
  }

  async processHits(fileNames: string[], hashes: string[], window: TimeWindow): Promise<Searched<IndicatorHit[]>> {
    const match = [
      ...fileNames.flatMap((n) => [{ wildcard: { 'process.command_line': { value: `*${escapeWildcard(n)}*`, case_insensitive: true } } }, ci('process.name', n)]),
      ...hashQuery('process.hash', hashes),
    ];
    const docs = await this.f.documents(this.indices.process, match.length ? inWindow(window, anyOf(match)) : { bool: { must_not: { match_all: {} } } }, window);
    return this.f.compute(() => new MemoryEdr(docs).processHits(fileNames, hashes, window));
  }

  async fileHits(fileNames: string[], hashes: string[], window: TimeWindow): Promise<Searched<IndicatorHit[]>> {
    const match = [...fileNames.map((n) => ci('file.name', n)), ...hashQuery('file.hash', hashes)];
    const docs = await this.f.documents(this.indices.file, match.length ? inWindow(window, anyOf(match)) : { bool: { must_not: { match_all: {} } } }, window);
    return this.f.compute(() => new MemoryEdr(docs).fileHits(fileNames, hashes, window));
  }
}

function userQuery(user: OktaUserRef): Query {
  return anyOf([...(user.id ? [{ term: { 'okta.actor.id': user.id } }] : []), ...(user.login ? [ci('okta.actor.alternate_id', user.login)] : [])]);
}

class NaiveOktaLog implements OktaLogEvidence {
  constructor(private readonly f: Fetcher, private readonly index: string) {}

  async userEvents(user: OktaUserRef, window: TimeWindow): Promise<Searched<OktaEvent[]>> {
    const docs = await this.f.documents(this.index, inWindow(window, userQuery(user)), window);
    return this.f.compute(() => new MemoryOktaLog(docs).userEvents(user, window));
  }

  async signInUserAgents(user: OktaUserRef, window: TimeWindow): Promise<Searched<string[]>> {
    const docs = await this.f.documents(this.index, inWindow(window, userQuery(user), { term: { 'okta.event_type': SIGN_IN } }), window);
    return this.f.compute(() => new MemoryOktaLog(docs).signInUserAgents(user, window));
  }
}

class NaiveAgentSightings implements AgentSightings {
  constructor(private readonly f: Fetcher, private readonly index: string) {}

  async seenFrom(ips: string[], window: TimeWindow): Promise<string[]> {
    if (ips.length === 0) return [];
    const docs = await this.f.documents(this.index, inWindow(window, { terms: { 'related.ip': ips } }));
    return this.f.compute(() => new MemoryAgentSightings(docs).seenFrom(ips, window));
  }
}

/** Evidence sources of the naive way; `cost` names the investigation the work is charged to. */
export function naiveSources(es: Client, indices: EvidenceIndices, cost: () => NaiveCost): EvidenceSources {
  const f = new Fetcher(es, cost);
  return {
    cloudTrail: new NaiveCloudTrail(f, indices.cloudtrail),
    proxy: new NaiveProxy(f, indices.proxy),
    edr: new NaiveEdr(f, { process: indices.edrProcess, file: indices.edrFile, network: indices.edrNetwork }),
    oktaLog: new NaiveOktaLog(f, indices.okta),
    agents: new NaiveAgentSightings(f, indices.agentSightings),
    alerts: new ElasticAlertLookup(es, indices.alerts),
  };
}
