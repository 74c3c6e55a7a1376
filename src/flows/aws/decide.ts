// AWS flow, decide: steps A0–A9 of flows.md, pure. The first step that decides wins; a step that
// answers `unknown` decides nothing, and a benign row reached after one gives `inconclusive` (v3).
import type { AwsCredentialAlert } from '../../alerts/types.js';
import { ADDRESS_ACTIONS, type IpChangingCall } from '../../evidence/ports.js';
import { isPublicClass } from '../../enrich/ip-class.js';
import { sameIp } from '../../enrich/ip.js';
import { osFamily, type OsFamily } from '../../enrich/user-agent.js';
import type { PathStep, Verdict, VerdictClass } from '../verdict.js';
import { consecutivePairs, explainingWindow, within, type AddressPair } from './changes.js';
import type { ClassifiedAddress } from './changes.js';
import type { AwsEvidence } from './gather.js';

const MINUTE = 60_000;
const OVERLAP_TOLERANCE = 2 * MINUTE;

export interface IpChange extends AddressPair {
  explainedBy?: { call: IpChangingCall; case: 'a' | 'b' | 'c'; why: string };
}

type Answer = 'yes' | 'no' | 'unknown';
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
function unseenExplanations(unexplained: IpChange[], ev: AwsEvidence): string[] {
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

export function decideAws(alert: AwsCredentialAlert, ev: AwsEvidence): Verdict {
  const path: PathStep[] = [];
  const unknown: Array<{ step: string; why: string }> = [];
  const addressed = ev.addresses;
  const publicAddresses = addressed.filter((a) => isPublicClass(a.class));
  const ignored = addressed.filter((a) => !isPublicClass(a.class));
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
  const facts: Record<string, unknown> = {
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
  const done = (verdict: VerdictClass, score: number | null, summary: string): Verdict => ({
    alert_id: alert.id,
    flow: 'aws_instance_credentials',
    verdict,
    score,
    summary,
    path,
    facts,
  });
  /** Records a step; an `unknown` answer is remembered with its reason and decides nothing. */
  const step = (id: string, question: string, answer: Answer, evidence: string, gaps: string[] = []): boolean => {
    const full = answer === 'unknown' && gaps.length ? `${evidence}; unknown: ${gaps.join('; ')}` : evidence;
    path.push({ step: id, question, answer, evidence: full });
    if (answer === 'unknown') unknown.push({ step: id, why: gaps.join('; ') });
    return answer === 'yes';
  };
  /** "yes" when shown, else "unknown" when evidence is missing, else "no". */
  const judged = (yes: boolean, gaps: string[]): Answer => (yes ? 'yes' : gaps.length ? 'unknown' : 'no');
  /** A benign row: benign, unless a step before it could not be answered (v3). */
  const benign = (score: number, summary: string): Verdict => {
    if (unknown.length === 0) return done('benign', score, summary);
    const last = path.at(-1)!;
    const names = unknown.map((u) => u.step).join(', ');
    last.evidence += `; no benign verdict while ${names} could not be answered: inconclusive`;
    return done('inconclusive', null, `Would be benign (${last.step}: ${summary}), but ${unknown.map((u) => `${u.step} could not be answered (${u.why})`).join('; ')}.`);
  };

  // A0
  const a0 = ev.events === 0 || addressed.length === 0;
  step('A0', 'No CloudTrail event at all for the key in the window (or none with a source address)?', a0 ? 'yes' : 'no',
    ev.events === 0
      ? `no event of ${alert.accessKeyId} in ${iso(ev.window.from)} – ${iso(ev.window.to)}`
      : addressed.length === 0
        ? `${ev.events} event(s), none with a source address`
        : `${ev.events} events from ${addressed.length} source address(es)${ev.eventsWithoutAddress ? `, ${ev.eventsWithoutAddress} without one` : ''}${ignored.length ? `; ignored: ${ignored.map(describeAddress).join(', ')}` : ''}`);
  if (a0) {
    return done('inconclusive', null, ev.events === 0
      ? `No CloudTrail activity for ${alert.accessKeyId} in the window: nothing to judge.`
      : `None of the ${ev.events} CloudTrail events of ${alert.accessKeyId} carries a source address: nothing to judge.`);
  }

  // A1
  const nonAws = publicAddresses.filter((a) => a.class.kind === 'non-aws');
  if (step('A1', 'Is any public IP non-AWS (and not trusted)?', judged(nonAws.length > 0, addressGaps),
    nonAws.length > 0 ? `non-AWS: ${nonAws.map((a) => `${a.address} (${a.events} events, ${iso(a.firstSeen)} – ${iso(a.lastSeen)})`).join(', ')}` : `public IPs: ${publicAddresses.map(describeAddress).join(', ') || 'none'}`,
    addressGaps)) {
    return done('malicious', 90, `Instance credentials ${alert.accessKeyId} used from outside AWS: ${nonAws.map((a) => a.address).join(', ')}.`);
  }

  // A2
  const familyText = [...families.entries()].map(([f, uas]) => `${f}: ${uas.join(' | ')}`).join('; ');
  if (step('A2', 'Do the user agents show ≥ 2 OS families?', judged(families.size >= 2, agentGaps), familyText || `no OS family in ${userAgents.length} user agent(s)`, agentGaps)) {
    return done('malicious', 85, `The credentials were used from ${families.size} operating systems (${[...families.keys()].join(', ')}): two different machines.`);
  }

  // A3
  const regions = new Set<string>();
  for (const a of publicAddresses) if (a.class.kind === 'aws' && a.class.region) regions.add(a.class.region);
  if (alert.region) regions.add(alert.region);
  if (step('A3', 'Do the AWS IPs (plus the home region, when known) span ≥ 2 AWS regions?', judged(regions.size >= 2, addressGaps),
    `regions: ${[...regions].join(', ') || 'none'}${alert.region ? ` (home region ${alert.region})` : ''}`, addressGaps)) {
    return done('malicious', 80, `The credentials were used from ${regions.size} AWS regions (${[...regions].join(', ')}): not an IP change of the instance.`);
  }

  // A4
  const a4q = 'At most one public IP in all?';
  if (publicAddresses.length <= 1) {
    const only = publicAddresses[0];
    const known = alert.instancePublicIps;
    const notInstance = only !== undefined && known.length > 0 && !known.some((ip) => sameIp(ip, only.address));
    const evidence = only
      ? `one public IP: ${describeAddress(only)}${known.length ? `; instance public IP(s): ${known.join(', ')}` : '; instance public IP unknown'}`
      : 'no public IP (only internal or AWS-service sources)';
    if (addressGaps.length > 0) step('A4', a4q, 'unknown', evidence, addressGaps);
    else {
      path.push({ step: 'A4', question: a4q, answer: notInstance ? 'yes, and it is not the instance’s own public IP' : 'yes', evidence });
      if (notInstance) return done('malicious', 80, `Credentials used from one place, ${only.address}, which is not the instance’s own public IP (${known.join(', ')}).`);
      return benign(15, `Credentials used from ${only ? `a single public IP (${only.address})` : 'no public IP'}: no reuse to explain.`);
    }
  } else step('A4', a4q, 'no', `${publicAddresses.length} public IPs: ${publicAddresses.map(describeAddress).join(', ')}`);

  // A5
  let concurrent: [ClassifiedAddress, ClassifiedAddress, number] | undefined;
  for (let i = 0; i < publicAddresses.length && !concurrent; i++) {
    for (let j = i + 1; j < publicAddresses.length && !concurrent; j++) {
      const ms = overlapMs(publicAddresses[i]!, publicAddresses[j]!);
      if (ms > OVERLAP_TOLERANCE) concurrent = [publicAddresses[i]!, publicAddresses[j]!, ms];
    }
  }
  if (step('A5', 'Were two public IPs in use at the same time (overlap > 2 min)?', judged(concurrent !== undefined, addressGaps),
    concurrent ? `${concurrent[0].address} and ${concurrent[1].address} were both in use for ${Math.round(concurrent[2] / MINUTE)} min` : 'no two public IPs overlap by more than 2 minutes', addressGaps)) {
    return done('suspicious', 65, `Two public IPs (${concurrent![0].address}, ${concurrent![1].address}) used the credentials at the same time: an IP change cannot explain that.`);
  }

  // A6
  const unexplained = changes.filter((c) => !c.explainedBy);
  const a6Gaps = [...(unexplained.length ? addressGaps : []), ...unseenExplanations(unexplained, ev)];
  const changeText = changes.length
    ? changes.map((c) => `${c.from.address} → ${c.to.address}: ${c.explainedBy ? `explained by ${c.explainedBy.why}` : 'no explaining call'}`).join('; ')
    : 'no IP change';
  if (step('A6', 'Is every IP change explained by an IP-changing call?', judged(unexplained.length === 0, a6Gaps), `${changeText} (${ev.calls.length} candidate call(s) in the account)`, a6Gaps)) {
    return benign(10, changes.length
      ? `Every IP change is explained by an IP-changing API call (${changes.map((c) => c.explainedBy!.call.action).join(', ')}).`
      : 'No IP change to explain.');
  }

  // A7, A8, A9
  const oneChange = changes.length === 1;
  const oneAgent = userAgents.length === 1;
  const agentsKnown = agentGaps.length === 0;
  const counts = `${changes.length} IP change(s), ${userAgents.length}${agentsKnown ? '' : ' known'} distinct user agent(s)`;
  if (step('A7', 'Exactly one IP change and exactly one distinct user agent?', oneChange && oneAgent && agentsKnown ? 'yes' : oneChange && oneAgent ? 'unknown' : 'no', counts, agentGaps)) {
    return benign(20, 'One unexplained IP change with a single user agent throughout: most likely a benign IP change.');
  }
  if (step('A8', 'Exactly one IP change or exactly one distinct user agent?', oneChange || (oneAgent && agentsKnown) ? 'yes' : oneAgent ? 'unknown' : 'no', counts, agentGaps)) {
    return done('suspicious', 40, `Unexplained IP change(s) (${counts}); likely benign, an analyst should confirm.`);
  }
  path.push({ step: 'A9', question: 'Otherwise', answer: 'yes', evidence: counts });
  return done('suspicious', 60, `Several unexplained IP changes and user agents (${counts}): an analyst must look.`);
}
