// Okta flow, decide: steps O0–O9 of flows.md, pure. After O1 the score starts at 50 and every step adds its effect.
import type { OktaTravelAlert } from '../../alerts/types.js';
import { distanceKm, speedKmh } from '../../enrich/geo.js';
import { classForScore, type PathStep, type Verdict } from '../verdict.js';
import type { OktaEvidence, OktaSession } from './gather.js';

const MAX_PLAUSIBLE_KMH = 900;
const iso = (d: Date) => d.toISOString();
const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

function sessionFacts(s: OktaSession | undefined, known: string | undefined) {
  if (!s) return null;
  return {
    ip: s.ip,
    known_company_ip: known ?? null,
    sign_in: iso(s.signInTime),
    session_id: s.sessionId ?? null,
    actor_id: s.actorId ?? null,
    user_agent: s.userAgent ?? null,
    device_fingerprint: s.deviceFingerprint ?? null,
    geo: s.geo ?? null,
    mfa_factors: s.mfaFactors,
    failures_before_success: s.failuresBefore,
    is_proxy: s.isProxy ?? null,
    as_organization: s.asOrg ?? null,
    events: s.events,
    found_by: s.foundBy,
  };
}

const where = (s: OktaSession) => `${s.ip}${s.geo?.city || s.geo?.country ? ` (${[s.geo.city, s.geo.country].filter(Boolean).join(', ')})` : ''}`;

