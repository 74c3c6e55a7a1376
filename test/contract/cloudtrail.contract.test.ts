// One suite, two implementations: the CloudTrail port must answer the same on Elasticsearch and in memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallQuery, CloudTrailEvidence } from '../../src/evidence/ports.js';
import { ElasticCloudTrail } from '../../src/evidence/elastic/cloudtrail.js';
import { MemoryCloudTrail } from '../../src/evidence/memory/cloudtrail.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { loadDynamic, loadMixed, testCluster, type TestCluster } from '../support/elastic.js';
import { UA, changeCall, keyEvent } from '../support/cloudtrail.js';

const KEY = 'ASIACONTRACTKEY0001';
const window = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-01T23:59:59Z') };

const docs: Record<string, unknown>[] = [
  keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-01T08:00:00Z', action: 'ListBuckets' }),
  keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-01T08:05:00Z', action: 'GetObject', ua: UA.boto3Linux }),
  keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-01T08:09:00Z', action: 'GetObject', outcome: 'failure' }),
  keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-01T09:00:00Z', action: 'GetCallerIdentity', ua: UA.macCli }),
  keyEvent({ key: KEY, ip: 'ec2.amazonaws.com', at: '2026-11-01T09:30:00Z', ua: UA.internal }),
  // Outside the window, and another key: never counted.
  keyEvent({ key: KEY, ip: '3.80.9.9', at: '2026-11-02T08:00:00Z' }),
  keyEvent({ key: 'ASIAOTHERKEY0000001', ip: '3.80.9.8', at: '2026-11-01T08:00:00Z' }),
  // A document written with source.ip but no source.address.
  { ...keyEvent({ key: KEY, ip: '3.80.1.12', at: '2026-11-01T10:00:00Z' }), source: { ip: '3.80.1.12' } },
  changeCall({ at: '2026-11-01T08:30:00Z', action: 'RebootInstances', instances: ['i-0a1b2c3d4e5f60718'] }),
  changeCall({ at: '2026-11-01T08:31:00Z', action: 'AssociateAddress', instances: ['i-0a1b2c3d4e5f60718'], publicIp: '3.80.1.11', flattenedOnly: true }),
  changeCall({ at: '2026-11-01T08:32:00Z', action: 'StartInstances', instances: ['i-0ffffffffffffff01'], outcome: 'failure' }),
  changeCall({ at: '2026-11-01T08:33:00Z', action: 'StopInstances', instances: ['i-0eeeeeeeeeeeeee01'], account: '999988887777' }),
  changeCall({ at: '2026-11-01T08:34:00Z', action: 'ListBuckets', instances: ['i-0ddddddddddddd01'] }),
  keyEvent({ key: 'ASIAPROXYKEY0000001', ip: '3.80.1.20', at: '2026-11-01T08:40:00Z', instance: 'i-0bbbbbbbbbbbbbbb1' }),
  keyEvent({ key: 'ASIAPROXYKEY0000002', ip: '3.80.1.20', at: '2026-11-01T08:41:00Z', instance: 'i-0ccccccccccccccc1', account: '999988887777' }),
  // v3: an event with neither source.address nor source.ip forms no address.
  { ...keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-01T10:30:00Z' }), source: undefined },
  // v3 targets: the instance named only in a tag is no target; the Java-map string (Elastic's rendering) is read;
  // a network interface's attachment is; a call without an account never answers.
  tagged({ at: '2026-11-01T08:35:00Z', action: 'RunInstances', tagValue: 'i-0a1b2c3d4e5f60718', launched: 'i-0launched0000001' }),
  {
    ...changeCall({ at: '2026-11-01T08:36:00Z', action: 'StartInstances' }),
    aws: { cloudtrail: { user_identity: { type: 'IAMUser' }, request_parameters: '{instancesSet={items=[{instanceId=i-0a1b2c3d4e5f60718}]}}' } },
  },
  {
    ...changeCall({ at: '2026-11-01T08:37:00Z', action: 'AttachNetworkInterface' }),
    aws: { cloudtrail: { user_identity: { type: 'IAMUser' }, flattened: { request_parameters: { networkInterfaceId: 'eni-1', deviceIndex: 1 }, response_elements: { networkInterface: { attachment: { instanceId: 'i-natproxy01' } } } } } },
  },
  { ...changeCall({ at: '2026-11-01T08:38:00Z', action: 'RebootInstances', instances: ['i-0a1b2c3d4e5f60718'] }), cloud: undefined },
];

/** A RunInstances call whose tags mention an instance id; the response names the instance it launched. */
function tagged(c: { at: string; action: string; tagValue: string; launched: string }): Record<string, unknown> {
  const base = changeCall({ at: c.at, action: c.action });
  const request = { imageId: 'ami-1', tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'replaces', value: c.tagValue }] }] } };
  const response = { instancesSet: { items: [{ instanceId: c.launched }] } };
  return { ...base, aws: { cloudtrail: { user_identity: { type: 'IAMUser' }, request_parameters: JSON.stringify(request), flattened: { request_parameters: request, response_elements: response } } } };
}

