// The naive baseline: the same questions, answered by fetching the raw events into Node and computing
// there. Every call of a port method fetches, page by page (point in time + search_after), each document
// of the port's dataset in the call's time window(s) that concerns the call's subject (the key, the user,
// the domains, the files: a plain filter, a superset of what the answer needs), plus one document of
// each window (so "no data" can be told), and hands them to the project's in-memory implementation of
// the same port, which test/contract holds to the same answers as the Elasticsearch one. No aggregation
// runs in Elasticsearch.
//
// Ports are wrapped generically (any method, any arguments): a method without a subject filter here, or
// whose arguments no longer look as expected, fetches its whole window instead — slower, never wrong.
import type { Client } from '@elastic/elasticsearch';
import { HASH_LENGTHS } from '../../src/alerts/email-fields.js';
import type { EvidenceSources } from '../../src/evidence/evidence-sources.js';
import { MemoryProofpointClicks } from '../../src/evidence/memory/proofpoint.js';
import { ElasticAlertLookup } from '../../src/evidence/elastic/alerts.js';
import { escapeWildcard } from '../../src/evidence/elastic/edr.js';
import { resolveFields } from '../../src/evidence/elastic/fields.js';
import { timeRange, type Query } from '../../src/evidence/elastic/search.js';
import type { EvidenceIndices } from '../../src/evidence/indices.js';
import { MemoryCloudTrail } from '../../src/evidence/memory/cloudtrail.js';
import { MemoryEdr, MemoryProxy } from '../../src/evidence/memory/edr.js';
import { MemoryAgentSightings, MemoryOktaLog } from '../../src/evidence/memory/okta.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { IP_CHANGING_ACTIONS, type TimeWindow } from '../../src/evidence/ports.js';

const PAGE = 5000;
/** Past this many documents for one call the naive way gives up (Node would run out of memory first). */
export const MAX_DOCUMENTS = 400_000;

/** What the naive way moved and spent, for one investigation. */
export interface NaiveCost {
  documents: number;
  fetchMs: number;
  computeMs: number;
  /** Calls that had no subject filter and fetched their whole window. */
  wholeWindow: string[];
}

export function newCost(): NaiveCost {
  return { documents: 0, fetchMs: 0, computeMs: 0, wholeWindow: [] };
}

export class TooManyDocuments extends Error {}

const ci = (field: string, value: string): Query => ({ term: { [field]: { value, case_insensitive: true } } });
const anyOf = (should: Query[]): Query => ({ bool: { should, minimum_should_match: 1 } });
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

function isWindow(v: unknown): v is TimeWindow {
  return typeof v === 'object' && v !== null && (v as TimeWindow).from instanceof Date && (v as TimeWindow).to instanceof Date;
}

/** Every time window among the arguments (directly, in arrays, or one level inside an object). */
function windowsIn(args: unknown[]): TimeWindow[] {
  const out: TimeWindow[] = [];
  const visit = (v: unknown, depth: number) => {
    if (isWindow(v)) out.push(v);
    else if (Array.isArray(v)) v.forEach((x) => visit(x, depth));
    else if (depth < 2 && typeof v === 'object' && v !== null) Object.values(v).forEach((x) => visit(x, depth + 1));
  };
  args.forEach((a) => visit(a, 0));
  return out;
}

class Fetcher {
  constructor(
    private readonly es: Client,
    /** The cost of the investigation in progress (swapped by the caller between investigations). */
    readonly cost: () => NaiveCost,
  ) {}

  /** Every document of `index` matching `query`, plus one document of each window so "has data" can be told. */
  async documents(index: string, query: Query, windows: TimeWindow[]): Promise<MemoryDocuments> {
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
        if (seen.size > MAX_DOCUMENTS) throw new TooManyDocuments(`more than ${MAX_DOCUMENTS} documents for one question`);
        if (res.hits.hits.length < PAGE) break;
        after = res.hits.hits.at(-1)!.sort as unknown[];
      }
    } finally {
      await this.es.closePointInTime({ id: pit.id }).catch(() => undefined);
    }
    for (const w of windows) {
      const res = await this.es.search<Record<string, unknown>>({ index, size: 1, ignore_unavailable: true, allow_no_indices: true, query: timeRange(w) } as Parameters<Client['search']>[0]);
      for (const h of res.hits.hits) seen.set(`${h._index}/${h._id}`, h._source);
    }
    const cost = this.cost();
    cost.documents += seen.size;
    cost.fetchMs += performance.now() - started;
    return new MemoryDocuments([...seen.values()]);
  }

  async compute<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.cost().computeMs += performance.now() - started;
    }
  }
}

/** A method's subject filter from its arguments; undefined when the arguments do not look as expected. */
type SubjectFilter = (args: unknown[]) => Query | undefined;

/** Wraps the in-memory implementation of a port: each call fetches its documents first (from the method's index). */
function naivePort<T extends object>(f: Fetcher, indexOf: string | ((method: string) => string), make: (docs: MemoryDocuments) => T, subjects: Record<string, SubjectFilter>): T {
  const shape = make(new MemoryDocuments());
  return new Proxy(shape, {
    get(target, prop, receiver) {
      const own = Reflect.get(target, prop, receiver) as unknown;
      if (typeof own !== 'function' || typeof prop !== 'string') return own;
      return async (...args: unknown[]) => {
        const windows = windowsIn(args);
        const subject = subjects[prop]?.(args);
        if (!subject) f.cost().wholeWindow.push(prop);
        const time: Query[] = windows.length ? [anyOf(windows.map(timeRange))] : [];
        const index = typeof indexOf === 'string' ? indexOf : indexOf(prop);
        const docs = await f.documents(index, { bool: { filter: [...time, ...(subject ? [subject] : [])] } }, windows);
        const port = make(docs) as Record<string, (...a: unknown[]) => Promise<unknown>>;
        return f.compute(() => port[prop]!(...args));
      };
    },
  });
}