export function decideOkta(alert: OktaTravelAlert, ev: OktaEvidence): Verdict {
  const path: PathStep[] = [];
  const knownOf = (ip: string) => ev.known.find((k) => k.ip === ip)?.reason;
  const { sessionA: a, sessionB: b } = ev;
  const facts: Record<string, unknown> = {
    user: ev.user,
    source: ev.source,
    source_error: ev.sourceError ?? null,
    session_a: sessionFacts(a, a && knownOf(a.ip)),
    session_b: sessionFacts(b, b && knownOf(b.ip)),
    enrolled_factors: ev.enrolledFactors ?? null,
    log_incomplete: ev.logIncomplete ?? null,
    notes: ev.notes,
    /** Which session O2 took for the mystery; null when no step got that far (nothing to compare, or both known). */
    mystery: null,
  };
  const verdict = (v: Verdict['verdict'], score: number | null, summary: string): Verdict => ({ alert_id: alert.id, flow: 'okta_impossible_travel', verdict: v, score, summary, path, facts });

  // O0: both sessions must be in the evidence, and the log read whole (v3): never score an empty session.
  if (!a || !b || ev.logIncomplete?.length) {
    const why = ev.sourceError ?? [...(ev.logIncomplete ?? []).map((w) => `the user’s System Log in the window is incomplete: ${w}`), ...(!b ? [ev.sessionBNotFound ?? 'the alerting sign-in (B) is not in the evidence'] : []), ...(!a ? [ev.sessionANotFound ?? 'session A not found'] : [])].join('; ');
    path.push({ step: 'O0', question: 'No session A (or alerting event B) found?', answer: 'yes', evidence: `${why} (${ev.source})` });
    return verdict('inconclusive', null, ev.sourceError ? `Cannot investigate: ${ev.sourceError}.` : `Nothing to compare: ${why}.`);
  }
  path.push({ step: 'O0', question: 'No session A (or alerting event B) found?', answer: 'no', evidence: `A: ${where(a)} at ${iso(a.signInTime)}, found as ${a.foundBy}; B: ${where(b)} at ${iso(b.signInTime)}` });

  // O1
  const knownA = knownOf(a.ip);
  const knownB = knownOf(b.ip);
  const knownText = `A ${a.ip}: ${knownA ?? 'not known'}; B ${b.ip}: ${knownB ?? 'not known'}`;
  if (knownA && knownB) {
    path.push({ step: 'O1', question: 'Are both IPs known company IPs?', answer: 'yes', evidence: knownText });
    return verdict('benign', 5, `Both sign-ins came from known company IPs (${a.ip}, ${b.ip}).`);
  }
  path.push({ step: 'O1', question: 'Are both IPs known company IPs?', answer: 'no', evidence: knownText });

  // O2
  const mysteryIsA = Boolean(knownB) && !knownA;
  const mystery = mysteryIsA ? a : b;
  const reference = mysteryIsA ? b : a;
  facts['mystery'] = mysteryIsA ? 'A' : 'B';
  path.push({
    step: 'O2',
    question: 'Which sign-in is in question?',
    answer: mysteryIsA ? 'A' : 'B',
    evidence: knownA || knownB ? `${mystery.ip} is not a known company IP; ${reference.ip} is` : `neither IP is known: B (${b.ip}, the alerting sign-in) is the one in question`,
  });

  let score = 50;
  const effect = (step: string, question: string, answer: string, delta: number, evidence: string) => {
    score += delta;
    path.push({ step, question, answer: `${answer} (${signed(delta)})`, evidence });
  };

  // O3 / O4: a user agent no event of the session carries is unknown (0), never "different" (v3).
  const q3 = 'Same raw user agent in both sessions?';
  if (mystery.userAgent && reference.userAgent && mystery.userAgent === reference.userAgent) {
    effect('O3', q3, 'yes', -15, mystery.userAgent);
  } else {
    const uaKnown = Boolean(mystery.userAgent && reference.userAgent);
    const uaText = `in question: ${mystery.userAgent ?? 'none on its events'}; reference: ${reference.userAgent ?? 'none on its events'}`;
    if (uaKnown) path.push({ step: 'O3', question: q3, answer: 'no', evidence: uaText });
    else effect('O3', q3, 'unknown', 0, uaText);
    const q4 = 'Has the user been seen with this sign-in’s user agent in the last 90 days?';
    const hw = `${iso(ev.historyWindow.from)} – ${iso(ev.historyWindow.to)}`;
    if (!mystery.userAgent) effect('O4', q4, 'unknown', 0, 'the events of the sign-in in question carry no user agent');
    else if (!ev.history?.hasData) effect('O4', q4, 'unknown', 0, ev.historyError ?? `no Okta data in ${hw}`);
    else if (ev.history.found.includes(mystery.userAgent)) effect('O4', q4, 'yes', -10, `a successful sign-in of the user in ${hw} carried it`);
    else if (ev.history.incomplete?.length) effect('O4', q4, 'unknown', 0, `not found, but ${ev.history.incomplete.join('; ')}`);
    else effect('O4', q4, 'no', 20, `no successful sign-in of the user in ${hw} carried it`);
  }

  // O5
  const q5 = 'Both sessions carry a device fingerprint: are they equal?';
  if (a.deviceFingerprint && b.deviceFingerprint) {
    const equal = a.deviceFingerprint === b.deviceFingerprint;
    effect('O5', q5, equal ? 'equal' : 'different', equal ? -30 : 10, `A: ${a.deviceFingerprint}; B: ${b.deviceFingerprint}`);
  } else effect('O5', q5, 'unknown', 0, `missing: A: ${a.deviceFingerprint ?? 'none on its events'}; B: ${b.deviceFingerprint ?? 'none on its events'}`);

  // O6
  const asymmetric = (a.failuresBefore >= 3 && b.failuresBefore === 0) || (b.failuresBefore >= 3 && a.failuresBefore === 0);
  effect('O6', 'Failed-attempt asymmetry (≥ 3 failures before success in one session, none in the other)?', asymmetric ? 'yes' : 'no', asymmetric ? 20 : 0, `failures in the hour before success: A ${a.failuresBefore}, B ${b.failuresBefore}`);

  // O7
  const q7 = 'MFA: what did each session pass?';
  const mfaText = `in question: ${mystery.mfaFactors.join(', ') || 'none'}; reference: ${reference.mfaFactors.join(', ') || 'none'}`;
  if (mystery.mfaFactors.length === 0) effect('O7', q7, 'the sign-in in question passed none', 15, mfaText);
  else if (reference.mfaFactors.length === 0) effect('O7', q7, 'only the reference lacks MFA', 0, mfaText);
  else if (mystery.mfaFactors.some((f) => reference.mfaFactors.includes(f))) effect('O7', q7, 'both, a shared factor type', -15, mfaText);
  else effect('O7', q7, 'both, no factor type in common', 10, mfaText);

  // O8
  effect('O8', 'Does Okta flag the IP in question as a proxy or anonymiser?', mystery.isProxy === true ? 'yes' : mystery.isProxy === false ? 'no' : 'unknown', mystery.isProxy === true ? 15 : 0,
    `is_proxy: ${mystery.isProxy ?? 'unknown'}${mystery.asOrg ? `; AS organisation: ${mystery.asOrg}` : ''}`);

  // O9
  const q9 = `Implied travel speed ≤ ${MAX_PLAUSIBLE_KMH} km/h (plausible: a flight or a geo-IP error)?`;
  const ms = Math.abs(b.signInTime.getTime() - a.signInTime.getTime());
  const minutes = Math.round(ms / 60_000);
  if (a.geo && b.geo) {
    const km = distanceKm(a.geo, b.geo);
    const kmh = speedKmh(km, ms);
    const travel = { distance_km: Math.round(km), minutes_between: minutes, speed_kmh: Number.isFinite(kmh) ? Math.round(kmh) : null };
    facts['travel'] = travel;
    const plausible = kmh <= MAX_PLAUSIBLE_KMH;
    effect('O9', q9, plausible ? 'yes' : 'no', plausible ? -20 : 0, `${travel.distance_km} km in ${minutes} min: ${travel.speed_kmh === null ? 'instantaneous' : `${travel.speed_kmh} km/h`}`);
  } else {
    facts['travel'] = { distance_km: null, minutes_between: minutes, speed_kmh: null };
    effect('O9', q9, 'unknown', 0, `geo missing for ${[a.geo ? '' : 'A', b.geo ? '' : 'B'].filter(Boolean).join(' and ')}; ${minutes} min between the sign-ins`);
  }

  const final = Math.max(0, Math.min(100, score));
  facts['score_before_clamp'] = score;
  const cls = classForScore(final);
  const summary =
    cls === 'malicious'
      ? `Sign-in from ${where(mystery)} looks like someone other than the user (score ${final}).`
      : cls === 'benign'
        ? `Both sign-ins are most likely the user (score ${final}).`
        : `Sign-ins from ${where(a)} and ${where(b)} need an analyst (score ${final}).`;
  return verdict(cls, final, summary);
}
