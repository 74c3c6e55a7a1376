// Scenarios of the AWS flow, written from flows.md and the write-up's benign and malicious cases.
// Each is run against real Elasticsearch and against the in-memory store (aws.scenarios.test.ts).
import { ACCOUNT, UA, changeCall, keyEvent } from '../support/cloudtrail.js';
import { shiftTimes } from '../support/time.js';

export interface AwsScenario {
  name: string;
  alert: Record<string, unknown>;
  docs: Record<string, unknown>[];
  expect: { verdict: string; score: number | null; last: string; path?: string[]; case?: string };
}

// AWS's published ranges (the snapshot in test/fixtures/aws-ip-ranges/): 3.80.0.0/12 us-east-1, 54.72.0.0/15 eu-west-1;
// 45.155.205.10 is in none.
const USE1 = (n: number) => `3.80.${n}.10`;
const EUW1 = '54.72.5.5';
const VPS = '45.155.205.10';
export const TRUSTED_EGRESS = ['198.51.100.0/24'];
const OFFICE_NAT = '198.51.100.20';
const INSTANCE = 'i-0a1b2c3d4e5f60718';
// A lab-style id (not hex): ids are matched as tokens, whatever their spelling.
const PROXY = 'i-natproxy01';

const alert = (id: string, key: string, time: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'aws.instance_credential_exfiltration',
  time,
  access_key_id: key,
  instance_id: INSTANCE,
  account_id: ACCOUNT,
  region: 'us-east-1',
  ...extra,
});

/** n events one minute apart from `start` (ISO, minute precision). */
function burst(key: string, ip: string, start: string, n: number, more: Partial<Parameters<typeof keyEvent>[0]> = {}) {
  const t0 = new Date(start).getTime();
  return Array.from({ length: n }, (_, i) => keyEvent({ key, ip, at: new Date(t0 + i * 60_000).toISOString(), ...more }));
}

/** A RunInstances call that names an instance only in a tag value; the response names the one it launched. */
function taggedRunInstances(at: string, tagValue: string, launched: string): Record<string, unknown> {
  const base = changeCall({ at, action: 'RunInstances' });
  const request = { imageId: 'ami-0abc', tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'replaces', value: tagValue }] }] } };
  const response = { instancesSet: { items: [{ instanceId: launched }] } };
  return { ...base, aws: { cloudtrail: { user_identity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ops` }, request_parameters: JSON.stringify(request), flattened: { request_parameters: request, response_elements: response } } } };
}

/** A call whose parameters Elastic kept only as Map.toString() text (above 32 KB there is no flattened form). */
function javaMapCall(at: string, action: string, requestParameters: string): Record<string, unknown> {
  const base = changeCall({ at, action });
  return { ...base, aws: { cloudtrail: { user_identity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ops` }, request_parameters: requestParameters } } };
}

