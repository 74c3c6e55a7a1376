// CloudTrail evidence from Elasticsearch: aggregations per source address, never a scan of the key's raw
// events; calls read only where they can explain a change. Every list is read whole (composite paging,
// search_after) or says what was cut.
import type { Client } from '@elastic/elasticsearch';
import { callAnswers, instanceIdOfPrincipal, ipChangingCallFromDocument } from '../cloudtrail-targets.js';
import { expandDots } from '../documents.js';
import { sameIp } from '../../enrich/ip.js';
import {
  IP_CHANGING_ACTIONS,
  type AddressUsage,
  type CallQuery,
  type CloudTrailEvidence,
  type Found,
  type InstanceSighting,
  type IpChangingCall,
  type KeyActivity,
  type TimeWindow,
} from '../ports.js';
import { compositeAll, dateOf, keys, searchAll, terms, timeRange, type CappedTermsAgg, type CompositeBucket, type Paging, type Query, type TermsAgg, type ValueAgg } from './search.js';

const MAX_AGENTS_PER_ADDRESS = 100;
const DEFAULT_PAGING: Paging = { pageSize: 500, maxPages: 20 };

const perAddress = {
  first: { min: { field: '@timestamp' } },
  last: { max: { field: '@timestamp' } },
  agents: terms('user_agent.original', MAX_AGENTS_PER_ADDRESS),
  no_agent: { missing: { field: 'user_agent.original' } },
  actions: terms('event.action', 20),
};

/** Calls that failed are not successful IP changes. */
const FAILED: Query[] = [{ term: { 'event.outcome': 'failure' } }, { exists: { field: 'aws.cloudtrail.error_code' } }];

const REQUEST = 'aws.cloudtrail.flattened.request_parameters';
const RESPONSE = 'aws.cloudtrail.flattened.response_elements';
/**
 * Where a call's instance fields and addresses sit. With Elastic's mapping (`flattened`) a term on the root
 * matches any leaf; with dynamically mapped objects, the named paths do. Both over-match (a tag value, say):
 * every hit is read and checked with callAnswers, as the in-memory store checks it.
 */
const INSTANCE_PATHS = ['instanceId', 'instancesSet.items.instanceId', 'attachment.instanceId', 'networkInterface.attachment.instanceId'];
const IP_PATHS = ['publicIp', 'natGateway.natGatewayAddressSet.items.publicIp'];

function named(values: string[], paths: string[]): Query[] {
  if (values.length === 0) return [];
  return [REQUEST, RESPONSE].flatMap((root) => [{ terms: { [root]: values } }, ...paths.map((p) => ({ terms: { [`${root}.${p}`]: values } }))]);
}

interface ElasticCloudTrailOptions {
  /** Page size and page budget of every paged read. */
  paging?: Paging;
}

const SESSION_ISSUER = 'aws.cloudtrail.user_identity.session_context.session_issuer.arn';

export class ElasticCloudTrail implements CloudTrailEvidence {
  private readonly paging: Paging;

  constructor(
    private readonly es: Client,
    private readonly index: string,
    opts: ElasticCloudTrailOptions = {},
  ) {
    this.paging = opts.paging ?? DEFAULT_PAGING;
  }

  async keyActivity(accessKeyId: string, window: TimeWindow): Promise<KeyActivity> {
    // One bucket per (source.address, source.ip): documents written without source.address still carry source.ip.
    const { total, buckets, first, cut, pages } = await compositeAll<{ principals?: TermsAgg; arns?: TermsAgg; issuers?: TermsAgg; accounts?: TermsAgg }>(
      this.es,
      this.index,
      { bool: { filter: [{ term: { 'aws.cloudtrail.user_identity.access_key_id': accessKeyId } }, timeRange(window)] } },
      [{ address: { terms: { field: 'source.address', missing_bucket: true } } }, { ip: { terms: { field: 'source.ip', missing_bucket: true } } }],
      perAddress,
      this.paging,
      { principals: terms('user.id', 20), arns: terms('aws.cloudtrail.user_identity.arn', 20), issuers: terms(SESSION_ISSUER, 20), accounts: terms('cloud.account.id', 10) },
    );
    const byKey = new Map<string, AddressUsage>();
    let eventsWithoutAddress = 0;
    for (const b of buckets) {
      const address = b.key['address'] ?? b.key['ip'];
      if (address === null || address === undefined) {
        eventsWithoutAddress += b.doc_count;
        continue;
      }
      const u = usage(String(address), b);
      const prev = byKey.get(u.address);
      byKey.set(u.address, prev ? mergeUsage(prev, u) : u);
    }
    const byAddress = [...byKey.values()].sort((a, b) => b.events - a.events || (a.address < b.address ? -1 : 1));
    return {
      events: total,
      byAddress,
      eventsWithoutAddress,
      ...(cut ? { addressesCut: `more than ${pages * this.paging.pageSize} source addresses: the rest were not read` } : {}),
      principalIds: [...keys(first.principals), ...keys(first.arns)],
      sessionIssuerArns: keys(first.issuers),
      accountIds: keys(first.accounts),
    };
  }

