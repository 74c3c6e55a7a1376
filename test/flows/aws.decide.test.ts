// decide() of the AWS flow, pure: plain evidence objects in, verdict and path out. Every step id and
// both sides of every threshold of flows.md §1 (2 min overlap, ±5 min around a change, families, regions).
import { describe, expect, it } from 'vitest';
import type { AwsCredentialAlert } from '../../src/alerts/types.js';
import type { IpClass } from '../../src/enrich/ip-class.js';
import type { InstanceSighting, IpChangingCall } from '../../src/evidence/ports.js';
import { decideAws } from '../../src/flows/aws/decide.js';
import type { ClassifiedAddress } from '../../src/flows/aws/changes.js';
import type { AwsEvidence } from '../../src/flows/aws/gather.js';
import { UA } from '../support/cloudtrail.js';

const T = Date.parse('2026-11-10T12:00:00Z');
const MIN = 60_000;
/** A time `m` minutes after 09:00 on the alert's day. */
const at = (m: number) => new Date(T - 3 * 60 * MIN + m * MIN);
const INSTANCE = 'i-0a1b2c3d4e5f60718';
const ACCOUNT = '111122223333';

const CLASS = {
  use1: { kind: 'aws', region: 'us-east-1', range: '3.80.0.0/12', service: 'EC2' },
  euw1: { kind: 'aws', region: 'eu-west-1', range: '54.72.0.0/15', service: 'EC2' },
  global: { kind: 'aws', region: null, range: '64.252.64.0/18', service: 'CLOUDFRONT' },
  nonAws: { kind: 'non-aws' },
  trusted: { kind: 'trusted', range: '198.51.100.0/24' },
  internal: { kind: 'internal', range: '10.0.0.0/8' },
  service: { kind: 'aws-internal' },
} satisfies Record<string, IpClass>;

function ip(address: string, cls: IpClass, from: number, to: number, userAgents: string[] = [UA.linuxCli]): ClassifiedAddress {
  return { address, class: cls, firstSeen: at(from), lastSeen: at(to), events: 3, userAgents, userAgentsCut: 0, eventsWithoutUserAgent: 0, eventNames: ['DescribeInstances'] };
}

function call(m: number, action: string, instanceIds: string[] = [], ips: string[] = [], accountId: string | null = ACCOUNT): IpChangingCall {
  return { time: at(m), action, instanceIds, ips, ...(accountId ? { accountId } : {}) };
}

interface Row {
  name: string;
  addresses: ClassifiedAddress[];
  calls?: IpChangingCall[];
  sightings?: InstanceSighting[];
  alert?: Partial<AwsCredentialAlert>;
  evidence?: Partial<AwsEvidence>;
  expect: { verdict: string; score: number | null; path: string[]; case?: 'a' | 'b' | 'c' };
}

const alert = (extra: Partial<AwsCredentialAlert> = {}): AwsCredentialAlert => ({
  id: 'aws-decide',
  type: 'aws.instance_credential_exfiltration',
  time: new Date(T),
  raw: {},
  accessKeyId: 'ASIADECIDE000000001',
  instanceId: INSTANCE,
  accountId: ACCOUNT,
  instancePublicIps: [],
  ...extra,
});

function evidence(row: Row): AwsEvidence {
  const addresses = row.addresses;
  return {
    window: { from: new Date(T - 24 * 60 * MIN), to: new Date(T + 60 * MIN) },
    events: addresses.reduce((n, a) => n + a.events, 0),
    addresses,
    eventsWithoutAddress: 0,
    instanceId: row.alert && 'instanceId' in row.alert ? row.alert.instanceId : INSTANCE,
    instanceIdFrom: 'alert',
    accountId: ACCOUNT,
    sessionIssuerArns: [],
    calls: row.calls ?? [],
    sightings: row.sightings ?? [],
    ...row.evidence,
  };
}

const A = (n: number) => `3.80.${n}.10`;
const UP_TO = (id: string) => ['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9'].slice(0, ['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9'].indexOf(id) + 1);

