// AWS flow, steps A0–A9 of flows.md §1, one function each, in order. A step returns its ending when it
// decides; an `unknown` answer decides nothing and is remembered, and a benign row after one is inconclusive (v3).
import type { AwsCredentialAlert } from '../../alerts/types.js';
import { sameIp } from '../../enrich/ip.js';
import type { OsFamily } from '../../enrich/user-agent.js';
import type { PathStep, VerdictClass } from '../verdict-core.js';
import type { ClassifiedAddress } from './changes.js';
import type { AwsEvidence } from './gather.js';
import { describeAddress, iso, MINUTE, overlapMs, OVERLAP_TOLERANCE, unseenExplanations, type IpChange } from './ip-changes.js';

type Answer = 'yes' | 'no' | 'unknown';

/** A step that decides: the verdict, its score and summary. */
export interface Ending {
  verdict: VerdictClass;
  score: number | null;
  summary: string;
}

/** What the steps read (the evidence seen through the key's public addresses) and write (the path, the unknowns). */
export interface AwsContext {
  alert: AwsCredentialAlert;
  ev: AwsEvidence;
  publicAddresses: ClassifiedAddress[];
  /** Internal and AWS-service sources: named in A0, judged nowhere. */
  ignored: ClassifiedAddress[];
  userAgents: string[];
  families: Map<OsFamily, string[]>;
  /** Why the key's addresses may be incomplete. */
  addressGaps: string[];
  /** Why its user agents may be incomplete (the address gaps included). */
  agentGaps: string[];
  changes: IpChange[];
  path: PathStep[];
  unknown: Array<{ step: string; why: string }>;
}

/** Records a step; an `unknown` answer is remembered with its reason and decides nothing. */
function step(ctx: AwsContext, id: string, question: string, answer: Answer, evidence: string, gaps: string[] = []): boolean {
  const full = answer === 'unknown' && gaps.length ? `${evidence}; unknown: ${gaps.join('; ')}` : evidence;
  ctx.path.push({ step: id, question, answer, evidence: full });
  if (answer === 'unknown') ctx.unknown.push({ step: id, why: gaps.join('; ') });
  return answer === 'yes';
}

/** "yes" when shown, else "unknown" when evidence is missing, else "no". */
const judged = (yes: boolean, gaps: string[]): Answer => (yes ? 'yes' : gaps.length ? 'unknown' : 'no');

const ending = (verdict: VerdictClass, score: number | null, summary: string): Ending => ({ verdict, score, summary });

/** A benign row: benign, unless a step before it could not be answered (v3). */
function benign(ctx: AwsContext, score: number, summary: string): Ending {
  if (ctx.unknown.length === 0) return ending('benign', score, summary);
  const last = ctx.path.at(-1)!;
  const names = ctx.unknown.map((u) => u.step).join(', ');
  last.evidence += `; no benign verdict while ${names} could not be answered: inconclusive`;
  return ending('inconclusive', null, `Would be benign (${last.step}: ${summary}), but ${ctx.unknown.map((u) => `${u.step} could not be answered (${u.why})`).join('; ')}.`);
}

function a0NoActivity(ctx: AwsContext): Ending | undefined {
  const { alert, ev, ignored } = ctx;
  const addressed = ev.addresses;
  const a0 = ev.events === 0 || addressed.length === 0;
  step(ctx, 'A0', 'No CloudTrail event at all for the key in the window (or none with a source address)?', a0 ? 'yes' : 'no',
    ev.events === 0
      ? `no event of ${alert.accessKeyId} in ${iso(ev.window.from)} – ${iso(ev.window.to)}`
      : addressed.length === 0
        ? `${ev.events} event(s), none with a source address`
        : `${ev.events} events from ${addressed.length} source address(es)${ev.eventsWithoutAddress ? `, ${ev.eventsWithoutAddress} without one` : ''}${ignored.length ? `; ignored: ${ignored.map(describeAddress).join(', ')}` : ''}`);
  if (!a0) return undefined;
  return ending('inconclusive', null, ev.events === 0
    ? `No CloudTrail activity for ${alert.accessKeyId} in the window: nothing to judge.`
    : `None of the ${ev.events} CloudTrail events of ${alert.accessKeyId} carries a source address: nothing to judge.`);
}

