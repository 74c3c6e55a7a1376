// MFA push fatigue, decide: steps P0–P6 of flows.md §4, pure. The first step that decides wins; a step
// that answers unknown decides nothing, and no benign verdict rests on an unknown (v3).
import type { OktaMfaFatigueAlert } from '../../alerts/types.js';
import type { FlowVerdict, PathStep, VerdictClass } from '../verdict-core.js';
import type { RejectionSpan } from './activity.js';
import type { IpStatus, MfaFatigueEvidence } from './facts.js';
import { fatigueApprovals, statusOf, unansweredSpan, type FatigueApproval, type MfaContext } from './context.js';
import { mfaFacts } from './trace.js';
import type { MfaFatigueFacts } from './verdict-facts.js';

/** This flow's verdict. */
export type MfaFatigueVerdict = FlowVerdict<'okta_mfa_fatigue', MfaFatigueFacts>;

type Answer = 'yes' | 'no' | 'unknown';
interface Decision {
  verdict: VerdictClass;
  score: number | null;
  summary: string;
}
interface Outcome {
  answer: Answer;
  evidence: string;
  decision?: Decision;
}

const iso = (d: Date) => d.toISOString();
const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;
const MAX_LISTED = 10;

const statusText = (s: IpStatus) => `${s.ip} ${s.status === 'known' ? 'known' : s.status === 'not_known' ? 'not known' : 'status unknown'} (${s.reason})`;

function listed<T>(items: T[], show: (t: T) => string): string {
  const shown = items.slice(0, MAX_LISTED).map(show).join('; ');
  return items.length > MAX_LISTED ? `${shown}; … ${items.length - MAX_LISTED} more` : shown;
}

const approvalText = (f: FatigueApproval) => `approval at ${iso(f.approval.time)} from ${statusText(f.ip)} after ${f.rejections.length} rejection(s) since ${iso(f.rejections[0]!.time)}`;

/** "no", or "unknown" when the log was cut short (what the cut part holds is unknown). */
function none(ctx: MfaContext, evidence: string): Outcome {
  return ctx.cut ? { answer: 'unknown', evidence: `${evidence}, but ${ctx.cut}` } : { answer: 'no', evidence };
}

function p0(ctx: MfaContext): Outcome {
  const { ev } = ctx;
  const a = ev.activity;
  const range = `${iso(ev.window.from)} – ${iso(ev.window.to)}`;
  const inconclusive = (why: string, summary: string): Outcome => ({ answer: 'yes', evidence: why, decision: { verdict: 'inconclusive', score: null, summary } });
  if (ev.sourceError) return inconclusive(ev.sourceError, `Cannot investigate: ${ev.sourceError}.`);
  if (!ev.hasData) return inconclusive(`no Okta System Log data at all in ${range} (${ev.source})`, 'No Okta System Log data around the alert time: absence of data is not evidence of absence.');
  const total = a.pushes.length + a.rejections.length + a.approvals.length + a.reports.length;
  if (total === 0) {
    const why = `no push, rejection, approval or report of the user in ${range}${ctx.cut ? `; ${ctx.cut}` : ''}`;
    return inconclusive(why, 'No MFA push activity of the user found around the alert time.');
  }
  const twice = a.rejections.filter((r) => r.alsoLoggedAs).length;
  return {
    answer: 'no',
    evidence: `in ${range}: ${a.pushes.length} push(es), ${a.rejections.length} rejection(s)${twice ? ` (${twice} logged twice, counted once)` : ''}, ${a.approvals.length} approval(s), ${a.reports.length} report(s)${a.duplicates ? `; ${a.duplicates} duplicate event(s) counted once` : ''}`,
  };
}

function p1(ctx: MfaContext): Outcome {
  const reports = ctx.ev.activity.reports;
  if (reports.length === 0) return none(ctx, 'the user reported nothing in the window');
  return {
    answer: 'yes',
    evidence: `reported at ${listed(reports, (r) => `${iso(r.time)}${r.ip ? ` from ${r.ip}` : ''}`)}`,
    decision: { verdict: 'malicious', score: 95, summary: `The user reported the MFA activity as suspicious (${iso(reports[0]!.time)}).` },
  };
}

function p2(ctx: MfaContext): Outcome {
  if (ctx.fatigue.length === 0) return none(ctx, `no approval had ${ctx.n} or more rejections in the 10 minutes before it`);
  const foreign = ctx.fatigue.filter((f) => f.ip.status === 'not_known');
  if (foreign.length > 0) {
    const f = foreign[0]!;
    return {
      answer: 'yes',
      evidence: listed(foreign, approvalText),
      decision: { verdict: 'malicious', score: 90, summary: `A push was approved after ${f.rejections.length} rejections, requested from ${f.ip.ip}, which is neither a company IP nor one the user signed in from: likely someone else got in.` },
    };
  }
  const unsure = ctx.fatigue.filter((f) => f.ip.status === 'unknown');
  if (unsure.length > 0) return { answer: 'unknown', evidence: listed(unsure, approvalText) };
  return { answer: 'no', evidence: `every fatigue approval was requested from a known IP: ${listed(ctx.fatigue, approvalText)}` };
}

function p3(ctx: MfaContext): Outcome {
  if (ctx.fatigue.length === 0) return none(ctx, 'no fatigue approval');
  const f = ctx.fatigue[0]!;
  return {
    answer: 'yes',
    evidence: listed(ctx.fatigue, approvalText),
    decision: { verdict: 'suspicious', score: 55, summary: `A push was approved at ${iso(f.approval.time)} after ${f.rejections.length} rejections in 10 minutes: ask the user whether it was them.` },
  };
}

