// Okta flow, decide: steps O0–O9 of flows.md, pure. After O1 the score starts at 50 and every step adds its effect.
import type { OktaTravelAlert } from '../../alerts/types.js';
import { distanceKm, speedKmh } from '../../enrich/geo.js';
import { DecisionPath } from '../decision-path.js';
import { classForScore, type FlowVerdict, type VerdictClass } from '../verdict-core.js';
import type { OktaEvidence, OktaSession } from './gather.js';
import type { OktaFacts } from './verdict-facts.js';

/** This flow's verdict. */
export type OktaVerdict = FlowVerdict<'okta_impossible_travel', OktaFacts>;

const MAX_PLAUSIBLE_KMH = 900;
const iso = (d: Date) => d.toISOString();

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

/** A step that decides: the verdict, its score and summary. */
interface Ending {
  verdict: VerdictClass;
  score: number | null;
  summary: string;
}

/** What the steps after O0 read and write: both sessions, which one is in question, the facts and the path. */
interface Travel {
  ev: OktaEvidence;
  a: OktaSession;
  b: OktaSession;
  knownA: string | undefined;
  knownB: string | undefined;
  facts: OktaFacts;
  path: DecisionPath;
}

interface Compared extends Travel {
  mystery: OktaSession;
  reference: OktaSession;
}

const Q0 = 'No session A (or alerting event B) found?';

/** O0: both sessions must be in the evidence, and the log read whole (v3): never score an empty session. */
function o0NothingToCompare(ev: OktaEvidence, path: DecisionPath): Ending | undefined {
  const { sessionA: a, sessionB: b } = ev;
  if (!a || !b || ev.logIncomplete?.length) {
    const why = ev.sourceError ?? [...(ev.logIncomplete ?? []).map((w) => `the user’s System Log in the window is incomplete: ${w}`), ...(!b ? [ev.sessionBNotFound ?? 'the alerting sign-in (B) is not in the evidence'] : []), ...(!a ? [ev.sessionANotFound ?? 'session A not found'] : [])].join('; ');
    path.record('O0', Q0, 'yes', `${why} (${ev.source})`);
    return { verdict: 'inconclusive', score: null, summary: ev.sourceError ? `Cannot investigate: ${ev.sourceError}.` : `Nothing to compare: ${why}.` };
  }
  path.record('O0', Q0, 'no', `A: ${where(a)} at ${iso(a.signInTime)}, found as ${a.foundBy}; B: ${where(b)} at ${iso(b.signInTime)}`);
  return undefined;
}

/** O1: both IPs known company IPs → benign. */
function o1BothKnown({ a, b, knownA, knownB, path }: Travel): Ending | undefined {
  const q = 'Are both IPs known company IPs?';
  const evidence = `A ${a.ip}: ${knownA ?? 'not known'}; B ${b.ip}: ${knownB ?? 'not known'}`;
  if (knownA && knownB) {
    path.record('O1', q, 'yes', evidence);
    return { verdict: 'benign', score: 5, summary: `Both sign-ins came from known company IPs (${a.ip}, ${b.ip}).` };
  }
  path.record('O1', q, 'no', evidence);
  return undefined;
}

/** O2: the sign-in in question is the one from an unknown IP; B when neither is known. */
function o2WhichInQuestion(t: Travel): Compared {
  const { a, b, knownA, knownB } = t;
  const mysteryIsA = Boolean(knownB) && !knownA;
  const mystery = mysteryIsA ? a : b;
  const reference = mysteryIsA ? b : a;
  t.facts['mystery'] = mysteryIsA ? 'A' : 'B';
  t.path.record('O2', 'Which sign-in is in question?', mysteryIsA ? 'A' : 'B',
    knownA || knownB ? `${mystery.ip} is not a known company IP; ${reference.ip} is` : `neither IP is known: B (${b.ip}, the alerting sign-in) is the one in question`);
  return { ...t, mystery, reference };
}

