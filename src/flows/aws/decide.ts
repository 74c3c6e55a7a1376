// AWS flow, decide: steps A0–A9 of flows.md, pure. The first step that decides wins; a step that
// answers `unknown` decides nothing, and a benign row reached after one gives `inconclusive` (v3).
// The steps themselves are in steps.ts, one function each; this file gathers what they read and the facts.
import type { AwsCredentialAlert } from '../../alerts/types.js';
import { isPublicClass } from '../../enrich/ip-class.js';
import { osFamily, type OsFamily } from '../../enrich/user-agent.js';
import type { FlowVerdict } from '../verdict-core.js';
import type { AwsEvidence } from './gather.js';
import type { AwsFacts } from './verdict-facts.js';
import { iso, ipChanges } from './ip-changes.js';
import { AWS_STEPS, type AwsContext } from './steps.js';

export type { IpChange } from './ip-changes.js';
export { ipChanges } from './ip-changes.js';

/** This flow's verdict. */
export type AwsVerdict = FlowVerdict<'aws_instance_credentials', AwsFacts>;

export function decideAws(alert: AwsCredentialAlert, ev: AwsEvidence): AwsVerdict {
  const addressed = ev.addresses;
  const publicAddresses = addressed.filter((a) => isPublicClass(a.class));
  const userAgents = [...new Set(publicAddresses.flatMap((a) => a.userAgents))];
  const families = new Map<OsFamily, string[]>();
  for (const ua of userAgents) {
    const f = osFamily(ua);
    if (f) families.set(f, [...(families.get(f) ?? []), ua]);
  }
  // What the key's events leave unknown (v3): where address-less events came from, addresses beyond a cap,
  // user agents beyond a cap or absent.
  const addressGaps = [
    ...(ev.eventsWithoutAddress > 0 ? [`${ev.eventsWithoutAddress} event(s) carry no source address`] : []),
    ...(ev.addressesCut ? [ev.addressesCut] : []),
  ];
  const agentCut = publicAddresses.reduce((n, a) => n + a.userAgentsCut, 0);
  const agentless = publicAddresses.reduce((n, a) => n + a.eventsWithoutUserAgent, 0);
  const agentGaps = [
    ...addressGaps,
    ...(agentCut > 0 ? [`the user agents of ${agentCut} event(s) were cut from the list`] : []),
    ...(agentless > 0 ? [`${agentless} event(s) from public IPs carry no user agent`] : []),
  ];
  const changes = publicAddresses.length >= 2 ? ipChanges(publicAddresses, ev) : [];
  const facts: AwsFacts = {
    access_key_id: alert.accessKeyId,
    instance_id: ev.instanceId ?? null,
    instance_id_from: ev.instanceIdFrom ?? null,
    role_arn: ev.roleArn ?? null,
    session_issuer_arns: ev.sessionIssuerArns,
    account_id: ev.accountId ?? null,
    home_region: alert.region ?? null,
    instance_public_ips: alert.instancePublicIps,
    window: { from: iso(ev.window.from), to: iso(ev.window.to) },
    events: ev.events,
    events_without_address: ev.eventsWithoutAddress,
    ips: addressed.map((a) => ({
      address: a.address,
      class: a.class.kind,
      region: a.class.kind === 'aws' ? a.class.region : null,
      range: 'range' in a.class ? a.class.range : null,
      first_seen: iso(a.firstSeen),
      last_seen: iso(a.lastSeen),
      events: a.events,
      user_agents: a.userAgents,
      event_names: a.eventNames.slice(0, 20),
      ...(a.calls ? { calls: a.calls.slice(0, 20) } : {}),
    })),
    user_agents: userAgents,
    os_families: [...families.keys()],
    ip_changes: changes.map((c) => ({
      from: c.from.address,
      to: c.to.address,
      explained_by: c.explainedBy ? { action: c.explainedBy.call.action, time: iso(c.explainedBy.call.time), case: c.explainedBy.case, why: c.explainedBy.why } : null,
    })),
    ip_changing_calls: ev.calls.length,
    incomplete: [...agentGaps, ...(ev.callsIncomplete ?? []), ...(ev.sightingsIncomplete ?? [])],
  };
  const ctx: AwsContext = { alert, ev, publicAddresses, ignored: addressed.filter((a) => !isPublicClass(a.class)), userAgents, families, addressGaps, agentGaps, changes, path: [], unknown: [] };
  for (const step of AWS_STEPS) {
    const ending = step(ctx);
    if (ending) return { alert_id: alert.id, flow: 'aws_instance_credentials', verdict: ending.verdict, score: ending.score, summary: ending.summary, path: ctx.path, facts };
  }
  // A9 always decides; this line is never reached.
  throw new Error('AWS flow: no step decided');
}