const ROWS: Row[] = [
  // A0
  { name: 'A0: no event at all → inconclusive', addresses: [], expect: { verdict: 'inconclusive', score: null, path: UP_TO('A0') } },
  // A1
  { name: 'A1: a non-AWS IP → malicious 90', addresses: [ip(A(1), CLASS.use1, 0, 10), ip('45.155.205.10', CLASS.nonAws, 60, 70)], expect: { verdict: 'malicious', score: 90, path: UP_TO('A1') } },
  { name: 'A1: a trusted egress IP is not non-AWS (one IP in all → A4 benign)', addresses: [ip('198.51.100.20', CLASS.trusted, 0, 10)], expect: { verdict: 'benign', score: 15, path: UP_TO('A4') } },
  { name: 'A1: internal and AWS-service sources are ignored', addresses: [ip(A(1), CLASS.use1, 0, 10), ip('10.0.12.7', CLASS.internal, 20, 30), ip('ec2.amazonaws.com', CLASS.service, 40, 50, [UA.internal])], expect: { verdict: 'benign', score: 15, path: UP_TO('A4') } },
  // A2
  { name: 'A2: Linux and macOS user agents → malicious 85', addresses: [ip(A(1), CLASS.use1, 0, 10), ip('198.51.100.20', CLASS.trusted, 60, 70, [UA.javaMac])], expect: { verdict: 'malicious', score: 85, path: UP_TO('A2') } },
  { name: 'A2: two user agents of one family are one family', addresses: [ip(A(1), CLASS.use1, 0, 10, [UA.linuxCli, UA.boto3Linux])], expect: { verdict: 'benign', score: 15, path: UP_TO('A4') } },
  { name: 'A2: a user agent with no family (AWS Internal) counts for none', addresses: [ip(A(1), CLASS.use1, 0, 10, [UA.linuxCli, UA.internal])], expect: { verdict: 'benign', score: 15, path: UP_TO('A4') } },
  { name: 'A2: only user agents of public IPs count', addresses: [ip(A(1), CLASS.use1, 0, 10), ip('10.0.0.5', CLASS.internal, 20, 30, [UA.windowsCli])], expect: { verdict: 'benign', score: 15, path: UP_TO('A4') } },
  // A3
  { name: 'A3: two AWS regions → malicious 80', addresses: [ip(A(1), CLASS.use1, 0, 10), ip('54.72.5.5', CLASS.euw1, 60, 70)], expect: { verdict: 'malicious', score: 80, path: UP_TO('A3') } },
  { name: 'A3: one AWS region outside the home region → malicious 80', addresses: [ip('54.72.5.5', CLASS.euw1, 0, 10)], alert: { region: 'us-east-1' }, expect: { verdict: 'malicious', score: 80, path: UP_TO('A3') } },
  { name: 'A3: the home region itself is one region', addresses: [ip(A(1), CLASS.use1, 0, 10)], alert: { region: 'us-east-1' }, expect: { verdict: 'benign', score: 15, path: UP_TO('A4') } },
  { name: 'A3: GLOBAL is no region', addresses: [ip('64.252.70.7', CLASS.global, 0, 10)], alert: { region: 'us-east-1' }, expect: { verdict: 'benign', score: 15, path: UP_TO('A4') } },
  // A4
  { name: 'A4: one public IP, not the instance’s own → malicious 80', addresses: [ip(A(99), CLASS.use1, 0, 10)], alert: { instancePublicIps: [A(1)] }, expect: { verdict: 'malicious', score: 80, path: UP_TO('A4') } },
  { name: 'A4: one public IP, the instance’s own (another spelling) → benign 15', addresses: [ip('2600:1f18::10', CLASS.use1, 0, 10)], alert: { instancePublicIps: ['2600:1F18:0::10'] }, expect: { verdict: 'benign', score: 15, path: UP_TO('A4') } },
  { name: 'A4: one public IP, the instance’s own unknown → benign 15', addresses: [ip(A(99), CLASS.use1, 0, 10)], expect: { verdict: 'benign', score: 15, path: UP_TO('A4') } },
  // A5: overlap > 2 min
  { name: 'A5: an overlap of 2 min 1 s → suspicious 65', addresses: [ip(A(1), CLASS.use1, 0, 10), { ...ip(A(2), CLASS.use1, 8, 30), firstSeen: new Date(at(8).getTime() - 1000) }], expect: { verdict: 'suspicious', score: 65, path: UP_TO('A5') } },
  { name: 'A5: an overlap of exactly 2 min is not concurrent use', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 8, 30)], expect: { verdict: 'benign', score: 20, path: UP_TO('A7') } },
  // A6 (a): a call on this instance, between the old IP's last use and the new one's first, ±5 min
  { name: 'A6 (a): RebootInstances on this instance in the gap → benign 10', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(15, 'RebootInstances', [INSTANCE])], expect: { verdict: 'benign', score: 10, path: UP_TO('A6'), case: 'a' } },
  { name: 'A6: a call exactly 5 min before the old IP’s last use explains', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(5, 'RebootInstances', [INSTANCE])], expect: { verdict: 'benign', score: 10, path: UP_TO('A6'), case: 'a' } },
  { name: 'A6: a call 5 min 1 s before the old IP’s last use does not', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [{ ...call(5, 'RebootInstances', [INSTANCE]), time: new Date(at(5).getTime() - 1000) }], expect: { verdict: 'benign', score: 20, path: UP_TO('A7') } },
  { name: 'A6: a call exactly 5 min after the new IP’s first use explains', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(25, 'RebootInstances', [INSTANCE])], expect: { verdict: 'benign', score: 10, path: UP_TO('A6'), case: 'a' } },
  { name: 'A6: a call 5 min 1 s after the new IP’s first use does not', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [{ ...call(25, 'RebootInstances', [INSTANCE]), time: new Date(at(25).getTime() + 1000) }], expect: { verdict: 'benign', score: 20, path: UP_TO('A7') } },
  { name: 'A6: with a 2 min overlap, a call between the new IP’s first use and the old one’s last use, +5 min, explains', addresses: [ip(A(1), CLASS.use1, 0, 20), ip(A(2), CLASS.use1, 18, 40)], calls: [call(25, 'StartInstances', [INSTANCE])], expect: { verdict: 'benign', score: 10, path: UP_TO('A6'), case: 'a' } },
  // A6 (b) and (c)
  { name: 'A6 (b): a call on the proxy instance whose own credentials used the new IP → benign 10', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(15, 'StopInstances', ['i-natproxy01'])], sightings: [{ ip: A(2), instanceId: 'i-natproxy01' }], expect: { verdict: 'benign', score: 10, path: UP_TO('A6'), case: 'b' } },
  { name: 'A6 (b): the proxy instance seen only from the old IP does not explain', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(15, 'StopInstances', ['i-natproxy01'])], sightings: [{ ip: A(1), instanceId: 'i-natproxy01' }], expect: { verdict: 'benign', score: 20, path: UP_TO('A7') } },
  { name: 'A6 (c): an address call naming the new IP → benign 10', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(15, 'AssociateAddress', [], [A(2)])], expect: { verdict: 'benign', score: 10, path: UP_TO('A6'), case: 'c' } },
  { name: 'A6 (c): an address call naming the old IP → benign 10', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(15, 'DisassociateAddress', [], [A(1)])], expect: { verdict: 'benign', score: 10, path: UP_TO('A6'), case: 'c' } },
  { name: 'A6 (c): a non-address call naming the IP is not case (c)', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(15, 'RebootInstances', ['i-0ccccccccccccccc1'], [A(2)])], expect: { verdict: 'benign', score: 20, path: UP_TO('A7') } },
  { name: 'A6: a call on an unrelated instance never explains', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(15, 'RebootInstances', ['i-0ccccccccccccccc1'])], expect: { verdict: 'benign', score: 20, path: UP_TO('A7') } },
  { name: 'A6: a call of another account never explains', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(15, 'RebootInstances', [INSTANCE], [], '999988887777')], expect: { verdict: 'benign', score: 20, path: UP_TO('A7') } },
  { name: 'A6: every change must be explained, not just one', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30), ip(A(3), CLASS.use1, 40, 50)], calls: [call(15, 'RebootInstances', [INSTANCE])], expect: { verdict: 'suspicious', score: 40, path: UP_TO('A8') } },
  // A7, A8, A9
  { name: 'A7: one unexplained change, one user agent → benign 20', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], expect: { verdict: 'benign', score: 20, path: UP_TO('A7') } },
  { name: 'A8: one change, two user agents → suspicious 40', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30, [UA.boto3Linux])], expect: { verdict: 'suspicious', score: 40, path: UP_TO('A8') } },
  { name: 'A8: two changes, one user agent → suspicious 40', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30), ip(A(3), CLASS.use1, 40, 50)], expect: { verdict: 'suspicious', score: 40, path: UP_TO('A8') } },
  { name: 'A9: two changes, two user agents → suspicious 60', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30, [UA.boto3Linux]), ip(A(3), CLASS.use1, 40, 50)], expect: { verdict: 'suspicious', score: 60, path: UP_TO('A9') } },
  // v3: a value the evidence does not carry, or evidence cut short, is unknown; an unknown step decides nothing,
  // and a benign row reached after one gives inconclusive naming it.
  { name: 'v3 A0: events, none with a source address → inconclusive', addresses: [], evidence: { events: 4, eventsWithoutAddress: 4 }, expect: { verdict: 'inconclusive', score: null, path: UP_TO('A0') } },
  { name: 'v3 A1: events without an address leave A1 unknown; the benign A4 row is inconclusive', addresses: [ip(A(1), CLASS.use1, 0, 10)], evidence: { events: 5, eventsWithoutAddress: 2 }, expect: { verdict: 'inconclusive', score: null, path: UP_TO('A6') } },
  { name: 'v3: a non-AWS IP still decides past unknown addresses → malicious 90', addresses: [ip(A(1), CLASS.use1, 0, 10), ip('45.155.205.10', CLASS.nonAws, 20, 30)], evidence: { eventsWithoutAddress: 2 }, expect: { verdict: 'malicious', score: 90, path: UP_TO('A1') } },
  { name: 'v3: addresses beyond a cap leave A1–A5 unknown → inconclusive at A6', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(15, 'RebootInstances', [INSTANCE])], evidence: { addressesCut: 'more than 10000 source addresses' }, expect: { verdict: 'inconclusive', score: null, path: UP_TO('A6') } },
  // A7 asks for one user agent: with some cut, it is unknown and decides nothing; A8 (one change) decides.
  { name: 'v3 A2, A7: user agents cut by a cap are unknown; A7 decides nothing (not benign 20) → A8 suspicious 40', addresses: [ip(A(1), CLASS.use1, 0, 10), { ...ip(A(2), CLASS.use1, 20, 30), userAgentsCut: 7 }], expect: { verdict: 'suspicious', score: 40, path: UP_TO('A8') } },
  { name: 'v3 A2, A7: events without a user agent likewise', addresses: [ip(A(1), CLASS.use1, 0, 10), { ...ip(A(2), CLASS.use1, 20, 30), eventsWithoutUserAgent: 1 }], expect: { verdict: 'suspicious', score: 40, path: UP_TO('A8') } },
  { name: 'v3 A2: user agents cut by a cap, one explained change: the benign A6 row is inconclusive', addresses: [ip(A(1), CLASS.use1, 0, 10), { ...ip(A(2), CLASS.use1, 20, 30), userAgentsCut: 7 }], calls: [call(15, 'RebootInstances', [INSTANCE])], expect: { verdict: 'inconclusive', score: null, path: UP_TO('A6') } },
  { name: 'v3: a suspicious row still decides past an unknown step (A8: one change)', addresses: [ip(A(1), CLASS.use1, 0, 10), { ...ip(A(2), CLASS.use1, 20, 30, [UA.boto3Linux]), userAgentsCut: 3 }], expect: { verdict: 'suspicious', score: 40, path: UP_TO('A8') } },
  { name: 'v3 A6: calls cut short leave an unexplained change unknown → inconclusive at A7', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], evidence: { callsIncomplete: ['more than 10000 candidate IP-changing calls'] }, expect: { verdict: 'inconclusive', score: null, path: UP_TO('A7') } },
  { name: 'v3 A6: sightings cut short likewise', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], evidence: { sightingsIncomplete: ['more than 10000 sessions'] }, expect: { verdict: 'inconclusive', score: null, path: UP_TO('A7') } },
  { name: 'v3 A6: a call without an account never explains', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(15, 'RebootInstances', [INSTANCE], [], null)], expect: { verdict: 'benign', score: 20, path: UP_TO('A7') } },
  { name: 'v3 A6: with the account unknown no call explains, and A6 is unknown', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [call(15, 'RebootInstances', [INSTANCE])], evidence: { accountId: undefined }, expect: { verdict: 'inconclusive', score: null, path: UP_TO('A7') } },
  { name: 'v3 A6: with the instance unknown, an unexplained change is unknown', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], alert: { instanceId: undefined }, expect: { verdict: 'inconclusive', score: null, path: UP_TO('A7') } },
  { name: 'v3 A6: an unreadable call in the change’s window leaves it unknown', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [{ ...call(15, 'RunInstances'), unreadable: true }], expect: { verdict: 'inconclusive', score: null, path: UP_TO('A7') } },
  { name: 'v3 A6: an unreadable call outside every change’s window changes nothing', addresses: [ip(A(1), CLASS.use1, 0, 10), ip(A(2), CLASS.use1, 20, 30)], calls: [{ ...call(90, 'RunInstances'), unreadable: true }], expect: { verdict: 'benign', score: 20, path: UP_TO('A7') } },
];

