// AWS flow, decide: steps A0–A9 of flows.md, pure. The first step that decides wins.
import type { AwsCredentialAlert } from '../../alerts/types.js';
import { ADDRESS_ACTIONS, type IpChangingCall } from '../../evidence/ports.js';
import { isPublicClass } from '../../enrich/ip-class.js';
import { sameIp } from '../../enrich/ip.js';
import { osFamily, type OsFamily } from '../../enrich/user-agent.js';
import type { PathStep, Verdict, VerdictClass } from '../../verdict.js';
import type { AwsEvidence, ClassifiedAddress } from './gather.js';

const MINUTE = 60_000;
const OVERLAP_TOLERANCE = 2 * MINUTE;
const CALL_TOLERANCE = 5 * MINUTE;

export interface IpChange {
  from: ClassifiedAddress;
  to: ClassifiedAddress;
  explainedBy?: { call: IpChangingCall; case: 'a' | 'b' | 'c'; why: string };
}

const iso = (d: Date) => d.toISOString();

function describeAddress(a: ClassifiedAddress): string {
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

function overlapMs(a: ClassifiedAddress, b: ClassifiedAddress): number {
  return Math.min(a.lastSeen.getTime(), b.lastSeen.getTime()) - Math.max(a.firstSeen.getTime(), b.firstSeen.getTime());
}

/** Why a call explains the change from `from` to `to`, or undefined. */
function explain(change: IpChange, call: IpChangingCall, ev: AwsEvidence): IpChange['explainedBy'] {
  const a = change.from.lastSeen.getTime();
  const b = change.to.firstSeen.getTime();
  const t = call.time.getTime();
  if (t < Math.min(a, b) - CALL_TOLERANCE || t > Math.max(a, b) + CALL_TOLERANCE) return undefined;
  if (ev.accountId && call.accountId && call.accountId !== ev.accountId) return undefined;
  if (ev.instanceId && call.instanceIds.includes(ev.instanceId)) {
    return { call, case: 'a', why: `${call.action} on this instance ${ev.instanceId} at ${iso(call.time)}` };
  }
  const proxy = call.instanceIds.find((id) => ev.sightings.some((s) => s.instanceId === id && sameIp(s.ip, change.to.address)));
  if (proxy) {
    return { call, case: 'b', why: `${call.action} on ${proxy} at ${iso(call.time)}, whose own instance-profile credentials were used from ${change.to.address} (NAT/proxy instance)` };
  }
  if (ADDRESS_ACTIONS.includes(call.action)) {
    const named = call.ips.find((ip) => sameIp(ip, change.from.address) || sameIp(ip, change.to.address));
    if (named) return { call, case: 'c', why: `${call.action} naming ${named} at ${iso(call.time)}` };
  }
  return undefined;
}

export function ipChanges(publicAddresses: ClassifiedAddress[], ev: AwsEvidence): IpChange[] {
  const sorted = [...publicAddresses].sort((x, y) => x.firstSeen.getTime() - y.firstSeen.getTime());
  const changes: IpChange[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const change: IpChange = { from: sorted[i - 1]!, to: sorted[i]! };
    for (const call of ev.calls) {
      const why = explain(change, call, ev);
      if (why) {
        change.explainedBy = why;
        break;
      }
    }
    changes.push(change);
  }
  return changes;
}

export function decideAws(alert: AwsCredentialAlert, ev: AwsEvidence): Verdict {
  const path: PathStep[] = [];
  const publicAddresses = ev.addresses.filter((a) => isPublicClass(a.class));
  const ignored = ev.addresses.filter((a) => !isPublicClass(a.class));
  const userAgents = [...new Set(publicAddresses.flatMap((a) => a.userAgents))];
  const families = new Map<OsFamily, string[]>();
  for (const ua of userAgents) {
    const f = osFamily(ua);
    if (f) families.set(f, [...(families.get(f) ?? []), ua]);
  }
  const changes = publicAddresses.length >= 2 ? ipChanges(publicAddresses, ev) : [];
  const facts: Record<string, unknown> = {
    access_key_id: alert.accessKeyId,
    instance_id: ev.instanceId ?? null,
    instance_id_from: ev.instanceIdFrom ?? null,
    account_id: ev.accountId ?? null,
    home_region: alert.region ?? null,
    instance_public_ips: alert.instancePublicIps,
    window: { from: iso(ev.window.from), to: iso(ev.window.to) },
    events: ev.events,
    ips: ev.addresses.map((a) => ({
      address: a.address,
      class: a.class.kind,
      region: a.class.kind === 'aws' ? a.class.region : null,
      range: 'range' in a.class ? a.class.range : null,
      first_seen: iso(a.firstSeen),
      last_seen: iso(a.lastSeen),
      events: a.events,
      user_agents: a.userAgents,
      event_names: a.eventNames.slice(0, 20),
    })),
    user_agents: userAgents,
    os_families: [...families.keys()],
    ip_changes: changes.map((c) => ({
      from: c.from.address,
      to: c.to.address,
      explained_by: c.explainedBy ? { action: c.explainedBy.call.action, time: iso(c.explainedBy.call.time), case: c.explainedBy.case, why: c.explainedBy.why } : null,
    })),
    ip_changing_calls: ev.calls.length,
  };
  const done = (verdict: VerdictClass, score: number | null, summary: string): Verdict => ({
    alert_id: alert.id,
    flow: 'aws_instance_credentials',
    verdict,
    score,
    summary,
    path,
    facts,
  });
  const step = (id: string, question: string, yes: boolean, evidence: string) => {
    path.push({ step: id, question, answer: yes ? 'yes' : 'no', evidence });
    return yes;
  };

  // A0
  if (step('A0', 'No CloudTrail event at all for the key in the window?', ev.events === 0,
    ev.events === 0
      ? `no event of ${alert.accessKeyId} in ${iso(ev.window.from)} – ${iso(ev.window.to)}`
      : `${ev.events} events from ${ev.addresses.length} source address(es)${ignored.length ? `; ignored: ${ignored.map(describeAddress).join(', ')}` : ''}`)) {
    return done('inconclusive', null, `No CloudTrail activity for ${alert.accessKeyId} in the window: nothing to judge.`);
  }

  // A1
  const nonAws = publicAddresses.filter((a) => a.class.kind === 'non-aws');
  if (step('A1', 'Is any public IP non-AWS (and not trusted)?', nonAws.length > 0,
    nonAws.length > 0 ? `non-AWS: ${nonAws.map((a) => `${a.address} (${a.events} events, ${iso(a.firstSeen)} – ${iso(a.lastSeen)})`).join(', ')}` : `public IPs: ${publicAddresses.map(describeAddress).join(', ') || 'none'}`)) {
    return done('malicious', 90, `Instance credentials ${alert.accessKeyId} used from outside AWS: ${nonAws.map((a) => a.address).join(', ')}.`);
  }

  // A2
  const familyText = [...families.entries()].map(([f, uas]) => `${f}: ${uas.join(' | ')}`).join('; ');
  if (step('A2', 'Do the user agents show ≥ 2 OS families?', families.size >= 2, familyText || `no OS family in ${userAgents.length} user agent(s)`)) {
    return done('malicious', 85, `The credentials were used from ${families.size} operating systems (${[...families.keys()].join(', ')}): two different machines.`);
  }

  // A3
  const regions = new Set<string>();
  for (const a of publicAddresses) if (a.class.kind === 'aws' && a.class.region) regions.add(a.class.region);
  if (alert.region) regions.add(alert.region);
  if (step('A3', 'Do the AWS IPs (plus the home region, when known) span ≥ 2 AWS regions?', regions.size >= 2,
    `regions: ${[...regions].join(', ') || 'none'}${alert.region ? ` (home region ${alert.region})` : ''}`)) {
    return done('malicious', 80, `The credentials were used from ${regions.size} AWS regions (${[...regions].join(', ')}): not an IP change of the instance.`);
  }

  // A4
  if (publicAddresses.length <= 1) {
    const only = publicAddresses[0];
    const known = alert.instancePublicIps;
    const notInstance = only !== undefined && known.length > 0 && !known.some((ip) => sameIp(ip, only.address));
    path.push({
      step: 'A4',
      question: 'At most one public IP in all?',
      answer: notInstance ? 'yes, and it is not the instance’s own public IP' : 'yes',
      evidence: only
        ? `one public IP: ${describeAddress(only)}${known.length ? `; instance public IP(s): ${known.join(', ')}` : '; instance public IP unknown'}`
        : 'no public IP (only internal or AWS-service sources)',
    });
    if (notInstance) return done('malicious', 80, `Credentials used from one place, ${only.address}, which is not the instance’s own public IP (${known.join(', ')}).`);
    return done('benign', 15, `Credentials used from ${only ? `a single public IP (${only.address})` : 'no public IP'}: no reuse to explain.`);
  }
  path.push({ step: 'A4', question: 'At most one public IP in all?', answer: 'no', evidence: `${publicAddresses.length} public IPs: ${publicAddresses.map(describeAddress).join(', ')}` });

  // A5
  let concurrent: [ClassifiedAddress, ClassifiedAddress, number] | undefined;
  for (let i = 0; i < publicAddresses.length && !concurrent; i++) {
    for (let j = i + 1; j < publicAddresses.length && !concurrent; j++) {
      const ms = overlapMs(publicAddresses[i]!, publicAddresses[j]!);
      if (ms > OVERLAP_TOLERANCE) concurrent = [publicAddresses[i]!, publicAddresses[j]!, ms];
    }
  }
  if (step('A5', 'Were two public IPs in use at the same time (overlap > 2 min)?', concurrent !== undefined,
    concurrent ? `${concurrent[0].address} and ${concurrent[1].address} were both in use for ${Math.round(concurrent[2] / MINUTE)} min` : 'no two public IPs overlap by more than 2 minutes')) {
    return done('suspicious', 65, `Two public IPs (${concurrent![0].address}, ${concurrent![1].address}) used the credentials at the same time: an IP change cannot explain that.`);
  }

  // A6
  const unexplained = changes.filter((c) => !c.explainedBy);
  const changeText = changes.map((c) => `${c.from.address} → ${c.to.address}: ${c.explainedBy ? `explained (case ${c.explainedBy.case}) by ${c.explainedBy.why}` : 'no explaining call'}`).join('; ');
  if (step('A6', 'Is every IP change explained by an IP-changing call?', unexplained.length === 0, `${changeText} (${ev.calls.length} IP-changing call(s) in the account)`)) {
    return done('benign', 10, `Every IP change is explained by an IP-changing API call (${changes.map((c) => c.explainedBy!.call.action).join(', ')}).`);
  }

  // A7, A8, A9
  const oneChange = changes.length === 1;
  const oneAgent = userAgents.length === 1;
  const counts = `${changes.length} IP change(s), ${userAgents.length} distinct user agent(s)`;
  if (step('A7', 'Exactly one IP change and exactly one distinct user agent?', oneChange && oneAgent, counts)) {
    return done('benign', 20, `One unexplained IP change with a single user agent throughout: most likely a benign IP change.`);
  }
  if (step('A8', 'Exactly one IP change or exactly one distinct user agent?', oneChange || oneAgent, counts)) {
    return done('suspicious', 40, `Unexplained IP change(s) (${counts}); likely benign, an analyst should confirm.`);
  }
  path.push({ step: 'A9', question: 'Otherwise', answer: 'yes', evidence: counts });
  return done('suspicious', 60, `Several unexplained IP changes and user agents (${counts}): an analyst must look.`);
}