/** O3, and O4 when O3 is not yes: a user agent no event of the session carries is unknown (0), never "different" (v3). */
function o3SameUserAgent(c: Compared): void {
  const { mystery, reference, path } = c;
  const q3 = 'Same raw user agent in both sessions?';
  if (mystery.userAgent && reference.userAgent && mystery.userAgent === reference.userAgent) return path.effect('O3', q3, 'yes', -15, mystery.userAgent);
  const uaText = `in question: ${mystery.userAgent ?? 'none on its events'}; reference: ${reference.userAgent ?? 'none on its events'}`;
  if (mystery.userAgent && reference.userAgent) path.record('O3', q3, 'no', uaText);
  else path.effect('O3', q3, 'unknown', 0, uaText);
  o4UserAgentSeenBefore(c);
}

function o4UserAgentSeenBefore({ ev, mystery, path }: Compared): void {
  const q4 = 'Has the user been seen with this sign-in’s user agent in the last 90 days?';
  const hw = `${iso(ev.historyWindow.from)} – ${iso(ev.historyWindow.to)}`;
  if (!mystery.userAgent) path.effect('O4', q4, 'unknown', 0, 'the events of the sign-in in question carry no user agent');
  else if (!ev.history?.hasData) path.effect('O4', q4, 'unknown', 0, ev.historyError ?? `no Okta data in ${hw}`);
  else if (ev.history.found.includes(mystery.userAgent)) path.effect('O4', q4, 'yes', -10, `a successful sign-in of the user in ${hw} carried it`);
  else if (ev.history.incomplete?.length) path.effect('O4', q4, 'unknown', 0, `not found, but ${ev.history.incomplete.join('; ')}`);
  else path.effect('O4', q4, 'no', 20, `no successful sign-in of the user in ${hw} carried it`);
}

function o5DeviceFingerprint({ a, b, path }: Compared): void {
  const q5 = 'Both sessions carry a device fingerprint: are they equal?';
  if (a.deviceFingerprint && b.deviceFingerprint) {
    const equal = a.deviceFingerprint === b.deviceFingerprint;
    path.effect('O5', q5, equal ? 'equal' : 'different', equal ? -30 : 10, `A: ${a.deviceFingerprint}; B: ${b.deviceFingerprint}`);
  } else path.effect('O5', q5, 'unknown', 0, `missing: A: ${a.deviceFingerprint ?? 'none on its events'}; B: ${b.deviceFingerprint ?? 'none on its events'}`);
}

function o6FailedAttemptAsymmetry({ a, b, path }: Compared): void {
  const asymmetric = (a.failuresBefore >= 3 && b.failuresBefore === 0) || (b.failuresBefore >= 3 && a.failuresBefore === 0);
  path.effect('O6', 'Failed-attempt asymmetry (≥ 3 failures before success in one session, none in the other)?', asymmetric ? 'yes' : 'no', asymmetric ? 20 : 0, `failures in the hour before success: A ${a.failuresBefore}, B ${b.failuresBefore}`);
}

function o7Mfa({ mystery, reference, path }: Compared): void {
  const q7 = 'MFA: what did each session pass?';
  const mfaText = `in question: ${mystery.mfaFactors.join(', ') || 'none'}; reference: ${reference.mfaFactors.join(', ') || 'none'}`;
  if (mystery.mfaFactors.length === 0) path.effect('O7', q7, 'the sign-in in question passed none', 15, mfaText);
  else if (reference.mfaFactors.length === 0) path.effect('O7', q7, 'only the reference lacks MFA', 0, mfaText);
  else if (mystery.mfaFactors.some((f) => reference.mfaFactors.includes(f))) path.effect('O7', q7, 'both, a shared factor type', -15, mfaText);
  else path.effect('O7', q7, 'both, no factor type in common', 10, mfaText);
}

