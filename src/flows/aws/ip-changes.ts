// AWS flow: the IP changes of a key and what explains them, and how an address reads in the path.
import { ADDRESS_ACTIONS, type IpChangingCall } from '../../evidence/ports.js';
import { sameIp } from '../../enrich/ip.js';
import { consecutivePairs, explainingWindow, within, type AddressPair } from './changes.js';
import type { ClassifiedAddress } from './changes.js';
import type { AwsEvidence } from './gather.js';

export const MINUTE = 60_000;
export const OVERLAP_TOLERANCE = 2 * MINUTE;

export interface IpChange extends AddressPair {
  explainedBy?: { call: IpChangingCall; case: 'a' | 'b' | 'c'; why: string };
}

export const iso = (d: Date) => d.toISOString();

export function describeAddress(a: ClassifiedAddress): string {
  switch (a.class.kind) {
    case 'aws':
      return `${a.address} (AWS ${a.class.region ?? 'GLOBAL'})`;
    case 'trusted':
      return `${a.address} (trusted egress ${a.class.range})`;
    case 'non-aws':
      return `${a.address} (non-AWS)`;
    case 'internal':
      return `${a.address} (internal)`;
    case 'aws-internal':
      return `${a.address} (AWS service)`;
  }
}

export function overlapMs(a: ClassifiedAddress, b: ClassifiedAddress): number {
  return Math.min(a.lastSeen.getTime(), b.lastSeen.getTime()) - Math.max(a.firstSeen.getTime(), b.firstSeen.getTime());
}

/** Why a call explains the change, or undefined. Only calls of the alert's (else the key's) account explain. */
function explain(change: IpChange, call: IpChangingCall, ev: AwsEvidence): IpChange['explainedBy'] {
  if (!within(call.time, explainingWindow(change))) return undefined;
  if (!ev.accountId || call.accountId !== ev.accountId) return undefined;
  if (ev.instanceId && call.instanceIds.includes(ev.instanceId)) {
    return { call, case: 'a', why: `${call.action} on this instance ${ev.instanceId} at ${iso(call.time)}` };
  }
  const proxy = call.instanceIds.find((id) => ev.sightings.some((s) => s.instanceId === id && sameIp(s.ip, change.to.address)));
  if (proxy) {
    return { call, case: 'b', why: `${call.action} on ${proxy} at ${iso(call.time)}, the NAT/proxy instance whose own instance-profile credentials were used from ${change.to.address}` };
  }
  if (ADDRESS_ACTIONS.includes(call.action)) {
    const named = call.ips.find((ip) => sameIp(ip, change.from.address) || sameIp(ip, change.to.address));
    if (named) return { call, case: 'c', why: `${call.action} naming the address ${named} at ${iso(call.time)}` };
  }
  return undefined;
}

export function ipChanges(publicAddresses: ClassifiedAddress[], ev: AwsEvidence): IpChange[] {
  return consecutivePairs(publicAddresses).map((pair) => {
    const change: IpChange = { ...pair };
    for (const call of ev.calls) {
      const why = explain(change, call, ev);
      if (why) {
        change.explainedBy = why;
        break;
      }
    }
    return change;
  });
}

/** Why an unexplained change might still have an explaining call we could not see. */
export function unseenExplanations(unexplained: IpChange[], ev: AwsEvidence): string[] {
  if (unexplained.length === 0) return [];
  const why: string[] = [];
  if (!ev.accountId) why.push('the account is unknown: no call can be matched to it');
  if (!ev.instanceId) why.push('the instance id is unknown: a call on it cannot be recognised');
  why.push(...(ev.callsIncomplete ?? []), ...(ev.sightingsIncomplete ?? []));
  for (const c of unexplained) {
    const w = explainingWindow(c);
    for (const call of ev.calls.filter((k) => k.unreadable && k.accountId === ev.accountId && within(k.time, w))) {
      why.push(`the parameters of ${call.action} at ${iso(call.time)} could not be read: what it targets is unknown`);
    }
  }
  return [...new Set(why)];
}
