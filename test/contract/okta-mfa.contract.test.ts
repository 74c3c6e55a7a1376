// The MFA fatigue flow's questions to the Okta System Log port (its MFA events in a window; which IPs the
// user signed in from) and to company agents (with "has data"), against every implementation: Elasticsearch
// (our mapping, dynamic, mixed, paged), memory, and the Okta API through the real SDK (fake server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSightings, OktaLogEvidence } from '../../src/evidence/ports.js';
import { ElasticAgentSightings, ElasticOktaLog } from '../../src/evidence/elastic/okta.js';
import { MemoryAgentSightings, MemoryOktaLog } from '../../src/evidence/memory/okta.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { OktaApi } from '../../src/evidence/okta-api/api.js';
import { MFA_EVENT_TYPES } from '../../src/flows/mfa-fatigue/activity.js';
import { loadDynamic, loadMixed, testCluster, type TestCluster } from '../support/elastic.js';
import { agentSighting, apiEvent, ecsFromApi } from '../support/okta.js';
import { startFakeOkta, type FakeOkta } from '../fakes/okta-server.js';

const sam = { id: '00uSAM00000000000001', login: 'sam.lee@example.com' };
const kim = { id: '00uKIM00000000000002', login: 'kim@example.com' };
const ATT = '185.220.101.33';
const api = [
  apiEvent({ at: '2026-09-14T03:05:12Z', user: sam, ip: ATT, eventType: 'system.push.send_factor_verify_push', uuid: 'm1' }),
  apiEvent({ at: '2026-09-14T03:05:20Z', user: sam, ip: '172.58.14.201', eventType: 'user.mfa.okta_verify.deny_push', outcome: 'FAILURE', uuid: 'm2' }),
  apiEvent({ at: '2026-09-14T03:08:14Z', user: sam, ip: ATT, eventType: 'user.authentication.auth_via_mfa', factor: 'OKTA_VERIFY_PUSH', outcome: 'FAILURE', uuid: 'm3' }),
  apiEvent({ at: '2026-09-14T03:11:15Z', user: sam, ip: ATT, eventType: 'user.authentication.auth_via_mfa', factor: 'OKTA_VERIFY_PUSH', uuid: 'm4' }),
  apiEvent({ at: '2026-09-14T03:11:16Z', user: sam, ip: ATT, eventType: 'user.session.start', uuid: 'm5' }),
  apiEvent({ at: '2026-09-14T03:14:02Z', user: sam, ip: '172.58.14.201', eventType: 'user.account.report_suspicious_activity_by_enduser', uuid: 'm6' }),
  apiEvent({ at: '2026-09-14T03:06:00Z', user: kim, ip: ATT, eventType: 'user.mfa.okta_verify.deny_push', uuid: 'k1' }),
  // History: a successful sign-in from home, a failed one from elsewhere, and kim's from a third IP.
  apiEvent({ at: '2026-08-20T19:02:11Z', user: sam, ip: '81.2.69.160', uuid: 'h1' }),
  apiEvent({ at: '2026-08-21T19:02:11Z', user: sam, ip: '203.0.113.77', outcome: 'FAILURE', uuid: 'h2' }),
  apiEvent({ at: '2026-08-22T19:02:11Z', user: kim, ip: '198.51.100.50', uuid: 'h3' }),
  apiEvent({ at: '2026-08-23T19:02:11Z', user: sam, ip: '2001:db8::5', uuid: 'h4' }),
];
// Okta logins are case-insensitive: Sam's own events name him in another case than the question below.
const ecs = (e: Record<string, unknown>) => {
  const doc = ecsFromApi(e);
  const okta = doc['okta'] as { actor: { alternate_id: string } };
  if (okta.actor.alternate_id === sam.login) okta.actor.alternate_id = 'Sam.Lee@Example.COM';
  return doc;
};
const window = { from: new Date('2026-09-14T02:11:15Z'), to: new Date('2026-09-14T04:11:15Z') };
const history = { from: new Date('2026-06-16T03:11:15Z'), to: new Date('2026-09-13T03:11:15Z') };
const empty = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') };

let cluster: TestCluster;
let fake: FakeOkta;
let dynamicOkta: string;
let mixedOkta: string;
beforeAll(async () => {
  [cluster, fake] = await Promise.all([testCluster(), startFakeOkta({ events: api, users: [{ ...sam, factors: [] }, { ...kim, factors: [] }] })]);
  const report = await cluster.load([...api.map(ecs), agentSighting('2026-09-01T00:00:00Z', '89.160.20.128')]);
  expect(report.rejected).toEqual([]);
  dynamicOkta = await loadDynamic(cluster, 'okta', api.map(ecs));
  mixedOkta = await loadMixed(cluster, 'okta', api.map(ecs));
});
afterAll(async () => Promise.all([cluster?.cleanup(), fake?.close()]));

