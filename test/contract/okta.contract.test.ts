// One suite, three implementations of the Okta System Log port: Elasticsearch, memory, and the Okta API (fake).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSightings, OktaLogEvidence } from '../../src/evidence/ports.js';
import { ElasticAgentSightings, ElasticOktaLog } from '../../src/evidence/elastic/okta.js';
import { MemoryAgentSightings, MemoryOktaLog } from '../../src/evidence/memory/okta.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { OktaApi } from '../../src/evidence/okta-api/api.js';
import { loadDynamic, loadMixed, testCluster, type TestCluster } from '../support/elastic.js';
import { agentSighting, apiEvent, ecsFromApi, jamfCheckIn, proxyVisit } from '../support/okta.js';
import { startFakeOkta, type FakeOkta } from '../fakes/okta-server.js';

const jane = { id: '00uJANE0000000000001', login: 'jane@example.com' };
const joe = { id: '00uJOE00000000000002', login: 'joe@example.com' };
const geo = { lat: 52.37, lon: 4.89, city: 'Amsterdam', country: 'NL' };
/** A sign-in whose ECS form carries the user agent only in user_agent.original (the API event is unchanged). */
const ecsOnlyUa = apiEvent({ at: '2026-02-03T11:00:00Z', user: jane, ip: '192.0.2.2', ua: 'UA-ECS-ONLY', session: 's9', uuid: 'u6' });
const ecs = (e: Record<string, unknown>) => {
  const doc = ecsFromApi(e);
  // Elastic's Okta pipeline writes Okta's country (a name) to client.geo.country_name, and no ISO code.
  const geo = (doc['client'] as { geo?: Record<string, unknown> } | undefined)?.geo;
  if (geo && e['uuid'] === 'u3') {
    geo['country_name'] = geo['country_iso_code'];
    delete geo['country_iso_code'];
  }
  if (e === ecsOnlyUa) delete (doc['okta'] as { client: Record<string, unknown> }).client['user_agent'];
  return doc;
};
const api = [
  apiEvent({ at: '2026-03-01T10:00:00Z', user: jane, ip: '203.0.113.5', ua: 'UA-1', session: 's1', fingerprint: 'fp1', geo, proxy: true, asOrg: 'M247', uuid: 'u1' }),
  apiEvent({ at: '2026-03-01T10:01:00Z', user: jane, ip: '203.0.113.5', ua: 'UA-1', session: 's1', eventType: 'user.authentication.auth_via_mfa', factor: 'OKTA_VERIFY_PUSH', uuid: 'u2' }),
  apiEvent({ at: '2026-03-01T09:59:00Z', user: jane, ip: '203.0.113.5', ua: 'UA-1', outcome: 'FAILURE', uuid: 'u0' }),
  apiEvent({ at: '2026-03-01T11:00:00Z', user: joe, ip: '198.51.100.9', ua: 'UA-J', session: 's2', uuid: 'u3', geo: { lat: 37.7201, lon: -121.919, city: 'Dublin', country: 'United States' } }),
  apiEvent({ at: '2026-02-01T11:00:00Z', user: jane, ip: '192.0.2.1', ua: 'UA-OLD', session: 's0', uuid: 'u4' }),
  apiEvent({ at: '2026-02-02T11:00:00Z', user: jane, ip: '192.0.2.1', ua: 'UA-FAILED', outcome: 'FAILURE', uuid: 'u5' }),
  ecsOnlyUa,
];
const agents = [
  agentSighting('2026-02-20T00:00:00Z', '203.0.113.5'),
  // A device's egress through Zscaler (source.nat.ip) and the web server it visited (destination.ip, also in related.ip).
  proxyVisit('2026-02-21T00:00:00Z', { egress: '198.51.100.77', server: '185.220.101.9' }),
  jamfCheckIn('2026-02-22T00:00:00Z', '192.0.2.66'),
];
const day = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') };
const history = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-28T00:00:00Z') };

let cluster: TestCluster;
let fake: FakeOkta;
let dynamicOkta: string;
let dynamicAgents: string;
let mixedOkta: string;
let mixedAgents: string;
beforeAll(async () => {
  [cluster, fake] = await Promise.all([testCluster(), startFakeOkta({ events: api, users: [{ ...jane, factors: [] }, { ...joe, factors: [] }] })]);
  const report = await cluster.load([...api.map(ecs), ...agents]);
  expect(report.rejected).toEqual([]);
  dynamicOkta = await loadDynamic(cluster, 'okta', api.map(ecs));
  dynamicAgents = await loadDynamic(cluster, 'agents', agents);
  mixedOkta = await loadMixed(cluster, 'okta', api.map(ecs));
  // EDR and Zscaler under our templates (host.ip, source.nat.ip as ip), the Jamf index dynamically mapped (host.ip as text).
  const [edr, proxy, jamf] = agents;
  mixedAgents = await loadMixed(cluster, 'agents', [edr, jamf, proxy]);
});
afterAll(async () => Promise.all([cluster?.cleanup(), fake?.close()]));