const SCENARIOS: AwsScenario[] = [
  {
    name: 'A0: no CloudTrail event for the key → inconclusive',
    alert: alert('s-a0', 'ASIAA0NOEVENTS00001', '2026-11-10T12:00:00Z'),
    // Events of the key outside the window do not count.
    docs: burst('ASIAA0NOEVENTS00001', USE1(1), '2026-11-08T10:00:00Z', 2),
    expect: { verdict: 'inconclusive', score: null, last: 'A0', path: ['A0'] },
  },
  {
    name: 'A1: keys used from a VPS → malicious 90',
    alert: alert('s-a1', 'ASIAA1VPS0000000001', '2026-11-10T12:00:00Z', { instance_public_ips: [USE1(1)] }),
    docs: [
      ...burst('ASIAA1VPS0000000001', USE1(1), '2026-11-10T09:00:00Z', 3),
      ...burst('ASIAA1VPS0000000001', VPS, '2026-11-10T11:00:00Z', 4, { ua: UA.boto3Linux, action: 'ListBuckets' }),
    ],
    expect: { verdict: 'malicious', score: 90, last: 'A1', path: ['A0', 'A1'] },
  },
  {
    name: 'A2: keys used from a laptop (macOS) behind the trusted office NAT and from the instance (Linux) → malicious 85',
    alert: alert('s-a2', 'ASIAA2LAPTOP0000001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAA2LAPTOP0000001', USE1(1), '2026-11-10T09:00:00Z', 3),
      ...burst('ASIAA2LAPTOP0000001', OFFICE_NAT, '2026-11-10T10:00:00Z', 2, { ua: UA.javaMac }),
    ],
    expect: { verdict: 'malicious', score: 85, last: 'A2' },
  },
  {
    name: 'A3: keys used from another AWS region → malicious 80',
    alert: alert('s-a3', 'ASIAA3REGION0000001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAA3REGION0000001', USE1(1), '2026-11-10T09:00:00Z', 3),
      ...burst('ASIAA3REGION0000001', EUW1, '2026-11-10T10:00:00Z', 3),
    ],
    expect: { verdict: 'malicious', score: 80, last: 'A3' },
  },
  {
    name: 'A3: a single AWS IP outside the home region → malicious 80',
    alert: alert('s-a3b', 'ASIAA3REGION0000002', '2026-11-10T12:00:00Z'),
    docs: burst('ASIAA3REGION0000002', EUW1, '2026-11-10T10:00:00Z', 3),
    expect: { verdict: 'malicious', score: 80, last: 'A3' },
  },
  {
    name: 'A4: one public IP that is not the instance’s own → malicious 80',
    alert: alert('s-a4m', 'ASIAA4OTHERIP000001', '2026-11-10T12:00:00Z', { instance_public_ips: [USE1(1)] }),
    docs: burst('ASIAA4OTHERIP000001', USE1(99), '2026-11-10T10:00:00Z', 3),
    expect: { verdict: 'malicious', score: 80, last: 'A4' },
  },
  {
    name: 'A4: one public IP, the instance’s own, plus VPC endpoint and AWS-internal calls → benign 15',
    alert: alert('s-a4b', 'ASIAA4SAMEIP0000001', '2026-11-10T12:00:00Z', { instance_public_ips: [USE1(1)] }),
    docs: [
      ...burst('ASIAA4SAMEIP0000001', USE1(1), '2026-11-10T10:00:00Z', 3),
      ...burst('ASIAA4SAMEIP0000001', '10.0.12.7', '2026-11-10T10:30:00Z', 2),
      ...burst('ASIAA4SAMEIP0000001', 'ec2.amazonaws.com', '2026-11-10T10:40:00Z', 1, { ua: UA.internal }),
    ],
    expect: { verdict: 'benign', score: 15, last: 'A4' },
  },
  {
    name: 'A5: two AWS IPs in use at the same time → suspicious 65',
    alert: alert('s-a5', 'ASIAA5CONCURRENT001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAA5CONCURRENT001', USE1(1), '2026-11-10T09:00:00Z', 30),
      ...burst('ASIAA5CONCURRENT001', USE1(2), '2026-11-10T09:10:00Z', 30),
    ],
    expect: { verdict: 'suspicious', score: 65, last: 'A5' },
  },
  {
    name: 'A6 (a): reboot → new IP, RebootInstances on this instance in between → benign 10',
    alert: alert('s-a6a', 'ASIAA6REBOOT0000001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAA6REBOOT0000001', USE1(1), '2026-11-10T09:00:00Z', 3),
      changeCall({ at: '2026-11-10T09:10:00Z', action: 'RebootInstances', instances: [INSTANCE] }),
      ...burst('ASIAA6REBOOT0000001', USE1(2), '2026-11-10T09:14:00Z', 3, { ua: UA.boto3Linux }),
    ],
    expect: { verdict: 'benign', score: 10, last: 'A6', case: 'a' },
  },
  {
    name: 'A6 (a): the instance comes from the assumed-role ARN when the alert and user.id do not name it → benign 10',
    alert: { ...alert('s-a6a2', 'ASIAA6REBOOTARN0001', '2026-11-10T12:00:00Z'), instance_id: undefined },
    docs: [
      ...burst('ASIAA6REBOOTARN0001', USE1(51), '2026-11-10T09:00:00Z', 3, { instance: 'i-0c0ffee0c0ffee001' }),
      changeCall({ at: '2026-11-10T09:10:00Z', action: 'StopInstances', instances: ['i-0c0ffee0c0ffee001'] }),
      changeCall({ at: '2026-11-10T09:11:00Z', action: 'StartInstances', instances: ['i-0c0ffee0c0ffee001'] }),
      ...burst('ASIAA6REBOOTARN0001', USE1(52), '2026-11-10T09:14:00Z', 3, { instance: 'i-0c0ffee0c0ffee001' }),
    ].map((d) => ({ ...d, user: undefined })),
    expect: { verdict: 'benign', score: 10, last: 'A6', case: 'a' },
  },
  {
    name: 'A6 (b): the proxy instance restarts (call on another instance whose own credentials use the new IP) → benign 10',
    alert: alert('s-a6b', 'ASIAA6PROXY00000001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAA6PROXY00000001', USE1(5), '2026-11-10T09:00:00Z', 3),
      changeCall({ at: '2026-11-10T09:06:00Z', action: 'StopInstances', instances: [PROXY] }),
      changeCall({ at: '2026-11-10T09:08:00Z', action: 'StartInstances', instances: [PROXY] }),
      ...burst('ASIAA6PROXY00000001', USE1(6), '2026-11-10T09:12:00Z', 3),
      // The proxy's own instance-profile session, seen from the new IP.
      ...burst('ASIAPROXYOWNKEY0001', USE1(6), '2026-11-10T09:13:00Z', 1, { instance: PROXY }),
    ],
    expect: { verdict: 'benign', score: 10, last: 'A6', case: 'b' },
  },
  {
    name: 'A6 (c): Elastic IP associated then disassociated (parameters in the flattened object only) → benign 10',
    alert: alert('s-a6c', 'ASIAA6EIP0000000001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAA6EIP0000000001', USE1(7), '2026-11-10T09:00:00Z', 3),
      changeCall({ at: '2026-11-10T09:04:00Z', action: 'AssociateAddress', publicIp: USE1(8), flattenedOnly: true }),
      ...burst('ASIAA6EIP0000000001', USE1(8), '2026-11-10T09:05:00Z', 3),
      changeCall({ at: '2026-11-10T09:10:00Z', action: 'DisassociateAddress', publicIp: USE1(8) }),
      // Disassociating the Elastic IP gives the instance a new auto-assigned IP; the call names the old one.
      ...burst('ASIAA6EIP0000000001', USE1(9), '2026-11-10T09:11:00Z', 2),
    ],
    expect: { verdict: 'benign', score: 10, last: 'A6', case: 'c' },
  },
  {
    name: 'A6 (c): Elastic IP associated (parameters in request_parameters only) → benign 10',
    alert: alert('s-a6c2', 'ASIAA6EIP0000000002', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAA6EIP0000000002', USE1(17), '2026-11-10T09:00:00Z', 3),
      changeCall({ at: '2026-11-10T09:04:00Z', action: 'AssociateAddress', publicIp: USE1(18) }),
      ...burst('ASIAA6EIP0000000002', USE1(18), '2026-11-10T09:05:00Z', 3),
    ],
    expect: { verdict: 'benign', score: 10, last: 'A6', case: 'c' },
  },
  {
    name: 'A7: one unexplained change (call on an unrelated instance) and one user agent → benign 20',
    alert: alert('s-a7', 'ASIAA7ONECHANGE0001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAA7ONECHANGE0001', USE1(21), '2026-11-10T09:00:00Z', 3),
      changeCall({ at: '2026-11-10T09:05:00Z', action: 'RebootInstances', instances: ['i-0ccccccccccccccc1'] }),
      // A failed call on this instance explains nothing either.
      changeCall({ at: '2026-11-10T09:06:00Z', action: 'RebootInstances', instances: [INSTANCE], outcome: 'failure' }),
      ...burst('ASIAA7ONECHANGE0001', USE1(22), '2026-11-10T09:08:00Z', 3),
    ],
    expect: { verdict: 'benign', score: 20, last: 'A7' },
  },
  {
    name: 'A8: one change, two user agents of one OS family, the explaining call too late → suspicious 40',
    alert: alert('s-a8', 'ASIAA8TWOAGENTS0001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAA8TWOAGENTS0001', USE1(31), '2026-11-10T09:00:00Z', 3),
      ...burst('ASIAA8TWOAGENTS0001', USE1(32), '2026-11-10T09:10:00Z', 3, { ua: UA.boto3Linux }),
      changeCall({ at: '2026-11-10T09:30:00Z', action: 'RebootInstances', instances: [INSTANCE] }),
    ],
    expect: { verdict: 'suspicious', score: 40, last: 'A8' },
  },
  {
    name: 'A9: two unexplained changes and two user agents → suspicious 60',
    alert: alert('s-a9', 'ASIAA9MANY000000001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAA9MANY000000001', USE1(41), '2026-11-10T08:00:00Z', 3),
      ...burst('ASIAA9MANY000000001', USE1(42), '2026-11-10T09:00:00Z', 3, { ua: UA.boto3Linux }),
      ...burst('ASIAA9MANY000000001', USE1(43), '2026-11-10T10:00:00Z', 3),
    ],
    expect: { verdict: 'suspicious', score: 60, last: 'A9', path: ['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9'] },
  },
  // v3
  {
    name: 'v3 A6 targets: this instance named only in a tag of another call explains nothing → A8 suspicious 40',
    alert: alert('s-v3tag', 'ASIAV3TAGONLY000001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAV3TAGONLY000001', USE1(61), '2026-11-10T09:00:00Z', 3),
      taggedRunInstances('2026-11-10T09:05:00Z', INSTANCE, 'i-0dddddddddddddd01'),
      ...burst('ASIAV3TAGONLY000001', USE1(62), '2026-11-10T09:08:00Z', 3, { ua: UA.boto3Linux }),
    ],
    expect: { verdict: 'suspicious', score: 40, last: 'A8' },
  },
  {
    name: 'v3 A6: a call carrying no account explains nothing → A7 benign 20',
    alert: alert('s-v3noacct', 'ASIAV3NOACCOUNT0001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAV3NOACCOUNT0001', USE1(63), '2026-11-10T09:00:00Z', 3),
      { ...changeCall({ at: '2026-11-10T09:05:00Z', action: 'RebootInstances', instances: [INSTANCE] }), cloud: { region: 'us-east-1' } },
      ...burst('ASIAV3NOACCOUNT0001', USE1(64), '2026-11-10T09:08:00Z', 3),
    ],
    expect: { verdict: 'benign', score: 20, last: 'A7' },
  },
  {
    name: 'v3 A6 (a): parameters only in Elastic’s Java-map string (no flattened form) are read → benign 10',
    alert: alert('s-v3javamap', 'ASIAV3JAVAMAP000001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIAV3JAVAMAP000001', USE1(65), '2026-11-10T09:00:00Z', 3),
      javaMapCall('2026-11-10T09:05:00Z', 'StartInstances', `{instancesSet={items=[{instanceId=${INSTANCE}}]}}`),
      ...burst('ASIAV3JAVAMAP000001', USE1(66), '2026-11-10T09:08:00Z', 3),
    ],
    expect: { verdict: 'benign', score: 10, last: 'A6', case: 'a' },
  },
  {
    name: 'v3 A0: events with no source address form no address → inconclusive',
    alert: alert('s-v3noaddr', 'ASIAV3NOADDRESS0001', '2026-11-10T12:00:00Z'),
    docs: burst('ASIAV3NOADDRESS0001', USE1(67), '2026-11-10T09:00:00Z', 3).map((d) => ({ ...d, source: undefined })),
    expect: { verdict: 'inconclusive', score: null, last: 'A0', path: ['A0'] },
  },
  {
    name: 'v3 A1: one public IP, other events with no source address → inconclusive (not benign 15)',
    alert: alert('s-v3someaddr', 'ASIAV3SOMEADDRESS01', '2026-11-10T12:00:00Z'),
    docs: [...burst('ASIAV3SOMEADDRESS01', USE1(68), '2026-11-10T09:00:00Z', 3), ...burst('ASIAV3SOMEADDRESS01', USE1(68), '2026-11-10T10:00:00Z', 2).map((d) => ({ ...d, source: undefined }))],
    expect: { verdict: 'inconclusive', score: null, last: 'A6' },
  },
  {
    name: 'busy Auto Scaling account: 1 200 calls on other instances before the one on this instance → A6 benign 10',
    alert: alert('s-busy', 'ASIABUSYACCOUNT0001', '2026-11-10T12:00:00Z'),
    docs: [
      ...burst('ASIABUSYACCOUNT0001', USE1(71), '2026-11-10T09:00:00Z', 3),
      ...Array.from({ length: 1200 }, (_, n) =>
        changeCall({ at: new Date(Date.parse('2026-11-10T08:55:00Z') + n * 400).toISOString(), action: n % 2 ? 'RunInstances' : 'StopInstances', instances: [`i-0a5g${String(n).padStart(13, '0')}`] }),
      ),
      changeCall({ at: '2026-11-10T09:06:00Z', action: 'RebootInstances', instances: [INSTANCE] }),
      ...burst('ASIABUSYACCOUNT0001', USE1(72), '2026-11-10T09:08:00Z', 3),
    ],
    expect: { verdict: 'benign', score: 10, last: 'A6', case: 'a' },
  },
];

// All scenarios share one account: each lives on its own day, so no call explains another scenario's change.
export const AWS_SCENARIOS: AwsScenario[] = SCENARIOS.map((s, i) => ({
  ...s,
  alert: shiftTimes(s.alert, -i * 3 * 24 * 3600_000),
  docs: shiftTimes(s.docs, -i * 3 * 24 * 3600_000),
}));