function a1NonAws(ctx: AwsContext): Ending | undefined {
  const { publicAddresses, addressGaps, alert } = ctx;
  const nonAws = publicAddresses.filter((a) => a.class.kind === 'non-aws');
  if (!step(ctx, 'A1', 'Is any public IP non-AWS (and not trusted)?', judged(nonAws.length > 0, addressGaps),
    nonAws.length > 0 ? `non-AWS: ${nonAws.map((a) => `${a.address} (${a.events} events, ${iso(a.firstSeen)} – ${iso(a.lastSeen)})`).join(', ')}` : `public IPs: ${publicAddresses.map(describeAddress).join(', ') || 'none'}`,
    addressGaps)) return undefined;
  return ending('malicious', 90, `Instance credentials ${alert.accessKeyId} used from outside AWS: ${nonAws.map((a) => a.address).join(', ')}.`);
}

function a2OsFamilies(ctx: AwsContext): Ending | undefined {
  const { families, agentGaps, userAgents } = ctx;
  const familyText = [...families.entries()].map(([f, uas]) => `${f}: ${uas.join(' | ')}`).join('; ');
  if (!step(ctx, 'A2', 'Do the user agents show ≥ 2 OS families?', judged(families.size >= 2, agentGaps), familyText || `no OS family in ${userAgents.length} user agent(s)`, agentGaps)) return undefined;
  return ending('malicious', 85, `The credentials were used from ${families.size} operating systems (${[...families.keys()].join(', ')}): two different machines.`);
}

function a3Regions(ctx: AwsContext): Ending | undefined {
  const { publicAddresses, alert, addressGaps } = ctx;
  const regions = new Set<string>();
  for (const a of publicAddresses) if (a.class.kind === 'aws' && a.class.region) regions.add(a.class.region);
  if (alert.region) regions.add(alert.region);
  if (!step(ctx, 'A3', 'Do the AWS IPs (plus the home region, when known) span ≥ 2 AWS regions?', judged(regions.size >= 2, addressGaps),
    `regions: ${[...regions].join(', ') || 'none'}${alert.region ? ` (home region ${alert.region})` : ''}`, addressGaps)) return undefined;
  return ending('malicious', 80, `The credentials were used from ${regions.size} AWS regions (${[...regions].join(', ')}): not an IP change of the instance.`);
}

function a4OnePublicIp(ctx: AwsContext): Ending | undefined {
  const { publicAddresses, alert, addressGaps } = ctx;
  const a4q = 'At most one public IP in all?';
  if (publicAddresses.length > 1) {
    step(ctx, 'A4', a4q, 'no', `${publicAddresses.length} public IPs: ${publicAddresses.map(describeAddress).join(', ')}`);
    return undefined;
  }
  const only = publicAddresses[0];
  const known = alert.instancePublicIps;
  const notInstance = only !== undefined && known.length > 0 && !known.some((ip) => sameIp(ip, only.address));
  const evidence = only
    ? `one public IP: ${describeAddress(only)}${known.length ? `; instance public IP(s): ${known.join(', ')}` : '; instance public IP unknown'}`
    : 'no public IP (only internal or AWS-service sources)';
  if (addressGaps.length > 0) {
    step(ctx, 'A4', a4q, 'unknown', evidence, addressGaps);
    return undefined;
  }
  ctx.path.push({ step: 'A4', question: a4q, answer: notInstance ? 'yes, and it is not the instance’s own public IP' : 'yes', evidence });
  if (notInstance) return ending('malicious', 80, `Credentials used from one place, ${only.address}, which is not the instance’s own public IP (${known.join(', ')}).`);
  return benign(ctx, 15, `Credentials used from ${only ? `a single public IP (${only.address})` : 'no public IP'}: no reuse to explain.`);
}

