// Okta System Log and company-agent sightings from Elasticsearch.
import type { Client } from '@elastic/elasticsearch';
import { oktaEventFromEcs } from '../okta-ecs.js';
import { SIGN_IN } from '../okta-events.js';
import { expandDots } from '../documents.js';
import { DEFAULT_AGENT_IP_FIELDS, type AgentSightings, type OktaEvent, type OktaLogEvidence, type OktaUserRef, type Searched, type TimeWindow } from '../ports.js';
import { ipSpellings, isIp } from '../../enrich/ip.js';
import { indexedLengthCaps } from './fields.js';
import { aggregate, hasData, searchAll, timeRange, type Paging, type Query } from './search.js';

/** A day of one user's activity, read whole: pages of 1 000, up to 50 000 events (then the answer says it was cut). */
const DEFAULT_PAGING: Paging = { pageSize: 1000, maxPages: 50 };
/** Where Elastic's Okta integration puts the client address and the event type (as oktaEventFromEcs reads them). */
const CLIENT_IP_FIELDS = ['okta.client.ip', 'source.ip'];
const EVENT_TYPE_FIELDS = ['okta.event_type', 'event.action'];
const anyOf = (fields: string[], query: (field: string) => Query): Query => ({ bool: { should: fields.map(query), minimum_should_match: 1 } });
/** Where Elastic's Okta integration puts the raw user agent; either may be the only one a document carries. */
const USER_AGENT_FIELDS = ['okta.client.user_agent.raw_user_agent', 'user_agent.original'];

function userQuery(user: OktaUserRef): Query {
  const should: Query[] = [];
  if (user.id) should.push({ term: { 'okta.actor.id': user.id } });
  if (user.login) should.push({ term: { 'okta.actor.alternate_id': { value: user.login, case_insensitive: true } } });
  return { bool: { should, minimum_should_match: 1 } };
}

const successfulSignIns = (user: OktaUserRef): Query[] => [userQuery(user), { term: { 'okta.event_type': SIGN_IN } }, { terms: { 'okta.outcome.result': ['SUCCESS', 'ALLOW'] } }];

export class ElasticOktaLog implements OktaLogEvidence {
  private readonly paging: Paging;

  constructor(
    private readonly es: Client,
    private readonly index: string,
    opts: { paging?: Paging } = {},
  ) {
    this.paging = opts.paging ?? DEFAULT_PAGING;
  }

  async userEvents(user: OktaUserRef, window: TimeWindow): Promise<Searched<OktaEvent[]>> {
    return this.eventsMatching(userQuery(user), window);
  }

  async userEventsOfTypes(user: OktaUserRef, eventTypes: readonly string[], window: TimeWindow): Promise<Searched<OktaEvent[]>> {
    return this.eventsMatching({ bool: { filter: [userQuery(user), anyOf(EVENT_TYPE_FIELDS, (f) => ({ terms: { [f]: [...eventTypes] } }))] } }, window);
  }

  /**
   * Every event the filter matches in the window, oldest first: the filter is the query (Elasticsearch visits
   * the user's events only); whether the log has any event in the window is asked beside it, in one round trip.
   */
  private async eventsMatching(filter: Query, window: TimeWindow): Promise<Searched<OktaEvent[]>> {
    const [data, { hits, cut, pages }] = await Promise.all([
      hasData(this.es, this.index, timeRange(window)),
      searchAll(
        this.es,
        this.index,
        {
          query: { bool: { filter: [timeRange(window), filter] } },
          sort: [{ '@timestamp': 'asc' }, { 'okta.uuid': { order: 'asc', unmapped_type: 'keyword' } }],
          _source: ['@timestamp', 'okta', 'client', 'source', 'user_agent', 'event'],
        },
        this.paging,
      ),
    ]);
    const events = hits.flatMap((h) => oktaEventFromEcs(expandDots(h._source ?? {})) ?? []);
    return {
      hasData: data,
      found: events,
      ...(cut ? { incomplete: [`more than ${(pages - 1) * this.paging.pageSize} events of the user in ${window.from.toISOString()} – ${window.to.toISOString()}: the rest were not read`] } : {}),
    };
  }

