import { instanceIdOfPrincipal, ipChangingCallFromDocument, PRINCIPAL_FIELDS } from '../cloudtrail-targets.js';
import { firstString, strings, timestamp, type EcsDocument } from '../documents.js';
import { IP_CHANGING_ACTIONS, type AddressUsage, type CloudTrailEvidence, type InstanceSighting, type IpChangingCall, type KeyActivity, type TimeWindow } from '../ports.js';
import { allStrings, termsOrder, type MemoryDocuments } from './store.js';
import { sameIp } from '../../enrich/ip.js';

const DATASET = 'aws.cloudtrail';

export class MemoryCloudTrail implements CloudTrailEvidence {
  constructor(private readonly docs: MemoryDocuments) {}

  async keyActivity(accessKeyId: string, window: TimeWindow): Promise<KeyActivity> {
    const events = this.docs.inWindow(DATASET, window).filter((d) => strings(d, 'aws.cloudtrail.user_identity.access_key_id').includes(accessKeyId));
    const groups = new Map<string, EcsDocument[]>();
    for (const d of events) {
      const address = firstString(d, 'source.address') ?? firstString(d, 'source.ip');
      if (address === undefined) continue;
      groups.set(address, [...(groups.get(address) ?? []), d]);
    }
    const byAddress: AddressUsage[] = [...groups.entries()].map(([address, docs]) => {
      const times = docs.map((d) => timestamp(d)!.getTime());
      return {
        address,
        firstSeen: new Date(Math.min(...times)),
        lastSeen: new Date(Math.max(...times)),
        events: docs.length,
        userAgents: termsOrder(allStrings(docs, 'user_agent.original')),
        eventNames: termsOrder(allStrings(docs, 'event.action')),
      };
    });
    byAddress.sort((a, b) => b.events - a.events || (a.address < b.address ? -1 : 1));
    return {
      events: events.length,
      byAddress,
      principalIds: [...termsOrder(allStrings(events, 'user.id')), ...termsOrder(allStrings(events, 'aws.cloudtrail.user_identity.arn'))],
      accountIds: termsOrder(allStrings(events, 'cloud.account.id')),
    };
  }

  async ipChangingCalls(accountId: string | undefined, window: TimeWindow): Promise<IpChangingCall[]> {
    const actions: readonly string[] = IP_CHANGING_ACTIONS;
    return this.docs
      .inWindow(DATASET, window)
      .filter((d) => {
        const action = firstString(d, 'event.action');
        return (
          action !== undefined &&
          actions.includes(action) &&
          firstString(d, 'event.outcome') !== 'failure' &&
          strings(d, 'aws.cloudtrail.error_code').length === 0 &&
          (accountId === undefined || firstString(d, 'cloud.account.id') === accountId)
        );
      })
      .flatMap((d) => ipChangingCallFromDocument(d) ?? [])
      .sort((a, b) => a.time.getTime() - b.time.getTime());
  }

  async instanceSessionsFrom(accountId: string | undefined, ips: string[], window: TimeWindow): Promise<InstanceSighting[]> {
    const seen = new Set<string>();
    const out: InstanceSighting[] = [];
    for (const d of this.docs.inWindow(DATASET, window)) {
      if (accountId !== undefined && firstString(d, 'cloud.account.id') !== accountId) continue;
      const ip = firstString(d, 'source.ip');
      const wanted = ip === undefined ? undefined : ips.find((i) => sameIp(i, ip));
      if (wanted === undefined) continue;
      for (const principal of PRINCIPAL_FIELDS.flatMap((f) => strings(d, f))) {
        const instanceId = instanceIdOfPrincipal(principal);
        const key = `${wanted}|${instanceId}`;
        if (instanceId && !seen.has(key)) {
          seen.add(key);
          out.push({ ip: wanted, instanceId });
        }
      }
    }
    return out;
  }
}