const INSTANCE = 'i-0a1b2c3d4e5f60718';
const ACCOUNT = '111122223333';
const calls = (make: () => CloudTrailEvidence, q: Partial<CallQuery>) => make().ipChangingCalls({ accountId: ACCOUNT, windows: [window], instanceIds: [], ips: [], ...q });

let cluster: TestCluster;
let dynamicIndex: string;
let mixedPattern: string;
beforeAll(async () => {
  cluster = await testCluster();
  const report = await cluster.load(docs);
  expect(report.rejected).toEqual([]);
  dynamicIndex = await loadDynamic(cluster, 'cloudtrail', docs);
  mixedPattern = await loadMixed(cluster, 'cloudtrail', docs);
});
afterAll(async () => cluster?.cleanup());

const implementations: Array<[string, () => CloudTrailEvidence]> = [
  ['elasticsearch', () => new ElasticCloudTrail(cluster.es, cluster.indices.cloudtrail)],
  ['elasticsearch, dynamically mapped', () => new ElasticCloudTrail(cluster.es, dynamicIndex)],
  // One pattern, both mappings (source.ip an ip in one index, text + .keyword in the other): every index answers.
  ['elasticsearch, mixed mappings', () => new ElasticCloudTrail(cluster.es, mixedPattern)],
  ['elasticsearch, mixed mappings, pages of 2', () => new ElasticCloudTrail(cluster.es, mixedPattern, { paging: { pageSize: 2, maxPages: 100 } })],
  // Every list read in pages of two: paging must lose and double nothing.
  ['elasticsearch, pages of 2', () => new ElasticCloudTrail(cluster.es, cluster.indices.cloudtrail, { paging: { pageSize: 2, maxPages: 100 } })],
  ['memory', () => new MemoryCloudTrail(new MemoryDocuments(docs))],
];

