// IP changes of the AWS flow, pure: consecutive public IPs by first use, and the time in which a call can explain each.
import type { AddressUsage, TimeWindow } from '../../evidence/ports.js';
import type { IpClass } from '../../enrich/ip-class.js';

/** An address the key was used from, with its class (AWS, company, public …). */
export interface ClassifiedAddress extends AddressUsage {
  class: IpClass;
}

const MINUTE = 60_000;
/** A call explains a change when it falls between the old IP's last use and the new one's first use, ±5 min. */
export const CALL_TOLERANCE_MS = 5 * MINUTE;

export interface AddressPair {
  from: ClassifiedAddress;
  to: ClassifiedAddress;
}

/** "IP change": the public IPs sorted by first seen; each consecutive pair is one change. */
export function consecutivePairs(publicAddresses: ClassifiedAddress[]): AddressPair[] {
  const sorted = [...publicAddresses].sort((x, y) => x.firstSeen.getTime() - y.firstSeen.getTime());
  return sorted.slice(1).map((to, i) => ({ from: sorted[i]!, to }));
}

/**
 * When a call can explain the change: between the old IP's last use and the new IP's first use; when the
 * two overlap (by up to 2 min), between the earlier and the later of those times; ±5 min either way.
 */
export function explainingWindow(change: AddressPair): TimeWindow {
  const a = change.from.lastSeen.getTime();
  const b = change.to.firstSeen.getTime();
  return { from: new Date(Math.min(a, b) - CALL_TOLERANCE_MS), to: new Date(Math.max(a, b) + CALL_TOLERANCE_MS) };
}

export function within(t: Date, w: TimeWindow): boolean {
  return t.getTime() >= w.from.getTime() && t.getTime() <= w.to.getTime();
}