describe('decideAws (pure)', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const v = decideAws(alert(row.alert), evidence(row));
    expect({ verdict: v.verdict, score: v.score, path: v.path.map((p) => p.step) }).toEqual({ verdict: row.expect.verdict, score: row.expect.score, path: row.expect.path });
    if (row.expect.case) {
      const changes = v.facts['ip_changes'] as Array<{ explained_by: { case: string } | null }>;
      expect(changes.map((c) => c.explained_by?.case)).toContain(row.expect.case);
    }
  });

  it('covers every step id of flows.md §1', () => {
    const decided = new Set(ROWS.map((r) => r.expect.path.at(-1)));
    expect([...decided].sort()).toEqual(['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9']);
  });

  it('v3: the inconclusive verdict and the trace name the unknown step and why', () => {
    const row = ROWS.find((r) => r.name.startsWith('v3 A1:'))!;
    const v = decideAws(alert(row.alert), evidence(row));
    expect(v.path.find((p) => p.step === 'A1')).toMatchObject({ answer: 'unknown', evidence: expect.stringContaining('2 event(s) carry no source address') });
    expect(v.path.at(-1)!.evidence).toContain('no benign verdict while A1, A2, A3, A4, A5 could not be answered: inconclusive');
    expect(v.path.filter((p) => p.answer === 'unknown').map((p) => p.step)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(v.summary).toMatch(/^Would be benign \(A6: .*A1 could not be answered \(2 event\(s\) carry no source address\)/);
  });

  it('the trace names the explaining call and, in plain words, why it explains the change', () => {
    const row = ROWS.find((r) => r.name.startsWith('A6 (b)'))!;
    const v = decideAws(alert(), evidence(row));
    expect(v.path.at(-1)!.evidence).toMatch(/explained by StopInstances on i-natproxy01 at \S+, the NAT\/proxy instance whose own instance-profile credentials were used from /);
    expect(v.path.at(-1)!.evidence).not.toContain('(case');
    expect(v.facts['ip_changes']).toMatchObject([{ explained_by: { case: 'b' } }]); // the letter stays in the structured facts
  });
});