function domainQuery(domain: string): Query {
  const d = domain.toLowerCase();
  const sub = `*.${escapeWildcard(d)}`;
  return anyOf(['dns.question.name', 'destination.domain'].flatMap((fl) => [ci(fl, d), ci(fl, `${d}.`), { wildcard: { [fl]: { value: sub, case_insensitive: true } } }, { wildcard: { [fl]: { value: `${sub}.`, case_insensitive: true } } }]));
}

function hashQueries(prefix: string, hashes: string[]): Query[] {
  return hashes.flatMap((h) => {
    const algo = HASH_LENGTHS[h.length];
    return algo ? [ci(`${prefix}.${algo}`, h)] : [];
  });
}

const orNothing = (queries: Query[]): Query => (queries.length ? anyOf(queries) : { bool: { must_not: { match_all: {} } } });

function userQuery(user: unknown): Query | undefined {
  if (typeof user !== 'object' || user === null) return undefined;
  const { id, login } = user as { id?: unknown; login?: unknown };
  const should = [...(typeof id === 'string' ? [{ term: { 'okta.actor.id': id } }] : []), ...(typeof login === 'string' ? [ci('okta.actor.alternate_id', login)] : [])];
  return should.length ? anyOf(should) : undefined;
}

/** Evidence sources of the naive way; `cost` names the investigation the work is charged to. */
export function naiveSources(es: Client, indices: EvidenceIndices, cost: () => NaiveCost): EvidenceSources {
  const f = new Fetcher(es, cost);
  const domains: SubjectFilter = (a) => (Array.isArray(a[0]) ? orNothing(strings(a[0]).map(domainQuery)) : undefined);
  return {
    cloudTrail: naivePort(f, indices.cloudtrail, (d) => new MemoryCloudTrail(d), {
      keyActivity: (a) => (typeof a[0] === 'string' ? { term: { 'aws.cloudtrail.user_identity.access_key_id': a[0] } } : undefined),
      ipChangingCalls: () => ({ terms: { 'event.action': [...IP_CHANGING_ACTIONS] } }),
      instanceSessionsFrom: (a) => (Array.isArray(a[1]) ? { terms: { 'source.ip': strings(a[1]) } } : undefined),
    }),
    proxy: naivePort(f, indices.proxy, (d) => new MemoryProxy(d), {
      urlHits: (a) => (Array.isArray(a[0]) ? orNothing(strings(a[0]).flatMap((s) => [ci('url.full', s), ci('url.original', s)])) : undefined),
    }),
    // Each EDR method reads its own dataset.
    edr: naivePort(f, (m) => (m === 'processHits' ? indices.edrProcess : m === 'fileHits' ? indices.edrFile : indices.edrNetwork), (d) => new MemoryEdr(d), {
      domainContacts: domains,
      domainUsers: domains,
      processHits: (a) =>
        Array.isArray(a[0]) && Array.isArray(a[1])
          ? orNothing([
              ...strings(a[0]).flatMap((n) => [{ wildcard: { 'process.command_line': { value: `*${escapeWildcard(n)}*`, case_insensitive: true } } }, ci('process.name', n)]),
              ...hashQueries('process.hash', strings(a[1])),
            ])
          : undefined,
      fileHits: (a) => (Array.isArray(a[0]) && Array.isArray(a[1]) ? orNothing([...strings(a[0]).map((n) => ci('file.name', n)), ...hashQueries('file.hash', strings(a[1]))]) : undefined),
    }),
    oktaLog: naivePort(f, indices.okta, (d) => new MemoryOktaLog(d), {
      userEvents: (a) => userQuery(a[0]),
      signInUserAgents: (a) => userQuery(a[0]),
      userAgentsSeen: (a) => userQuery(a[0]),
      // MFA push fatigue: every event of the user in the window (the in-memory port picks the types and sign-ins).
      userEventsOfTypes: (a) => userQuery(a[0]),
      signInsFrom: (a) => userQuery(a[0]),
    }),
    agents: naivePort(f, indices.agentSightings, (d) => new MemoryAgentSightings(d), {
      // Every field a sighting may be read from (evidence-schema.md lists the device's own; related.ip is older code's).
      seenFrom: (a) => (Array.isArray(a[0]) ? anyOf(['related.ip', 'host.ip', 'source.nat.ip', 'client.nat.ip'].map((fl) => ({ terms: { [fl]: strings(a[0]) } }))) : undefined),
      sightings: (a) => (Array.isArray(a[0]) ? anyOf(['related.ip', 'host.ip', 'source.nat.ip', 'client.nat.ip'].map((fl) => ({ terms: { [fl]: strings(a[0]) } }))) : undefined),
    }),
    // The benchmark's data set has no Proofpoint clicks: the naive way reads the (empty) window as it would.
    proofpoint: naivePort(f, indices.proofpoint, (d) => new MemoryProofpointClicks(d), {
      clicks: (a) => (Array.isArray(a[0]) ? { terms: { 'url.full': strings(a[0]) } } : undefined),
    }),
    alerts: new ElasticAlertLookup(es, indices.alerts),
  };
}
