// One suite, two implementations: the CloudTrail port must answer the same on Elasticsearch and in memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudTrailEvidence } from '../../src/evidence/ports.js';
import { ElasticCloudTrail } from '../../src/evidence/elastic/cloudtrail.js';
import { MemoryCloudTrail } from '../../src/evidence/memory/cloudtrail.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { loadDynamic, testCluster, type TestCluster } from '../support/elastic.js';
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
];

let cluster: TestCluster;
let dynamicIndex: string;
beforeAll(async () => {
  cluster = await testCluster();
  const report = await cluster.load(docs);
  expect(report.rejected).toEqual([]);
  dynamicIndex = await loadDynamic(cluster, 'cloudtrail', docs);
});
afterAll(async () => cluster?.cleanup());

const implementations: Array<[string, () => CloudTrailEvidence]> = [
  ['elasticsearch', () => new ElasticCloudTrail(cluster.es, cluster.indices.cloudtrail)],
  ['elasticsearch, dynamically mapped', () => new ElasticCloudTrail(cluster.es, dynamicIndex)],
  ['memory', () => new MemoryCloudTrail(new MemoryDocuments(docs))],
];

describe.each(implementations)('CloudTrail evidence port (%s)', (_name, make) => {
  it('summarises a key per source address: first/last seen, count, user agents, event names', async () => {
    const activity = await make().keyActivity(KEY, window);
    expect(activity.events).toBe(6);
    const byAddress = Object.fromEntries(activity.byAddress.map((u) => [u.address, u]));
    expect(Object.keys(byAddress).sort()).toEqual(['3.80.1.10', '3.80.1.12', '45.155.205.10', 'ec2.amazonaws.com']);
    const instance = byAddress['3.80.1.10']!;
    expect(instance.events).toBe(3);
    expect(instance.firstSeen.toISOString()).toBe('2026-11-01T08:00:00.000Z');
    expect(instance.lastSeen.toISOString()).toBe('2026-11-01T08:09:00.000Z');
    expect([...instance.userAgents].sort()).toEqual([UA.boto3Linux, UA.linuxCli].sort());
    expect([...instance.eventNames].sort()).toEqual(['GetObject', 'ListBuckets']);
    expect(byAddress['45.155.205.10']!.userAgents).toEqual([UA.macCli]);
    expect(activity.principalIds).toEqual(['AROAEXAMPLEAPPROLE:i-0a1b2c3d4e5f60718', 'arn:aws:sts::111122223333:assumed-role/app-role/i-0a1b2c3d4e5f60718']);
    expect(activity.accountIds).toEqual(['111122223333']);
  });

  it('finds nothing for an unknown key', async () => {
    const activity = await make().keyActivity('ASIANOSUCHKEY000001', window);
    expect(activity).toEqual({ events: 0, byAddress: [], principalIds: [], accountIds: [] });
  });

  it('lists the account’s successful IP-changing calls with the instances and IPs they name', async () => {
    const calls = await make().ipChangingCalls('111122223333', window);
    expect(calls.map((c) => c.action)).toEqual(['RebootInstances', 'AssociateAddress']);
    expect(calls[0]).toMatchObject({ instanceIds: ['i-0a1b2c3d4e5f60718'], accountId: '111122223333' });
    expect(calls[0]!.time.toISOString()).toBe('2026-11-01T08:30:00.000Z');
    expect(calls[1]).toMatchObject({ instanceIds: ['i-0a1b2c3d4e5f60718'], ips: ['3.80.1.11'] });
  });

  it('without an account, lists every account’s calls', async () => {
    const calls = await make().ipChangingCalls(undefined, window);
    expect(calls.map((c) => c.action)).toEqual(['RebootInstances', 'AssociateAddress', 'StopInstances']);
  });

  it('finds the instance-profile sessions of the account seen from given IPs', async () => {
    const sightings = await make().instanceSessionsFrom('111122223333', ['3.80.1.20', '3.80.1.10'], window);
    expect(sightings.sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1))).toEqual([
      { ip: '3.80.1.10', instanceId: 'i-0a1b2c3d4e5f60718' },
      { ip: '3.80.1.20', instanceId: 'i-0bbbbbbbbbbbbbbb1' },
    ]);
    expect(await make().instanceSessionsFrom('111122223333', [], window)).toEqual([]);
  });
});