  async ipChangingCalls(q: CallQuery): Promise<Found<IpChangingCall[]>> {
    if (q.windows.length === 0) return { found: [] };
    const should: Query[] = [
      ...named(q.instanceIds, INSTANCE_PATHS),
      ...named(q.ips, IP_PATHS),
      // A call whose parameters are only a string (Elastic keeps no flattened form above 32 KB) cannot be
      // asked by field: read it, and let the parser tell.
      { bool: { must_not: { exists: { field: REQUEST } } } },
      { bool: { filter: { exists: { field: 'aws.cloudtrail.response_elements' } }, must_not: { exists: { field: RESPONSE } } } },
    ];
    const query: Query = {
      bool: {
        filter: [
          { terms: { 'event.action': [...IP_CHANGING_ACTIONS] } },
          { term: { 'cloud.account.id': q.accountId } },
          { bool: { should: q.windows.map(timeRange), minimum_should_match: 1 } },
          { bool: { should, minimum_should_match: 1 } },
        ],
        must_not: FAILED,
      },
    };
    const { hits, cut, pages } = await searchAll(
      this.es,
      this.index,
      {
        query,
        sort: [{ '@timestamp': 'asc' }],
        _source: ['@timestamp', 'event.action', 'cloud.account.id', 'aws.cloudtrail.request_parameters', 'aws.cloudtrail.response_elements', 'aws.cloudtrail.flattened'],
      },
      this.paging,
    );
    const found = hits.flatMap((hit) => ipChangingCallFromDocument(expandDots(hit._source ?? {})) ?? []).filter((c) => callAnswers(c, q));
    return { found, ...(cut ? { incomplete: [`more than ${(pages - 1) * this.paging.pageSize} candidate IP-changing calls: the rest were not read`] } : {}) };
  }

  async instanceSessionsFrom(accountId: string, ips: string[], window: TimeWindow): Promise<Found<InstanceSighting[]>> {
    if (ips.length === 0) return { found: [] };
    const { buckets, cut, pages } = await compositeAll(
      this.es,
      this.index,
      { bool: { filter: [{ terms: { 'source.ip': ips } }, { term: { 'cloud.account.id': accountId } }, timeRange(window)] } },
      [
        { ip: { terms: { field: 'source.ip' } } },
        { principal: { terms: { field: 'user.id', missing_bucket: true } } },
        { arn: { terms: { field: 'aws.cloudtrail.user_identity.arn', missing_bucket: true } } },
      ],
      {},
      this.paging,
    );
    const seen = new Set<string>();
    const out: InstanceSighting[] = [];
    for (const b of buckets) {
      const key = String(b.key['ip']);
      // Report the address as it was asked for, whatever spelling Elasticsearch returns.
      const ip = ips.find((i) => sameIp(i, key)) ?? key;
      for (const p of [b.key['principal'], b.key['arn']]) {
        const instanceId = typeof p === 'string' ? instanceIdOfPrincipal(p) : undefined;
        if (instanceId && !seen.has(`${ip}|${instanceId}`)) {
          seen.add(`${ip}|${instanceId}`);
          out.push({ ip, instanceId });
        }
      }
    }
    return { found: out, ...(cut ? { incomplete: [`more than ${pages * this.paging.pageSize} sessions seen from the new IPs: the rest were not read`] } : {}) };
  }
}

function usage(address: string, b: CompositeBucket): AddressUsage {
  const agents = b['agents'] as CappedTermsAgg | undefined;
  return {
    address,
    firstSeen: dateOf(b['first'] as ValueAgg) ?? new Date(0),
    lastSeen: dateOf(b['last'] as ValueAgg) ?? new Date(0),
    events: b.doc_count,
    userAgents: keys(agents),
    userAgentsCut: agents?.sum_other_doc_count ?? 0,
    eventsWithoutUserAgent: (b['no_agent'] as { doc_count?: number } | undefined)?.doc_count ?? 0,
    eventNames: keys(b['actions'] as TermsAgg | undefined),
    calls: ((b['actions'] as TermsAgg | undefined)?.buckets ?? []).map((c) => ({ name: String(c.key_as_string ?? c.key), events: c.doc_count })),
  };
}

/** Two addresses' call counts as one, most first. */
function mergeCalls(a: AddressUsage['calls'], b: AddressUsage['calls']): AddressUsage['calls'] {
  const counts = new Map<string, number>();
  for (const c of [...(a ?? []), ...(b ?? [])]) counts.set(c.name, (counts.get(c.name) ?? 0) + c.events);
  return [...counts.entries()].map(([name, events]) => ({ name, events })).sort((x, y) => y.events - x.events || (x.name < y.name ? -1 : 1));
}

/** Two buckets of one address (one with source.address, one with only source.ip). */
function mergeUsage(a: AddressUsage, b: AddressUsage): AddressUsage {
  return {
    address: a.address,
    firstSeen: a.firstSeen < b.firstSeen ? a.firstSeen : b.firstSeen,
    lastSeen: a.lastSeen > b.lastSeen ? a.lastSeen : b.lastSeen,
    events: a.events + b.events,
    userAgents: [...new Set([...a.userAgents, ...b.userAgents])],
    userAgentsCut: a.userAgentsCut + b.userAgentsCut,
    eventsWithoutUserAgent: a.eventsWithoutUserAgent + b.eventsWithoutUserAgent,
    eventNames: [...new Set([...a.eventNames, ...b.eventNames])],
    calls: mergeCalls(a.calls, b.calls),
  };
}
