// MFA push fatigue, gather: the user's MFA events in [T − 1 h, T + 1 h] (Elasticsearch, else the Okta API), and
// whether each requesting IP is known. Failures of a source are evidence too: recorded, never thrown.
import type { OktaMfaFatigueAlert } from '../../alerts/types.js';
import { sameIp } from '../../enrich/ip.js';
import { isPublicAddress } from '../../enrich/ip-class.js';
import { PrefixTable } from '../../enrich/prefix-trie.js';
import type { AgentSightings, OktaDirectory, OktaEvent, OktaLogEvidence, OktaUserRef, Searched } from '../../evidence/ports.js';
import { describeOktaFailure, resolveUserRef } from '../okta/gather.js';
import { MFA_EVENT_TYPES, mfaActivity } from './activity.js';
import type { IpStatus, MfaFatigueEvidence } from './facts.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (d: Date) => d.toISOString();

export interface MfaFatiguePorts {
  log: OktaLogEvidence;
  /** The Okta API, when configured: System Log fallback and user lookup. */
  api?: OktaLogEvidence & OktaDirectory;
  agents: AgentSightings;
  companyCidrs: string[];
  /** N (MFA_FATIGUE_MIN_REJECTIONS). */
  minRejections: number;
}

/** The distinct requesting IPs of pushes and approvals (one spelling each). */
function requestingIps(events: Array<{ ip?: string }>): string[] {
  const out: string[] = [];
  for (const e of events) if (e.ip && !out.some((ip) => sameIp(ip, e.ip!))) out.push(e.ip);
  return out;
}

interface Lookups {
  cidr: PrefixTable<unknown>;
  agents: Searched<string[]> | { error: string };
  history: Searched<string[]> | { error: string };
  agentWindow: string;
  historyWindow: string;
}

/** Known, not known, or unknown (flows.md §4, P2): CIDRs, then agents, then the user's sign-in history. */
function statusOf(ip: string, l: Lookups): IpStatus {
  const cidr = l.cidr.lookup(ip);
  if (cidr) return { ip, status: 'known', reason: `company CIDR ${cidr}` };
  const agentsOk = 'error' in l.agents ? undefined : l.agents;
  // A device's own public address only (as in the Okta flow): a private one an agent recorded says nothing.
  if (isPublicAddress(ip) && agentsOk?.found.some((f) => sameIp(f, ip))) return { ip, status: 'known', reason: `company agents recorded it as a device’s own address in ${l.agentWindow}` };
  const historyOk = 'error' in l.history ? undefined : l.history;
  if (historyOk?.found.some((f) => sameIp(f, ip))) return { ip, status: 'known', reason: `the user signed in successfully from it in ${l.historyWindow}` };
  const where = `not in the company CIDRs nor the user’s successful sign-ins of ${l.historyWindow}`;
  if ('error' in l.history) return { ip, status: 'unknown', reason: `the user’s sign-in history could not be read (${l.history.error})` };
  if (historyOk?.incomplete?.length) return { ip, status: 'unknown', reason: `${where} as far as read: ${historyOk.incomplete.join('; ')}` };
  if ('error' in l.agents) return { ip, status: 'unknown', reason: `${where}; company agent sightings could not be read (${l.agents.error})` };
  if (!l.agents.hasData) return { ip, status: 'unknown', reason: `${where}, and the company agent indices have no data at all in ${l.agentWindow}` };
  return { ip, status: 'not_known', reason: `${where}, nor recorded by company agents in ${l.agentWindow}` };
}

async function ipStatuses(ips: string[], user: OktaUserRef, log: OktaLogEvidence, ports: MfaFatiguePorts, T: number): Promise<IpStatus[]> {
  if (ips.length === 0) return [];
  const cidr = PrefixTable.fromCidrs(ports.companyCidrs);
  const agentWindow = { from: new Date(T - 30 * DAY), to: new Date(T) };
  // As in the Okta flow: the last day is left out, so an attacker who got in shortly before is not "known".
  const historyWindow = { from: new Date(T - 90 * DAY), to: new Date(T - DAY - 1) };
  const open = ips.filter((ip) => !cidr.lookup(ip));
  const failed = (err: unknown) => ({ error: describeOktaFailure(err) });
  const [agents, history] = await Promise.all([
    // Every open IP, private ones too: P2's "no agent data in the window → unknown" holds whatever the address.
    open.length ? ports.agents.sightings(open, agentWindow).catch(failed) : Promise.resolve({ hasData: true, found: [] }),
    open.length ? log.signInsFrom(user, open, historyWindow).catch(failed) : Promise.resolve({ hasData: true, found: [] }),
  ]);
  const range = (w: { from: Date; to: Date }) => `${iso(w.from)} – ${iso(w.to)}`;
  return ips.map((ip) => statusOf(ip, { cidr, agents, history, agentWindow: range(agentWindow), historyWindow: range(historyWindow) }));
}

export async function gatherMfaFatigue(alert: OktaMfaFatigueAlert, ports: MfaFatiguePorts): Promise<MfaFatigueEvidence> {
  const T = alert.time.getTime();
  const notes: string[] = [];
  const user = await resolveUserRef(alert, ports, notes);
  const window = { from: new Date(T - HOUR), to: new Date(T + HOUR) };
  let source: MfaFatigueEvidence['source'] = 'none';
  let sourceError: string | undefined;
  let logSource: OktaLogEvidence | undefined;
  let log: Searched<OktaEvent[]> = { hasData: false, found: [] };
  const fromEs = await ports.log.userEventsOfTypes(user, MFA_EVENT_TYPES, window);
  if (fromEs.hasData) {
    [source, logSource, log] = ['elasticsearch', ports.log, fromEs];
  } else if (ports.api) {
    try {
      log = await ports.api.userEventsOfTypes(user, MFA_EVENT_TYPES, window);
      [source, logSource] = ['okta-api', ports.api];
    } catch (err) {
      sourceError = `Okta System Log API failed: ${describeOktaFailure(err)}`;
    }
  }
  const activity = mfaActivity(log.found);
  const ips = logSource ? await ipStatuses(requestingIps([...activity.pushes, ...activity.approvals]), user, logSource, ports, T) : [];
  return {
    user,
    source,
    ...(sourceError ? { sourceError } : {}),
    window,
    hasData: log.hasData,
    ...(log.incomplete?.length ? { logIncomplete: log.incomplete } : {}),
    activity,
    ips,
    minRejections: ports.minRejections,
    notes,
  };
}
