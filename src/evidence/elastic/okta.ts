// Okta System Log and company-agent sightings from Elasticsearch.
import type { Client } from '@elastic/elasticsearch';
import { oktaEventFromEcs } from '../okta-ecs.js';
import { SIGN_IN } from '../okta-events.js';
import { expandDots } from '../documents.js';
import type { AgentSightings, OktaEvent, OktaLogEvidence, OktaUserRef, Searched, TimeWindow } from '../ports.js';
import { resolveFields } from './fields.js';
import { aggregate, keys, terms, timeRange, type Query, type TermsAgg } from './search.js';

/** Enough for a day of one user's activity; the flow needs only sign-ins and their sessions. */
const MAX_USER_EVENTS = 2000;

function userQuery(user: OktaUserRef): Query {
  const should: Query[] = [];
  if (user.id) should.push({ term: { 'okta.actor.id': user.id } });
  if (user.login) should.push({ term: { 'okta.actor.alternate_id': { value: user.login, case_insensitive: true } } });
  return { bool: { should, minimum_should_match: 1 } };
}

export class ElasticOktaLog implements OktaLogEvidence {
  constructor(
    private readonly es: Client,
    private readonly index: string,
  ) {}

  async userEvents(user: OktaUserRef, window: TimeWindow): Promise<Searched<OktaEvent[]>> {
    const body = await resolveFields(this.es, this.index, {
      query: timeRange(window),
      // The user filter applies to hits only; the aggregation sees the whole window (has the dataset data?).
      post_filter: userQuery(user),
      aggs: { window: { filter: { match_all: {} } } },
      sort: [{ '@timestamp': 'asc' }, { 'okta.uuid': { order: 'asc', unmapped_type: 'keyword' } }],
    });
    const res = await this.es.search<Record<string, unknown>>({
      index: this.index,
      size: MAX_USER_EVENTS,
      ignore_unavailable: true,
      allow_no_indices: true,
      ...body,
      _source: ['@timestamp', 'okta', 'client', 'source', 'user_agent', 'event'],
    });
    const windowCount = (res.aggregations?.['window'] as { doc_count?: number } | undefined)?.doc_count ?? 0;
    const events = res.hits.hits.flatMap((h) => oktaEventFromEcs(expandDots(h._source ?? {})) ?? []);
    return { hasData: windowCount > 0, found: events };
  }

  async signInUserAgents(user: OktaUserRef, window: TimeWindow): Promise<Searched<string[]>> {
    const { total, aggs } = await aggregate<{ signins: { agents: TermsAgg } }>(this.es, this.index, timeRange(window), {
      signins: {
        filter: { bool: { filter: [userQuery(user), { term: { 'okta.event_type': SIGN_IN } }, { terms: { 'okta.outcome.result': ['SUCCESS', 'ALLOW'] } }] } },
        aggs: { agents: terms('okta.client.user_agent.raw_user_agent', 1000) },
      },
    });
    return { hasData: total > 0, found: keys(aggs.signins?.agents).sort() };
  }
}

export class ElasticAgentSightings implements AgentSightings {
  constructor(
    private readonly es: Client,
    private readonly index: string,
  ) {}

  async seenFrom(ips: string[], window: TimeWindow): Promise<string[]> {
    if (ips.length === 0) return [];
    const { aggs } = await aggregate<{ ips: { buckets: Record<string, { doc_count: number }> } }>(this.es, this.index, timeRange(window), {
      ips: { filters: { filters: Object.fromEntries(ips.map((ip) => [ip, { term: { 'related.ip': ip } }])) } },
    });
    return ips.filter((ip) => (aggs.ips?.buckets[ip]?.doc_count ?? 0) > 0);
  }
}