function o8Proxy({ mystery, path }: Compared): void {
  path.effect('O8', 'Does Okta flag the IP in question as a proxy or anonymiser?', mystery.isProxy === true ? 'yes' : mystery.isProxy === false ? 'no' : 'unknown', mystery.isProxy === true ? 15 : 0,
    `is_proxy: ${mystery.isProxy ?? 'unknown'}${mystery.asOrg ? `; AS organisation: ${mystery.asOrg}` : ''}`);
}

function o9TravelSpeed({ a, b, facts, path }: Compared): void {
  const q9 = `Implied travel speed ≤ ${MAX_PLAUSIBLE_KMH} km/h (plausible: a flight or a geo-IP error)?`;
  const ms = Math.abs(b.signInTime.getTime() - a.signInTime.getTime());
  const minutes = Math.round(ms / 60_000);
  if (a.geo && b.geo) {
    const km = distanceKm(a.geo, b.geo);
    const kmh = speedKmh(km, ms);
    const travel = { distance_km: Math.round(km), minutes_between: minutes, speed_kmh: Number.isFinite(kmh) ? Math.round(kmh) : null };
    facts['travel'] = travel;
    const plausible = kmh <= MAX_PLAUSIBLE_KMH;
    path.effect('O9', q9, plausible ? 'yes' : 'no', plausible ? -20 : 0, `${travel.distance_km} km in ${minutes} min: ${travel.speed_kmh === null ? 'instantaneous' : `${travel.speed_kmh} km/h`}`);
  } else {
    facts['travel'] = { distance_km: null, minutes_between: minutes, speed_kmh: null };
    path.effect('O9', q9, 'unknown', 0, `geo missing for ${[a.geo ? '' : 'A', b.geo ? '' : 'B'].filter(Boolean).join(' and ')}; ${minutes} min between the sign-ins`);
  }
}

/** After O9: the score, clamped, decides the class. */
function scored({ a, b, mystery, facts, path }: Compared): Ending {
  const final = Math.max(0, Math.min(100, path.score));
  facts['score_before_clamp'] = path.score;
  const cls = classForScore(final);
  const summary =
    cls === 'malicious'
      ? `Sign-in from ${where(mystery)} looks like someone other than the user (score ${final}).`
      : cls === 'benign'
        ? `Both sign-ins are most likely the user (score ${final}).`
        : `Sign-ins from ${where(a)} and ${where(b)} need an analyst (score ${final}).`;
  return { verdict: cls, score: final, summary };
}

/** Steps O3–O9, in the order of flows.md §2; each adds its effect to the score. */
const SCORED_STEPS: Array<(c: Compared) => void> = [o3SameUserAgent, o5DeviceFingerprint, o6FailedAttemptAsymmetry, o7Mfa, o8Proxy, o9TravelSpeed];

export function decideOkta(alert: OktaTravelAlert, ev: OktaEvidence): OktaVerdict {
  const path = new DecisionPath(50);
  const knownOf = (ip: string) => ev.known.find((k) => k.ip === ip)?.reason;
  const { sessionA: a, sessionB: b } = ev;
  const facts: OktaFacts = {
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
  const verdict = (e: Ending): OktaVerdict => ({ alert_id: alert.id, flow: 'okta_impossible_travel', verdict: e.verdict, score: e.score, summary: e.summary, path: path.steps, facts });
  const nothing = o0NothingToCompare(ev, path);
  if (nothing || !a || !b) return verdict(nothing ?? { verdict: 'inconclusive', score: null, summary: 'Nothing to compare.' });
  const travel: Travel = { ev, a, b, knownA: knownOf(a.ip), knownB: knownOf(b.ip), facts, path };
  const bothKnown = o1BothKnown(travel);
  if (bothKnown) return verdict(bothKnown);
  const compared = o2WhichInQuestion(travel);
  for (const step of SCORED_STEPS) step(compared);
  return verdict(scored(compared));
}