describe.each(implementations)('CloudTrail evidence port (%s)', (_name, make) => {
  it('summarises a key per source address: first/last seen, count, user agents, event names', async () => {
    const activity = await make().keyActivity(KEY, window);
    expect(activity.events).toBe(7);
    expect(activity.eventsWithoutAddress).toBe(1);
    expect(activity.addressesCut).toBeUndefined();
    const byAddress = Object.fromEntries(activity.byAddress.map((u) => [u.address, u]));
    expect(Object.keys(byAddress).sort()).toEqual(['3.80.1.10', '3.80.1.12', '45.155.205.10', 'ec2.amazonaws.com']);
    const instance = byAddress['3.80.1.10']!;
    expect(instance.events).toBe(3);
    expect(instance.firstSeen.toISOString()).toBe('2026-11-01T08:00:00.000Z');
    expect(instance.lastSeen.toISOString()).toBe('2026-11-01T08:09:00.000Z');
    expect([...instance.userAgents].sort()).toEqual([UA.boto3Linux, UA.linuxCli].sort());
    expect([instance.userAgentsCut, instance.eventsWithoutUserAgent]).toEqual([0, 0]);
    expect([...instance.eventNames].sort()).toEqual(['GetObject', 'ListBuckets']);
    // Each call with its count, most first: the same on every implementation.
    expect(instance.calls!.map((c) => c.name).sort()).toEqual(['GetObject', 'ListBuckets']);
    expect(instance.calls!.reduce((n, c) => n + c.events, 0)).toBe(3);
    expect(instance.calls!.map((c) => c.events)).toEqual([...instance.calls!.map((c) => c.events)].sort((a, b) => b - a));
    expect(byAddress['45.155.205.10']!.userAgents).toEqual([UA.macCli]);
    expect(activity.principalIds).toEqual(['AROAEXAMPLEAPPROLE:i-0a1b2c3d4e5f60718', 'arn:aws:sts::111122223333:assumed-role/app-role/i-0a1b2c3d4e5f60718']);
    expect(activity.accountIds).toEqual(['111122223333']);
    // The role behind the key, as CloudTrail's session issuer names it (containment acts on this one).
    expect(activity.sessionIssuerArns).toEqual(['arn:aws:iam::111122223333:role/app-role']);
  });

  it('finds nothing for an unknown key', async () => {
    const activity = await make().keyActivity('ASIANOSUCHKEY000001', window);
    expect(activity).toEqual({ events: 0, byAddress: [], eventsWithoutAddress: 0, principalIds: [], sessionIssuerArns: [], accountIds: [] });
  });

  it('lists the account’s successful IP-changing calls that target an instance, with the IPs they name', async () => {
    const res = await calls(make, { instanceIds: [INSTANCE] });
    expect(res.incomplete ?? []).toEqual([]);
    expect(res.found.map((c) => c.action)).toEqual(['RebootInstances', 'AssociateAddress', 'StartInstances']);
    expect(res.found[0]).toMatchObject({ instanceIds: [INSTANCE], accountId: ACCOUNT });
    expect(res.found[0]!.time.toISOString()).toBe('2026-11-01T08:30:00.000Z');
    expect(res.found[1]).toMatchObject({ instanceIds: [INSTANCE], ips: ['3.80.1.11'] });
  });

  it('v3: an id only in tags is no target; the response’s instances and a network interface’s attachment are', async () => {
    expect((await calls(make, { instanceIds: ['i-0launched0000001'] })).found.map((c) => c.action)).toEqual(['RunInstances']);
    expect((await calls(make, { instanceIds: ['i-natproxy01'] })).found).toMatchObject([{ action: 'AttachNetworkInterface', instanceIds: ['i-natproxy01'] }]);
    const tagged = (await calls(make, { instanceIds: [INSTANCE] })).found.find((c) => c.action === 'RunInstances');
    expect(tagged).toBeUndefined();
  });

  it('finds address calls by the IP they name', async () => {
    expect((await calls(make, { ips: ['3.80.1.11'] })).found.map((c) => c.action)).toEqual(['AssociateAddress']);
    expect((await calls(make, { ips: ['3.80.9.99'] })).found).toEqual([]);
  });

  it('asks only in the windows given, of the account given', async () => {
    const narrow = { from: new Date('2026-11-01T08:29:00Z'), to: new Date('2026-11-01T08:30:30Z') };
    expect((await calls(make, { instanceIds: [INSTANCE], windows: [narrow] })).found.map((c) => c.action)).toEqual(['RebootInstances']);
    expect((await calls(make, { instanceIds: [INSTANCE], windows: [] })).found).toEqual([]);
    expect((await calls(make, { accountId: '999988887777', instanceIds: ['i-0eeeeeeeeeeeeee01'] })).found.map((c) => c.action)).toEqual(['StopInstances']);
  });

  it('finds the instance-profile sessions of the account seen from given IPs', async () => {
    const sightings = await make().instanceSessionsFrom(ACCOUNT, ['3.80.1.20', '3.80.1.10'], window);
    expect(sightings.found.sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1))).toEqual([
      { ip: '3.80.1.10', instanceId: 'i-0a1b2c3d4e5f60718' },
      { ip: '3.80.1.20', instanceId: 'i-0bbbbbbbbbbbbbbb1' },
    ]);
    expect((await make().instanceSessionsFrom(ACCOUNT, [], window)).found).toEqual([]);
  });
});

describe('CloudTrail evidence port: paging budgets (elasticsearch)', () => {
  const tiny = () => new ElasticCloudTrail(cluster.es, cluster.indices.cloudtrail, { paging: { pageSize: 2, maxPages: 1 } });

  it('says addresses were cut when the budget ends the reading, instead of dropping them silently', async () => {
    const activity = await tiny().keyActivity(KEY, window);
    expect(activity.addressesCut).toMatch(/more than 2 source addresses/);
  });

  it('says calls were cut when the budget ends the reading', async () => {
    const res = await calls(tiny, { instanceIds: [INSTANCE] });
    expect(res.incomplete).toEqual([expect.stringMatching(/more than 2 candidate IP-changing calls/)]);
  });
});
