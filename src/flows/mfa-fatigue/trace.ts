// MFA push fatigue: the verdict's facts — every push, rejection and approval with its time and requesting IP,
// the 10-minute span that counted, and which IPs were known and why (flows.md §4).
import type { OktaMfaFatigueAlert } from '../../alerts/types.js';
import type { MfaEventRef, MfaRejection } from './activity.js';
import { statusOf, unansweredSpan, type MfaContext } from './context.js';
import type { MfaFatigueFacts } from './verdict-facts.js';

/** The most events of each kind listed in the facts (the counts stay exact). */
export const MAX_FACT_EVENTS = 200;

const iso = (d: Date) => d.toISOString();
const eventFact = (e: MfaEventRef) => ({ time: iso(e.time), ip: e.ip ?? null, uuid: e.uuid });

function capped<T, U>(items: T[], map: (t: T) => U): U[] {
  return items.slice(0, MAX_FACT_EVENTS).map(map);
}

export function mfaFacts(alert: OktaMfaFatigueAlert, ctx: MfaContext): MfaFatigueFacts {
  const { ev } = ctx;
  const a = ev.activity;
  const fatigueByUuid = new Map(ctx.fatigue.map((f) => [f.approval.uuid, f]));
  const { span } = unansweredSpan(ctx);
  // The span that counted: P4's, else the one before the first fatigue approval.
  const first = ctx.fatigue[0];
  const counted = span
    ? { from: iso(span.from), to: iso(span.to), rejections: span.rejections, step: 'P4' }
    : first
      ? { from: iso(new Date(first.approval.time.getTime() - 10 * 60_000)), to: iso(first.approval.time), rejections: first.rejections.length, step: 'P2/P3' }
      : null;
  return {
    user: ev.user,
    trigger: alert.trigger,
    source: ev.source,
    source_error: ev.sourceError ?? null,
    window: { from: iso(ev.window.from), to: iso(ev.window.to) },
    min_rejections: ev.minRejections,
    counts: { pushes: a.pushes.length, rejections: a.rejections.length, approvals: a.approvals.length, reports: a.reports.length, duplicates_ignored: a.duplicates },
    pushes: capped(a.pushes, (p) => ({ ...eventFact(p), known: knownFact(ctx, p.ip) })),
    rejections: capped(a.rejections, (r: MfaRejection) => ({ ...eventFact(r), kind: r.kind, also_logged_as: r.alsoLoggedAs ?? null })),
    approvals: capped(a.approvals, (p) => {
      const f = fatigueByUuid.get(p.uuid);
      return { ...eventFact(p), known: knownFact(ctx, p.ip), fatigue: Boolean(f), rejections_in_10_min_before: f?.rejections.length ?? null };
    }),
    reports: capped(a.reports, eventFact),
    span: counted,
    // Every actor id the events name (all of them, not the capped lists): containment targets only a single one.
    actor_ids: [...new Set([...a.pushes, ...a.rejections, ...a.approvals, ...a.reports].flatMap((e) => (e.actorId ? [e.actorId] : [])))].sort(),
    requesting_ips: ev.ips.map((s) => ({ ip: s.ip, known: s.status === 'known' ? true : s.status === 'not_known' ? false : null, reason: s.reason })),
    log_incomplete: ev.logIncomplete ?? null,
    unknown_steps: ctx.unknowns.map((u) => u.step),
    notes: ev.notes,
  };
}

/** true, false, or null (unknown) for an event's requesting IP. */
function knownFact(ctx: MfaContext, ip: string | undefined): boolean | null {
  const s = statusOf(ctx.ev, ip);
  return s.status === 'known' ? true : s.status === 'not_known' ? false : null;
}