const spanText = (s: RejectionSpan, n: number) => `${s.rejections} rejection(s) in ${iso(s.from)} – ${iso(s.to)} (rejection ${n} at ${iso(s.nth.time)})`;

function p4(ctx: MfaContext): Outcome {
  const { span, spans } = unansweredSpan(ctx);
  const spanOf = (s: RejectionSpan) => spanText(s, ctx.n);
  if (span) {
    return {
      answer: 'yes',
      evidence: `${spanOf(span)}; no approval after it`,
      decision: { verdict: 'suspicious', score: 65, summary: `${span.rejections} pushes rejected within 10 minutes and none approved: the password is known to someone — reset it.` },
    };
  }
  if (spans.length === 0) return none(ctx, `fewer than ${ctx.n} rejections in every 10 minutes (${ctx.ev.activity.rejections.length} in the window)`);
  const later = ctx.ev.activity.approvals.filter((a) => a.time.getTime() > spans.at(-1)!.nth.time.getTime());
  return none(ctx, `${spanOf(spans.at(-1)!)}, but approved later at ${listed(later, (a) => `${iso(a.time)}${a.ip ? ` from ${a.ip}` : ''}`)}`);
}

function p5(ctx: MfaContext): Outcome {
  const a = ctx.ev.activity;
  const requested = [...a.pushes, ...a.approvals];
  if (requested.length === 0) return { answer: 'no', evidence: 'no push or approval in the window (rejections or reports only)' };
  if (a.rejections.length >= ctx.n) return { answer: 'no', evidence: `${a.rejections.length} rejections in the window (${ctx.n} or more)` };
  const statuses = [...new Map(requested.map((r) => [r.ip ?? '(none)', statusOf(ctx.ev, r.ip)])).values()];
  const foreign = statuses.filter((s) => s.status === 'not_known');
  if (foreign.length > 0) return { answer: 'no', evidence: `requested from an IP that is not known: ${listed(foreign, statusText)}` };
  const unsure = statuses.filter((s) => s.status === 'unknown');
  if (unsure.length > 0) {
    const evidence = `company status unknown: ${listed(unsure, statusText)}`;
    return { answer: 'unknown', evidence, decision: { verdict: 'inconclusive', score: null, summary: `Cannot tell whether the pushes came from the user: ${evidence}.` } };
  }
  const evidence = `${requested.length} push(es)/approval(s) from known IPs only (${listed(statuses, statusText)}); ${a.rejections.length} rejection(s) in the window`;
  if (ctx.cut || ctx.unknowns.length > 0) {
    const why = [...ctx.unknowns.map((u) => `${u.step}: ${u.why}`), ...(ctx.cut && ctx.unknowns.length === 0 ? [ctx.cut] : [])].join('; ');
    return { answer: 'yes', evidence: `${evidence}; but ${why}`, decision: { verdict: 'inconclusive', score: null, summary: `Looks like the user, but the evidence is incomplete (${why}): not dismissed.` } };
  }
  return { answer: 'yes', evidence, decision: { verdict: 'benign', score: 10, summary: 'The pushes were requested from the user’s known IPs, with few rejections: most likely the user.' } };
}

function p6(): Outcome {
  return { answer: 'yes', evidence: 'none of the steps above decided', decision: { verdict: 'suspicious', score: 40, summary: 'MFA push activity that no rule explains: an analyst should look.' } };
}

const STEPS: Array<{ step: string; question: (n: number) => string; run: (ctx: MfaContext) => Outcome }> = [
  { step: 'P0', question: () => 'No push, rejection, approval or report of the user in the window (or no Okta data there)?', run: p0 },
  { step: 'P1', question: () => 'Did the user report the activity as suspicious?', run: p1 },
  { step: 'P2', question: (n) => `Was a push approved after ${n}+ rejections in 10 minutes, requested from an IP that is neither a company IP nor one of the user’s sign-in IPs?`, run: p2 },
  { step: 'P3', question: (n) => `Was a push approved after ${n}+ rejections in 10 minutes at all?`, run: p3 },
  { step: 'P4', question: (n) => `At least ${n} rejections within 10 minutes, and no approval after the ${ordinal(n)} of them?`, run: p4 },
  { step: 'P5', question: (n) => `Every push and approval requested from a known IP, and fewer than ${n} rejections in the window?`, run: p5 },
  { step: 'P6', question: () => 'Otherwise', run: p6 },
];

export function decideMfaFatigue(alert: OktaMfaFatigueAlert, ev: MfaFatigueEvidence): MfaFatigueVerdict {
  const ctx: MfaContext = { ev, n: ev.minRejections, fatigue: fatigueApprovals(ev), unknowns: [], ...(ev.logIncomplete?.length ? { cut: `the user’s System Log in the window is incomplete: ${ev.logIncomplete.join('; ')}` } : {}) };
  const path: PathStep[] = [];
  for (const s of STEPS) {
    const out = s.run(ctx);
    path.push({ step: s.step, question: s.question(ctx.n), answer: out.answer, evidence: out.evidence });
    if (out.answer === 'unknown') ctx.unknowns.push({ step: s.step, why: out.evidence });
    if (out.decision) return { alert_id: alert.id, flow: 'okta_mfa_fatigue', ...out.decision, path, facts: mfaFacts(alert, ctx) };
  }
  // P6 always decides; this line is never reached.
  throw new Error('MFA fatigue: no step decided');
}