const logs: Array<[string, () => OktaLogEvidence]> = [
  ['elasticsearch', () => new ElasticOktaLog(cluster.es, cluster.indices.okta)],
  ['elasticsearch, dynamically mapped', () => new ElasticOktaLog(cluster.es, dynamicOkta)],
  ['elasticsearch, mixed mappings', () => new ElasticOktaLog(cluster.es, mixedOkta)],
  ['elasticsearch, pages of 2', () => new ElasticOktaLog(cluster.es, cluster.indices.okta, { paging: { pageSize: 2, maxPages: 100 } })],
  ['memory', () => new MemoryOktaLog(new MemoryDocuments(api.map(ecs)))],
  ['okta api', () => new OktaApi({ orgUrl: fake.url, token: fake.token })],
];

describe.each(logs)('Okta System Log port, MFA questions (%s)', (_name, make) => {
  it('returns the user’s MFA events in the window only, oldest first, with outcome and factor', async () => {
    const res = await make().userEventsOfTypes({ login: 'SAM.LEE@example.com' }, MFA_EVENT_TYPES, window);
    expect(res.hasData).toBe(true);
    expect(res.incomplete).toBeUndefined();
    expect(res.found.map((e) => [e.uuid, e.eventType, e.outcome, e.factor ?? null, e.ip])).toEqual([
      ['m1', 'system.push.send_factor_verify_push', 'SUCCESS', null, ATT],
      ['m2', 'user.mfa.okta_verify.deny_push', 'FAILURE', null, '172.58.14.201'],
      ['m3', 'user.authentication.auth_via_mfa', 'FAILURE', 'OKTA_VERIFY_PUSH', ATT],
      ['m4', 'user.authentication.auth_via_mfa', 'SUCCESS', 'OKTA_VERIFY_PUSH', ATT],
      ['m6', 'user.account.report_suspicious_activity_by_enduser', 'SUCCESS', null, '172.58.14.201'],
    ]);
  });

  it('finds the same events by the user’s id', async () => {
    const res = await make().userEventsOfTypes({ id: sam.id }, MFA_EVENT_TYPES, window);
    expect(res.found.map((e) => e.uuid)).toEqual(['m1', 'm2', 'm3', 'm4', 'm6']);
  });

  it('tells which IPs a successful sign-in of the user came from (failed ones and other users’ do not count)', async () => {
    const res = await make().signInsFrom({ login: 'sam.lee@EXAMPLE.com' }, ['81.2.69.160', '203.0.113.77', '198.51.100.50', ATT, '2001:0db8:0:0::5'], history);
    expect(res.hasData).toBe(true);
    expect(res.found).toEqual(['81.2.69.160', '2001:0db8:0:0::5']);
  });
});

describe.each([
  ['elasticsearch', () => new ElasticOktaLog(cluster.es, cluster.indices.okta)],
  ['memory', () => new MemoryOktaLog(new MemoryDocuments(api.map(ecs)))],
] as Array<[string, () => OktaLogEvidence]>)('Okta System Log port, no data (%s)', (_name, make) => {
  it('says when the window holds no Okta event at all', async () => {
    expect(await make().userEventsOfTypes({ id: sam.id }, MFA_EVENT_TYPES, empty)).toEqual({ hasData: false, found: [] });
    expect(await make().signInsFrom({ id: sam.id }, ['81.2.69.160'], empty)).toEqual({ hasData: false, found: [] });
  });
});

describe('Okta System Log port, MFA events cut short (elasticsearch)', () => {
  it('says the events were cut, never drops the rest silently', async () => {
    const res = await new ElasticOktaLog(cluster.es, cluster.indices.okta, { paging: { pageSize: 2, maxPages: 1 } }).userEventsOfTypes({ id: sam.id }, MFA_EVENT_TYPES, window);
    expect(res.found.map((e) => e.uuid)).toEqual(['m1', 'm2']);
    expect(res.incomplete).toEqual([expect.stringMatching(/^more than 2 events of the user in /)]);
  });
});

describe.each([
  ['elasticsearch', (): AgentSightings => new ElasticAgentSightings(cluster.es, cluster.indices.agentSightings)],
  ['memory', (): AgentSightings => new MemoryAgentSightings(new MemoryDocuments([agentSighting('2026-09-01T00:00:00Z', '89.160.20.128')]))],
])('company agent sightings with "has data" (%s)', (_name, make) => {
  it('tells the sightings, and whether the agent indices hold anything in the window', async () => {
    const month = { from: new Date('2026-08-15T00:00:00Z'), to: new Date('2026-09-14T03:11:15Z') };
    expect(await make().sightings(['89.160.20.128', ATT], month)).toEqual({ hasData: true, found: ['89.160.20.128'] });
    expect(await make().sightings([ATT], empty)).toEqual({ hasData: false, found: [] });
  });
});
