import { callAnswers, instanceIdOfPrincipal, ipChangingCallFromDocument, PRINCIPAL_FIELDS } from '../cloudtrail-targets.js';
import { firstString, strings, timestamp, type EcsDocument } from '../documents.js';
import { IP_CHANGING_ACTIONS, type AddressUsage, type CallQuery, type CloudTrailEvidence, type Found, type InstanceSighting, type IpChangingCall, type KeyActivity, type TimeWindow } from '../ports.js';
import { allStrings, termsOrder, type MemoryDocuments } from './store.js';
import { sameIp } from '../../enrich/ip.js';

const DATASET = 'aws.cloudtrail';

export class MemoryCloudTrail implements CloudTrailEvidence {
  constructor(private readonly docs: MemoryDocuments) {}

  async keyActivity(accessKeyId: string, window: TimeWindow): Promise<KeyActivity> {
    const events = this.docs.inWindow(DATASET, window).filter((d) => strings(d, 'aws.cloudtrail.user_identity.access_key_id').includes(accessKeyId));
    const groups = new Map<string, EcsDocument[]>();
    let eventsWithoutAddress = 0;
    for (const d of events) {
      const address = firstString(d, 'source.address') ?? firstString(d, 'source.ip');
      if (address === undefined) {
        eventsWithoutAddress++;
        continue;
      }
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
        userAgentsCut: 0,
        eventsWithoutUserAgent: docs.filter((d) => strings(d, 'user_agent.original').length === 0).length,
        eventNames: termsOrder(allStrings(docs, 'event.action')),
        calls: callCounts(allStrings(docs, 'event.action')),
      };
    });
    byAddress.sort((a, b) => b.events - a.events || (a.address < b.address ? -1 : 1));
    return {
      events: events.length,
      byAddress,
      eventsWithoutAddress,
      principalIds: [...termsOrder(allStrings(events, 'user.id')), ...termsOrder(allStrings(events, 'aws.cloudtrail.user_identity.arn'))],
      sessionIssuerArns: termsOrder(allStrings(events, 'aws.cloudtrail.user_identity.session_context.session_issuer.arn')),
      accountIds: termsOrder(allStrings(events, 'cloud.account.id')),
    };
  }

  async ipChangingCalls(query: CallQuery): Promise<Found<IpChangingCall[]>> {
    const actions: readonly string[] = IP_CHANGING_ACTIONS;
    const from = Math.min(...query.windows.map((w) => w.from.getTime()));
    const to = Math.max(...query.windows.map((w) => w.to.getTime()));
    if (!Number.isFinite(from)) return { found: [] };
    const found = this.docs
      .inWindow(DATASET, { from: new Date(from), to: new Date(to) })
      .filter((d) => {
        const action = firstString(d, 'event.action');
        return action !== undefined && actions.includes(action) && firstString(d, 'event.outcome') !== 'failure' && strings(d, 'aws.cloudtrail.error_code').length === 0;
      })
      .flatMap((d) => ipChangingCallFromDocument(d) ?? [])
      .filter((c) => callAnswers(c, query))
      .sort((a, b) => a.time.getTime() - b.time.getTime());
    return { found };
  }

  async instanceSessionsFrom(accountId: string, ips: string[], window: TimeWindow): Promise<Found<InstanceSighting[]>> {
    const seen = new Set<string>();
    const out: InstanceSighting[] = [];
    for (const d of this.docs.inWindow(DATASET, window)) {
      if (firstString(d, 'cloud.account.id') !== accountId) continue;
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
    return { found: out };
  }
}

/** Each call with how many events made it, most first (then by name), as a terms aggregation orders them; the first 20. */
function callCounts(actions: string[]): Array<{ name: string; events: number }> {
  const counts = new Map<string, number>();
  for (const a of actions) counts.set(a, (counts.get(a) ?? 0) + 1);
  return termsOrder(actions).slice(0, 20).map((name) => ({ name, events: counts.get(name)! }));
}
