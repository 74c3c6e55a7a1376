// MFA push fatigue, pure: the Okta System Log events of one user → pushes, rejections, approvals and reports
// (flows.md §4). Each event counts once by its uuid; a push FAILURE within 5 s of a deny_push is the same
// denial logged twice and counts once.
import { isFailure, isSuccess } from '../../evidence/okta-events.js';
import type { OktaEvent } from '../../evidence/ports.js';

export const PUSH_SENT = 'system.push.send_factor_verify_push';
export const DENY_PUSH = 'user.mfa.okta_verify.deny_push';
export const AUTH_VIA_MFA = 'user.authentication.auth_via_mfa';
export const REPORT_SUSPICIOUS = 'user.account.report_suspicious_activity_by_enduser';
export const OKTA_VERIFY_PUSH = 'OKTA_VERIFY_PUSH';

/** The event types the flow reads in [T − 1 h, T + 1 h]. */
export const MFA_EVENT_TYPES: readonly string[] = [PUSH_SENT, DENY_PUSH, AUTH_VIA_MFA, REPORT_SUSPICIOUS];

/** A FAILURE this close to a deny_push is the same denial (flows.md §4). */
export const SAME_DENIAL_MS = 5_000;

export interface MfaEventRef {
  uuid: string;
  time: Date;
  /** The client IP of the event: for a push or an approval, the browser that asked for MFA. Absent: unknown. */
  ip?: string;
  /** The Okta user id the System Log names as the event's actor (the target of containment). */
  actorId?: string;
}

export interface MfaRejection extends MfaEventRef {
  kind: 'deny_push' | 'push_failure';
  /** The uuid of the same denial logged a second time (a push FAILURE within 5 s), counted once. */
  alsoLoggedAs?: string;
}

export interface MfaActivity {
  pushes: MfaEventRef[];
  rejections: MfaRejection[];
  approvals: MfaEventRef[];
  reports: MfaEventRef[];
  /** Events seen more than once (same uuid), counted once. */
  duplicates: number;
}

const isPushVerification = (e: OktaEvent) => e.eventType === AUTH_VIA_MFA && e.factor?.toUpperCase() === OKTA_VERIFY_PUSH;
const byTime = <T extends MfaEventRef>(a: T, b: T) => a.time.getTime() - b.time.getTime() || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);
const ref = (e: OktaEvent): MfaEventRef => ({ uuid: e.uuid, time: e.time, ...(e.ip ? { ip: e.ip } : {}), ...(e.actorId ? { actorId: e.actorId } : {}) });

/** Pairs each push FAILURE with the nearest deny_push not yet paired within 5 s: one denial, counted once. */
function rejectionsOf(denials: OktaEvent[], failures: OktaEvent[]): MfaRejection[] {
  const rejections: MfaRejection[] = denials.map((d) => ({ ...ref(d), kind: 'deny_push' }));
  for (const f of failures) {
    const t = f.time.getTime();
    const candidates = rejections.filter((r) => r.kind === 'deny_push' && r.alsoLoggedAs === undefined && Math.abs(r.time.getTime() - t) <= SAME_DENIAL_MS);
    const nearest = candidates.sort((a, b) => Math.abs(a.time.getTime() - t) - Math.abs(b.time.getTime() - t))[0];
    if (nearest) nearest.alsoLoggedAs = f.uuid;
    else rejections.push({ ...ref(f), kind: 'push_failure' });
  }
  return rejections.sort(byTime);
}

export function mfaActivity(events: OktaEvent[]): MfaActivity {
  const seen = new Set<string>();
  const unique: OktaEvent[] = [];
  for (const e of events) {
    if (seen.has(e.uuid)) continue;
    seen.add(e.uuid);
    unique.push(e);
  }
  const of = (keep: (e: OktaEvent) => boolean) => unique.filter(keep).map(ref).sort(byTime);
  return {
    pushes: of((e) => e.eventType === PUSH_SENT),
    rejections: rejectionsOf(
      unique.filter((e) => e.eventType === DENY_PUSH),
      unique.filter((e) => isPushVerification(e) && isFailure(e)),
    ),
    approvals: of((e) => isPushVerification(e) && isSuccess(e)),
    reports: of((e) => e.eventType === REPORT_SUSPICIOUS),
    duplicates: events.length - unique.length,
  };
}

export const FATIGUE_SPAN_MS = 10 * 60_000;

/** The rejections in [t − 10 min, t) of an approval at t. */
export function rejectionsBefore(approval: MfaEventRef, rejections: MfaRejection[]): MfaRejection[] {
  const t = approval.time.getTime();
  return rejections.filter((r) => r.time.getTime() >= t - FATIGUE_SPAN_MS && r.time.getTime() < t);
}

/** A span [s, s + 10 min] holding at least N rejections: its first and N-th rejection. */
export interface RejectionSpan {
  from: Date;
  to: Date;
  first: MfaRejection;
  nth: MfaRejection;
  /** All rejections of the span [first, first + 10 min]. */
  rejections: number;
}

/**
 * Every span of N rejections within 10 minutes, one per N-th rejection, oldest first (a span [s, s + 10 min]
 * with N rejections holds N consecutive ones whose first and last are at most 10 minutes apart).
 */
export function rejectionSpans(rejections: MfaRejection[], n: number): RejectionSpan[] {
  const spans: RejectionSpan[] = [];
  for (let j = n - 1; j < rejections.length; j++) {
    const first = rejections[j - n + 1]!;
    const nth = rejections[j]!;
    const from = first.time.getTime();
    if (nth.time.getTime() - from > FATIGUE_SPAN_MS) continue;
    spans.push({ from: first.time, to: new Date(from + FATIGUE_SPAN_MS), first, nth, rejections: rejections.filter((r) => r.time.getTime() >= from && r.time.getTime() <= from + FATIGUE_SPAN_MS).length });
  }
  return spans;
}
