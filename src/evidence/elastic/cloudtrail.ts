// CloudTrail evidence from Elasticsearch: aggregations per source address, never a scan of raw events.
import type { Client } from '@elastic/elasticsearch';
import { instanceIdOfPrincipal, ipChangingCallFromDocument } from '../cloudtrail-targets.js';
import { expandDots } from '../documents.js';
import { sameIp } from '../../enrich/ip.js';
import {
  IP_CHANGING_ACTIONS,
  type AddressUsage,
  type CloudTrailEvidence,
  type InstanceSighting,
  type IpChangingCall,
  type KeyActivity,
  type TimeWindow,
} from '../ports.js';
import { resolveFields } from './fields.js';
import { aggregate, dateOf, keys, terms, timeRange, type Bucket, type Query, type TermsAgg, type ValueAgg } from './search.js';

const MAX_ADDRESSES = 500;
const MAX_CALLS = 1000;

interface AddressBucket extends Bucket {
  first: ValueAgg;
  last: ValueAgg;
  agents: TermsAgg;
  actions: TermsAgg;
}

const perAddress = {
  first: { min: { field: '@timestamp' } },
  last: { max: { field: '@timestamp' } },
  agents: terms('user_agent.original', 100),
  actions: terms('event.action', 100),
};

function usage(b: AddressBucket): AddressUsage {
  return {
    address: String(b.key_as_string ?? b.key),
    firstSeen: dateOf(b.first) ?? new Date(0),
    lastSeen: dateOf(b.last) ?? new Date(0),
    events: b.doc_count,
    userAgents: keys(b.agents),
    eventNames: keys(b.actions),
  };
}

/** Calls that failed are not successful IP changes. */
const SUCCESSFUL: Query[] = [{ term: { 'event.outcome': 'failure' } }, { exists: { field: 'aws.cloudtrail.error_code' } }];

export class ElasticCloudTrail implements CloudTrailEvidence {
  constructor(
    private readonly es: Client,
    private readonly index: string,
  ) {}

  async keyActivity(accessKeyId: string, window: TimeWindow): Promise<KeyActivity> {
    const { total, aggs } = await aggregate<{
      by_address: TermsAgg<AddressBucket>;
      no_address: { by_ip: TermsAgg<AddressBucket> };
      principals: TermsAgg;
      arns: TermsAgg;
      accounts: TermsAgg;
    }>(
      this.es,
      this.index,
      { bool: { filter: [{ term: { 'aws.cloudtrail.user_identity.access_key_id': accessKeyId } }, timeRange(window)] } },
      {
        by_address: { ...terms('source.address', MAX_ADDRESSES), aggs: perAddress },
        // Documents written without source.address still carry source.ip.
        no_address: {
          filter: { bool: { must_not: { exists: { field: 'source.address' } } } },
          aggs: { by_ip: { ...terms('source.ip', MAX_ADDRESSES), aggs: perAddress } },
        },
        principals: terms('user.id', 20),
        arns: terms('aws.cloudtrail.user_identity.arn', 20),
        accounts: terms('cloud.account.id', 10),
      },
    );
    const byAddress = [...(aggs.by_address?.buckets ?? []), ...(aggs.no_address?.by_ip?.buckets ?? [])].map(usage);
    return { events: total, byAddress, principalIds: [...keys(aggs.principals), ...keys(aggs.arns)], accountIds: keys(aggs.accounts) };
  }

  async ipChangingCalls(accountId: string | undefined, window: TimeWindow): Promise<IpChangingCall[]> {
    const filter: Query[] = [{ terms: { 'event.action': [...IP_CHANGING_ACTIONS] } }, timeRange(window)];
    if (accountId) filter.push({ term: { 'cloud.account.id': accountId } });
    // Few documents by nature (state changes, not data-plane calls): read them, their parameters only.
    const body = await resolveFields(this.es, this.index, { query: { bool: { filter, must_not: SUCCESSFUL } } });
    const res = await this.es.search<Record<string, unknown>>({
      index: this.index,
      size: MAX_CALLS,
      ignore_unavailable: true,
      allow_no_indices: true,
      ...body,
      sort: [{ '@timestamp': 'asc' }],
      _source: ['@timestamp', 'event.action', 'cloud.account.id', 'aws.cloudtrail.request_parameters', 'aws.cloudtrail.response_elements', 'aws.cloudtrail.flattened'],
    });
    return res.hits.hits.flatMap((hit) => {
      const call = ipChangingCallFromDocument(expandDots(hit._source ?? {}));
      return call ? [call] : [];
    });
  }

  async instanceSessionsFrom(accountId: string | undefined, ips: string[], window: TimeWindow): Promise<InstanceSighting[]> {
    if (ips.length === 0) return [];
    const filter: Query[] = [{ terms: { 'source.ip': ips } }, timeRange(window)];
    if (accountId) filter.push({ term: { 'cloud.account.id': accountId } });
    const { aggs } = await aggregate<{ by_ip: TermsAgg<Bucket & { principals: TermsAgg; arns: TermsAgg }> }>(
      this.es,
      this.index,
      { bool: { filter } },
      { by_ip: { ...terms('source.ip', ips.length), aggs: { principals: terms('user.id', 200), arns: terms('aws.cloudtrail.user_identity.arn', 200) } } },
    );
    const out: InstanceSighting[] = [];
    for (const b of aggs.by_ip?.buckets ?? []) {
      const key = String(b.key_as_string ?? b.key);
      const instances = new Set([...keys(b.principals), ...keys(b.arns)].flatMap((p) => instanceIdOfPrincipal(p) ?? []));
      // Report the address as it was asked for, whatever spelling Elasticsearch returns.
      for (const instanceId of instances) out.push({ ip: ips.find((i) => sameIp(i, key)) ?? key, instanceId });
    }
    return out;
  }
}