  async signInsFrom(user: OktaUserRef, ips: string[], window: TimeWindow): Promise<Searched<string[]>> {
    // Only addresses go into a query (an ip field refuses anything else); the rest cannot have signed in.
    const valid = ips.filter(isIp);
    const from = (ip: string): Query => anyOf(CLIENT_IP_FIELDS, (f) => ({ terms: { [f]: ipSpellings(ip) } }));
    // The user's successful sign-ins from these addresses are the query; has-data beside it.
    const query: Query = { bool: { filter: [timeRange(window), ...successfulSignIns(user), { bool: { should: valid.map(from), minimum_should_match: 1 } }] } };
    const [data, { aggs }] = await Promise.all([
      hasData(this.es, this.index, timeRange(window)),
      valid.length
        ? aggregate<{ ips?: { buckets: Record<string, { doc_count: number }> } }>(this.es, this.index, query, {
            ips: { filters: { filters: Object.fromEntries(valid.map((ip, i) => [`ip${i}`, from(ip)])) } },
          })
        : { total: 0, aggs: {} as { ips?: { buckets: Record<string, { doc_count: number }> } } },
    ]);
    return { hasData: data, found: valid.filter((_, i) => (aggs.ips?.buckets[`ip${i}`]?.doc_count ?? 0) > 0) };
  }

  async userAgentsSeen(user: OktaUserRef, userAgents: string[], window: TimeWindow): Promise<Searched<string[]>> {
    const caps = await indexedLengthCaps(this.es, this.index, USER_AGENT_FIELDS);
    const carries = (ua: string): Query => ({ bool: { should: USER_AGENT_FIELDS.map((f) => ({ term: { [f]: ua } })), minimum_should_match: 1 } });
    const query: Query = { bool: { filter: [timeRange(window), ...successfulSignIns(user), { bool: { should: userAgents.map(carries), minimum_should_match: 1 } }] } };
    const [data, { aggs }] = await Promise.all([
      hasData(this.es, this.index, timeRange(window)),
      aggregate<{ ua: { buckets: Record<string, { doc_count: number }> } }>(this.es, this.index, query, {
        ua: { filters: { filters: Object.fromEntries(userAgents.map((ua, i) => [`ua${i}`, carries(ua)])) } },
      }),
    ]);
    const found = userAgents.filter((_, i) => (aggs.ua?.buckets[`ua${i}`]?.doc_count ?? 0) > 0);
    // A value longer than a field's indexed cap is kept in _source but never matches (dynamic mappings: 256).
    const incomplete = userAgents.flatMap((ua) =>
      found.includes(ua) ? [] : USER_AGENT_FIELDS.flatMap((f) => (caps[f] !== undefined && ua.length > caps[f]! ? [`a user agent of ${ua.length} characters is longer than ${f} indexes (${caps[f]}): it cannot be matched there`] : [])),
    );
    return { hasData: data, found, ...(incomplete.length ? { incomplete } : {}) };
  }
}

export class ElasticAgentSightings implements AgentSightings {
  constructor(
    private readonly es: Client,
    private readonly index: string,
    /** Fields that hold a device's own address (AGENT_IP_FIELDS). */
    private readonly fields: readonly string[] = DEFAULT_AGENT_IP_FIELDS,
  ) {}

  async seenFrom(ips: string[], window: TimeWindow): Promise<string[]> {
    if (ips.length === 0) return [];
    return (await this.sightings(ips, window)).found;
  }

  async sightings(ips: string[], window: TimeWindow): Promise<Searched<string[]>> {
    const own = (ip: string): Query => ({ bool: { should: this.fields.map((f) => ({ term: { [f]: ip } })), minimum_should_match: 1 } });
    // The addresses are the query (a terms query per field): Elasticsearch visits their events only; whether
    // the agents recorded anything in the window is asked beside it.
    const query: Query = { bool: { filter: [timeRange(window), { bool: { should: this.fields.map((f) => ({ terms: { [f]: ips } })), minimum_should_match: 1 } }] } };
    const [data, { aggs }] = await Promise.all([
      hasData(this.es, this.index, timeRange(window)),
      aggregate<{ ips: { buckets: Record<string, { doc_count: number }> } }>(this.es, this.index, query, {
        ips: { filters: { filters: Object.fromEntries(ips.map((ip) => [ip, own(ip)])) } },
      }),
    ]);
    return { hasData: data, found: ips.filter((ip) => (aggs.ips?.buckets[ip]?.doc_count ?? 0) > 0) };
  }
}
