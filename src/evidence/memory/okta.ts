import { sameIp } from '../../enrich/ip.js';
import { oktaEventFromEcs } from '../okta-ecs.js';
import { isSuccess, SIGN_IN } from '../okta-events.js';
import { strings } from '../documents.js';
import { DEFAULT_AGENT_IP_FIELDS, type AgentSightings, type OktaEvent, type OktaLogEvidence, type OktaUserRef, type Searched, type TimeWindow } from '../ports.js';
import type { MemoryDocuments } from './store.js';

const DATASET = 'okta.system';

function isUser(e: OktaEvent, user: OktaUserRef): boolean {
  return (user.id !== undefined && e.actorId === user.id) || (user.login !== undefined && e.actorLogin?.toLowerCase() === user.login.toLowerCase());
}

export class MemoryOktaLog implements OktaLogEvidence {
  constructor(private readonly docs: MemoryDocuments) {}

  private events(window: TimeWindow): OktaEvent[] {
    return this.docs.inWindow(DATASET, window).flatMap((d) => oktaEventFromEcs(d) ?? []);
  }

  async userEvents(user: OktaUserRef, window: TimeWindow): Promise<Searched<OktaEvent[]>> {
    const all = this.events(window);
    const found = all.filter((e) => isUser(e, user)).sort((a, b) => a.time.getTime() - b.time.getTime() || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
    return { hasData: all.length > 0, found };
  }

  async userEventsOfTypes(user: OktaUserRef, eventTypes: readonly string[], window: TimeWindow): Promise<Searched<OktaEvent[]>> {
    const all = await this.userEvents(user, window);
    return { ...all, found: all.found.filter((e) => eventTypes.includes(e.eventType)) };
  }

  async signInsFrom(user: OktaUserRef, ips: string[], window: TimeWindow): Promise<Searched<string[]>> {
    const all = this.events(window);
    const from = all.filter((e) => isUser(e, user) && e.eventType === SIGN_IN && isSuccess(e)).flatMap((e) => (e.ip ? [e.ip] : []));
    return { hasData: all.length > 0, found: ips.filter((ip) => from.some((f) => sameIp(f, ip))) };
  }

  async userAgentsSeen(user: OktaUserRef, userAgents: string[], window: TimeWindow): Promise<Searched<string[]>> {
    const all = this.events(window);
    const seen = new Set(all.filter((e) => isUser(e, user) && e.eventType === SIGN_IN && isSuccess(e)).flatMap((e) => (e.userAgent ? [e.userAgent] : [])));
    return { hasData: all.length > 0, found: userAgents.filter((ua) => seen.has(ua)) };
  }
}

/** Company agents' sightings: a device's own address (AGENT_IP_FIELDS) in any EDR, proxy or MDM document. */
export class MemoryAgentSightings implements AgentSightings {
  constructor(
    private readonly docs: MemoryDocuments,
    private readonly datasetPrefixes: string[] = ['endpoint.', 'zscaler_zia.', 'jamf_pro.'],
    private readonly fields: readonly string[] = DEFAULT_AGENT_IP_FIELDS,
  ) {}

  async seenFrom(ips: string[], window: TimeWindow): Promise<string[]> {
    return (await this.sightings(ips, window)).found;
  }

  async sightings(ips: string[], window: TimeWindow): Promise<Searched<string[]>> {
    const datasets = this.datasetPrefixes.flatMap((p) => this.docs.datasets(p));
    const docs = datasets.flatMap((ds) => this.docs.inWindow(ds, window));
    const own = docs.flatMap((d) => this.fields.flatMap((f) => strings(d, f)));
    return { hasData: docs.length > 0, found: ips.filter((ip) => own.some((r) => sameIp(r, ip))) };
  }
}
