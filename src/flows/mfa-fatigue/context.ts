// MFA push fatigue: what every step of decide() reads — the evidence and what follows from it, pure.
import { sameIp } from '../../enrich/ip.js';
import { rejectionsBefore, rejectionSpans, type MfaEventRef, type MfaRejection, type RejectionSpan } from './activity.js';
import type { IpStatus, MfaFatigueEvidence } from './facts.js';

/** A fatigue approval: an approval with at least N rejections in the 10 minutes before it, and its IP's status. */
export interface FatigueApproval {
  approval: MfaEventRef;
  rejections: MfaRejection[];
  ip: IpStatus;
}

/** What every step reads: the evidence and what follows from it. */
export interface MfaContext {
  ev: MfaFatigueEvidence;
  n: number;
  fatigue: FatigueApproval[];
  /** Why a "no" may be wrong: the log was cut short. */
  cut?: string;
  /** Steps that answered unknown so far, and why. */
  unknowns: Array<{ step: string; why: string }>;
}

export function statusOf(ev: MfaFatigueEvidence, ip: string | undefined): IpStatus {
  if (ip === undefined) return { ip: '(none)', status: 'unknown', reason: 'the event carries no client IP' };
  return ev.ips.find((s) => s.ip === ip || sameIp(s.ip, ip)) ?? { ip, status: 'unknown', reason: 'not looked up' };
}

export function fatigueApprovals(ev: MfaFatigueEvidence): FatigueApproval[] {
  return ev.activity.approvals.flatMap((approval) => {
    const rejections = rejectionsBefore(approval, ev.activity.rejections);
    return rejections.length >= ev.minRejections ? [{ approval, rejections, ip: statusOf(ev, approval.ip) }] : [];
  });
}

/** The span that counts for P4: one with no approval later than its N-th rejection, the busiest (earliest on ties). */
export function unansweredSpan(ctx: MfaContext): { span?: RejectionSpan; spans: RejectionSpan[] } {
  const spans = rejectionSpans(ctx.ev.activity.rejections, ctx.n);
  const approvals = ctx.ev.activity.approvals;
  const open = spans.filter((s) => !approvals.some((a) => a.time.getTime() > s.nth.time.getTime()));
  const span = [...open].sort((a, b) => b.rejections - a.rejections || a.from.getTime() - b.from.getTime())[0];
  return { ...(span ? { span } : {}), spans };
}