function a5Concurrent(ctx: AwsContext): Ending | undefined {
  const { publicAddresses, addressGaps } = ctx;
  let concurrent: [ClassifiedAddress, ClassifiedAddress, number] | undefined;
  for (let i = 0; i < publicAddresses.length && !concurrent; i++) {
    for (let j = i + 1; j < publicAddresses.length && !concurrent; j++) {
      const ms = overlapMs(publicAddresses[i]!, publicAddresses[j]!);
      if (ms > OVERLAP_TOLERANCE) concurrent = [publicAddresses[i]!, publicAddresses[j]!, ms];
    }
  }
  if (!step(ctx, 'A5', 'Were two public IPs in use at the same time (overlap > 2 min)?', judged(concurrent !== undefined, addressGaps),
    concurrent ? `${concurrent[0].address} and ${concurrent[1].address} were both in use for ${Math.round(concurrent[2] / MINUTE)} min` : 'no two public IPs overlap by more than 2 minutes', addressGaps)) return undefined;
  return ending('suspicious', 65, `Two public IPs (${concurrent![0].address}, ${concurrent![1].address}) used the credentials at the same time: an IP change cannot explain that.`);
}

function a6ChangesExplained(ctx: AwsContext): Ending | undefined {
  const { changes, addressGaps, ev } = ctx;
  const unexplained = changes.filter((c) => !c.explainedBy);
  const a6Gaps = [...(unexplained.length ? addressGaps : []), ...unseenExplanations(unexplained, ev)];
  const changeText = changes.length
    ? changes.map((c) => `${c.from.address} → ${c.to.address}: ${c.explainedBy ? `explained by ${c.explainedBy.why}` : 'no explaining call'}`).join('; ')
    : 'no IP change';
  if (!step(ctx, 'A6', 'Is every IP change explained by an IP-changing call?', judged(unexplained.length === 0, a6Gaps), `${changeText} (${ev.calls.length} candidate call(s) in the account)`, a6Gaps)) return undefined;
  return benign(ctx, 10, changes.length
    ? `Every IP change is explained by an IP-changing API call (${changes.map((c) => c.explainedBy!.call.action).join(', ')}).`
    : 'No IP change to explain.');
}

/** What A7–A9 count: the IP changes and the distinct user agents, and whether the agents are known in full. */
function counted({ changes, userAgents, agentGaps }: AwsContext) {
  const agentsKnown = agentGaps.length === 0;
  return {
    oneChange: changes.length === 1,
    oneAgent: userAgents.length === 1,
    agentsKnown,
    counts: `${changes.length} IP change(s), ${userAgents.length}${agentsKnown ? '' : ' known'} distinct user agent(s)`,
  };
}

function a7OneChangeOneAgent(ctx: AwsContext): Ending | undefined {
  const { oneChange, oneAgent, agentsKnown, counts } = counted(ctx);
  if (!step(ctx, 'A7', 'Exactly one IP change and exactly one distinct user agent?', oneChange && oneAgent && agentsKnown ? 'yes' : oneChange && oneAgent ? 'unknown' : 'no', counts, ctx.agentGaps)) return undefined;
  return benign(ctx, 20, 'One unexplained IP change with a single user agent throughout: most likely a benign IP change.');
}

function a8OneChangeOrOneAgent(ctx: AwsContext): Ending | undefined {
  const { oneChange, oneAgent, agentsKnown, counts } = counted(ctx);
  if (!step(ctx, 'A8', 'Exactly one IP change or exactly one distinct user agent?', oneChange || (oneAgent && agentsKnown) ? 'yes' : oneAgent ? 'unknown' : 'no', counts, ctx.agentGaps)) return undefined;
  return ending('suspicious', 40, `Unexplained IP change(s) (${counts}); likely benign, an analyst should confirm.`);
}

function a9Otherwise(ctx: AwsContext): Ending {
  const { counts } = counted(ctx);
  ctx.path.push({ step: 'A9', question: 'Otherwise', answer: 'yes', evidence: counts });
  return ending('suspicious', 60, `Several unexplained IP changes and user agents (${counts}): an analyst must look.`);
}

/** The table of flows.md §1, in order; A9 always decides. */
export const AWS_STEPS: Array<(ctx: AwsContext) => Ending | undefined> = [
  a0NoActivity, a1NonAws, a2OsFamilies, a3Regions, a4OnePublicIp, a5Concurrent, a6ChangesExplained, a7OneChangeOneAgent, a8OneChangeOrOneAgent, a9Otherwise,
];