const memory = () => new MemoryDocuments([...api.map(ecs), ...agents]);
const logs: Array<[string, () => OktaLogEvidence]> = [
  ['elasticsearch', () => new ElasticOktaLog(cluster.es, cluster.indices.okta)],
  ['elasticsearch, dynamically mapped', () => new ElasticOktaLog(cluster.es, dynamicOkta)],
  ['elasticsearch, mixed mappings', () => new ElasticOktaLog(cluster.es, mixedOkta)],
  ['elasticsearch, mixed mappings, pages of 2', () => new ElasticOktaLog(cluster.es, mixedOkta, { paging: { pageSize: 2, maxPages: 100 } })],
  // Read in pages of two (search_after under a point in time): nothing lost, nothing doubled.
  ['elasticsearch, pages of 2', () => new ElasticOktaLog(cluster.es, cluster.indices.okta, { paging: { pageSize: 2, maxPages: 100 } })],
  ['memory', () => new MemoryOktaLog(memory())],
  ['okta api', () => new OktaApi({ orgUrl: fake.url, token: fake.token })],
];

describe.each(logs)('Okta System Log port (%s)', (_name, make) => {
  it('returns one user’s events in the window, oldest first, with every field the flow reads', async () => {
    const res = await make().userEvents({ id: jane.id }, day);
    expect(res.hasData).toBe(true);
    expect(res.found.map((e) => e.uuid)).toEqual(['u0', 'u1', 'u2']);
    expect(res.found[1]).toEqual({
      uuid: 'u1',
      time: new Date('2026-03-01T10:00:00Z'),
      eventType: 'user.session.start',
      actorId: jane.id,
      actorLogin: jane.login,
      ip: '203.0.113.5',
      userAgent: 'UA-1',
      outcome: 'SUCCESS',
      sessionId: 's1',
      deviceFingerprint: 'fp1',
      isProxy: true,
      asOrg: 'M247',
      geo: { lat: 52.37, lon: 4.89, city: 'Amsterdam', country: 'NL' },
    });
    expect(res.found[2]!.factor).toBe('OKTA_VERIFY_PUSH');
    expect(res.found[0]!.outcome).toBe('FAILURE');
  });

  it('v3: takes the country from client.geo.country_name when the document has no ISO code (Elastic’s Okta pipeline)', async () => {
    const res = await make().userEvents({ id: joe.id }, day);
    expect(res.found.map((e) => e.geo)).toEqual([{ lat: 37.7201, lon: -121.919, city: 'Dublin', country: 'United States' }]);
  });

  it('tells which user agents the user’s successful sign-ins carried (failed ones do not count)', async () => {
    const res = await make().userAgentsSeen({ id: jane.id }, ['UA-OLD', 'UA-FAILED', 'UA-NEVER'], history);
    expect(res).toEqual({ hasData: true, found: ['UA-OLD'] });
  });

  it('v3: reads the user agent from user_agent.original when okta.client.user_agent.raw_user_agent is absent', async () => {
    const res = await make().userAgentsSeen({ id: jane.id }, ['UA-ECS-ONLY'], history);
    expect(res.found).toEqual(['UA-ECS-ONLY']);
  });
});

describe('Okta System Log port: a spent paging budget (elasticsearch)', () => {
  it('says the log was cut, never drops the newest events silently', async () => {
    const res = await new ElasticOktaLog(cluster.es, cluster.indices.okta, { paging: { pageSize: 2, maxPages: 1 } }).userEvents({ id: jane.id }, day);
    expect(res.found.map((e) => e.uuid)).toEqual(['u0', 'u1']);
    expect(res.incomplete).toEqual([expect.stringMatching(/^more than 2 events of the user in /)]);
  });
});

describe.each([
  ['elasticsearch', (): AgentSightings => new ElasticAgentSightings(cluster.es, cluster.indices.agentSightings)],
  ['elasticsearch, dynamically mapped', (): AgentSightings => new ElasticAgentSightings(cluster.es, dynamicAgents)],
  // host.ip an ip in the EDR and Jamf indices, text + .keyword in a dynamically mapped one (v3: known IPs were lost).
  ['elasticsearch, mixed mappings', (): AgentSightings => new ElasticAgentSightings(cluster.es, mixedAgents)],
  ['memory', (): AgentSightings => new MemoryAgentSightings(memory())],
])('company agent sightings (%s)', (_name, make) => {
  it('tells which IPs company agents were seen from in the window', async () => {
    expect(await make().seenFrom(['203.0.113.5', '198.51.100.9'], { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') })).toEqual(['203.0.113.5']);
    expect(await make().seenFrom(['203.0.113.5'], { from: new Date('2026-02-20T12:00:00Z'), to: new Date('2026-03-01T00:00:00Z') })).toEqual([]);
  });

  it('v3: a device’s own address only (EDR and Jamf host.ip, Zscaler source.nat.ip), never a server it visited (destination.ip, related.ip)', async () => {
    const month = { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') };
    expect(await make().seenFrom(['185.220.101.9', '198.51.100.77', '192.0.2.66', '10.1.2.3'], month)).toEqual(['198.51.100.77', '192.0.2.66', '10.1.2.3']);
  });
});
