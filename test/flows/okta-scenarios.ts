// Scenarios of the Okta flow, from flows.md: each step O0–O9 moves the score or the verdict, and
// the thresholds (75, 30, 900 km/h, 3 failures) are crossed both ways.
import { agentSighting, apiEvent, ecsFromApi, jamfCheckIn, proxyVisit, type SignInSpec } from '../support/okta.js';
import { DAY_MS } from '../support/time.js';

export const COMPANY_CIDRS = ['198.51.100.0/24'];
const UA_A = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const UA_B = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36';
const NEW_YORK = { lat: 40.7128, lon: -74.006, city: 'New York', country: 'US' };
const PHILADELPHIA = { lat: 39.9526, lon: -75.1652, city: 'Philadelphia', country: 'US' };
const AMSTERDAM = { lat: 52.3676, lon: 4.9041, city: 'Amsterdam', country: 'NL' };
const EQUATOR_0 = { lat: 0, lon: 0, city: 'Null Island', country: 'XX' };
// Three hours apart: 22.9° of longitude is ≈ 849 km/h, 25.7° ≈ 953 km/h.
const EQUATOR_849 = { lat: 0, lon: 22.9, city: 'East', country: 'XX' };
const EQUATOR_953 = { lat: 0, lon: 25.7, city: 'Far East', country: 'XX' };

export interface Knobs {
  noSessionA?: boolean;
  knownA?: 'cidr' | 'agent' | 'jamf';
  /** agent: EDR host.ip; proxy: a Zscaler source.nat.ip; visited: only a web server a company device visited (destination.ip, related.ip): not known. */
  knownB?: 'agent' | 'proxy' | 'visited';
  sameUa?: boolean;
  uaInHistory?: boolean;
  fp?: 'equal' | 'different';
  failuresA?: number;
  failuresB?: number;
  mfaA?: string[];
  mfaB?: string[];
  proxyB?: boolean;
  geo?: [typeof NEW_YORK, typeof NEW_YORK];
  nativeAlert?: boolean;
  /** The alert is the alerting event as Elastic's integration stores it. */
  ecsAlert?: boolean;
  /** Session A appears only as an SSO event (no user.session.start in the log). */
  aViaSso?: boolean;
  /** The alert names session A's IP (previous_ip). */
  previousIp?: boolean;
  /** The log lacks the alerting sign-in and its session. */
  noAlertingEvent?: boolean;
  /** Every sign-in carries this credential type (authenticationContext.credentialType). */
  credentialType?: string;
  /** Elastic's documents of the history sign-ins carry the user agent only in user_agent.original. */
  historyUaOnlyInEcsOriginal?: boolean;
  /** Failed sign-ins sprayed from IP B in the half hour before B's success. */
  spray?: number;
}

export interface OktaScenario {
  name: string;
  alert: Record<string, unknown>;
  /** As the Okta API returns them. */
  events: Record<string, unknown>[];
  /** The same events as Elastic's Okta integration stores them. */
  ecsEvents: Record<string, unknown>[];
  agentDocs: Record<string, unknown>[];
  user: { id: string; login: string; factors: string[] };
  expect: { verdict: string; score: number | null; mystery?: 'A' | 'B'; answers?: Record<string, string>; path: string[] };
}

type Expectation = Omit<OktaScenario['expect'], 'path'>;

const FULL = ['O0', 'O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7', 'O8', 'O9'];

/** The path a scenario must take, from its inputs and expected verdict (never from the output). */
function expectedPath(k: Knobs, e: Expectation): string[] {
  if (e.verdict === 'inconclusive') return ['O0'];
  if (k.knownA && k.knownB && k.knownB !== 'visited') return ['O0', 'O1'];
  return k.sameUa ? FULL.filter((s) => s !== 'O4') : FULL;
}

function build(i: number, name: string, k: Knobs, expectation: Expectation): OktaScenario {
  const expect = { ...expectation, path: expectedPath(k, expectation) };
  const T = new Date(Date.parse('2026-06-01T12:00:00Z') - i * 5 * DAY_MS);
  const at = (ms: number) => new Date(T.getTime() + ms).toISOString();
  const user = { id: `00u${String(i).padStart(4, '0')}ABCDEFGHIJKLMNO`.slice(0, 20), login: `user${i}@example.com` };
  const ipA = k.knownA === 'cidr' ? `198.51.100.${10 + i}` : `203.0.113.${10 + i}`;
  const ipB = `185.220.${100 + i}.4`;
  const base = { user };
  const events: SignInSpec[] = [];
  // History: a sign-in a month ago with the reference browser (and the mystery one when asked).
  const cred = k.credentialType ? { credentialType: k.credentialType } : {};
  events.push({ ...base, at: at(-30 * DAY_MS), ip: '192.0.2.50', ua: UA_A, session: `hist-${i}`, uuid: `hist-${i}`, ...cred });
  if (k.uaInHistory) events.push({ ...base, at: at(-20 * DAY_MS), ip: '192.0.2.51', ua: UA_B, session: `hist2-${i}`, uuid: `hist2-${i}`, ...cred });
  const mins = (m: number) => m * 60_000;
  if (!k.noSessionA) {
    const tA = -3 * 3600_000;
    for (let f = 0; f < (k.failuresA ?? 0); f++) events.push({ ...base, at: at(tA - mins(20 - f)), ip: ipA, ua: UA_A, outcome: 'FAILURE', eventType: 'user.session.start' });
    events.push({ ...base, at: at(tA), ip: ipA, ua: UA_A, session: `sA-${i}`, ...cred, ...(k.aViaSso ? { eventType: 'user.authentication.sso' } : {}), ...(k.fp ? { fingerprint: 'fp-device-1' } : {}), ...(k.geo ? { geo: k.geo[0] } : {}) });
    (k.mfaA ?? []).forEach((factor, n) => events.push({ ...base, at: at(tA + mins(1 + n)), ip: ipA, ua: UA_A, session: `sA-${i}`, eventType: 'user.authentication.auth_via_mfa', factor }));
  }
  const uaB = k.sameUa ? UA_A : UA_B;
  for (let f = 0; f < (k.failuresB ?? 0); f++) events.push({ ...base, at: at(-mins(30 - f)), ip: ipB, ua: uaB, outcome: 'FAILURE', eventType: 'user.authentication.sso' });
  for (let f = 0; f < (k.spray ?? 0); f++) events.push({ ...base, at: at(-mins(30) + f * 500), ip: ipB, ua: 'python-requests/2.31', outcome: 'FAILURE', eventType: 'user.session.start', uuid: `spray-${i}-${f}` });
  const alerting: SignInSpec = {
    ...base,
    at: at(0),
    ip: ipB,
    ua: uaB,
    session: `sB-${i}`,
    uuid: `alert-evt-${i}`,
    ...cred,
    behaviors: '{New Geo-Location=POSITIVE, New Device=POSITIVE, New IP=POSITIVE, New State=NEGATIVE, New Country=POSITIVE, Velocity=POSITIVE}',
    ...(k.fp ? { fingerprint: k.fp === 'equal' ? 'fp-device-1' : 'fp-device-2' } : {}),
    ...(k.geo ? { geo: k.geo[1] } : {}),
    ...(k.proxyB !== undefined ? { proxy: k.proxyB, asOrg: k.proxyB ? 'M247 Europe SRL' : 'Comcast' } : {}),
  };
  const bEvents: SignInSpec[] = [alerting, ...(k.mfaB ?? ['OKTA_VERIFY_PUSH']).map((factor, n) => ({ ...base, at: at(mins(1 + n)), ip: ipB, ua: uaB, session: `sB-${i}`, eventType: 'user.authentication.auth_via_mfa', factor }))];
  if (!k.noAlertingEvent) events.push(...bEvents);
  const api = events.map(apiEvent);
  const ecsEvents = api.map((e) => {
    const doc = ecsFromApi(e);
    if (k.historyUaOnlyInEcsOriginal && String(e['uuid']).startsWith('hist')) delete (doc['okta'] as { client: Record<string, unknown> }).client['user_agent'];
    return doc;
  });
  const agentDocs = [
    ...(k.knownA === 'agent' ? [agentSighting(at(-5 * DAY_MS), ipA)] : []),
    ...(k.knownA === 'jamf' ? [jamfCheckIn(at(-5 * DAY_MS), ipA)] : []),
    ...(k.knownB === 'agent' ? [agentSighting(at(-2 * DAY_MS), ipB)] : []),
    ...(k.knownB === 'proxy' ? [proxyVisit(at(-2 * DAY_MS), { egress: ipB, server: '93.184.215.14' })] : []),
    // The attacker lured an employee to his own server at ipB: Zscaler logged it as the destination.
    ...(k.knownB === 'visited' ? [proxyVisit(at(-2 * DAY_MS), { egress: '198.18.7.7', server: ipB })] : []),
  ];
  const alertingEvent = apiEvent(alerting);
  const alert = k.nativeAlert
    ? alertingEvent
    : k.ecsAlert
      ? ecsFromApi(alertingEvent)
    : { id: `okta-alert-${i}`, type: 'okta.superhuman', time: at(0), user_id: user.id, ip: ipB, ...(k.previousIp ? { previous_ip: ipA } : {}) };
  return { name, alert, events: api, ecsEvents, agentDocs, user: { ...user, factors: ['push', 'sms'] }, expect };
}

// Baseline: different browsers, the mystery one never seen (+20), no fingerprints, no failures,
// only the mystery passed MFA (0), no proxy flag, no geo → 70, suspicious.
const S: Array<[string, Knobs, Expectation]> = [
  ['O0: no earlier sign-in from another IP → inconclusive', { noSessionA: true }, { verdict: 'inconclusive', score: null }],
  ['O1: both IPs known (office CIDR, agents seen) → benign 5', { knownA: 'cidr', knownB: 'agent' }, { verdict: 'benign', score: 5 }],
  ['O2: only B known → A is the mystery (its UA is in history −10, no MFA +15) → 55', { knownB: 'agent' }, { verdict: 'suspicious', score: 55, mystery: 'A' }],
  ['O2: A known by agents, B not → B is the mystery → 70', { knownA: 'agent' }, { verdict: 'suspicious', score: 70, mystery: 'B' }],
  ['baseline: neither known, B the mystery → suspicious 70', {}, { verdict: 'suspicious', score: 70, mystery: 'B', answers: { O3: 'no', O4: 'no (+20)' } }],
  ['O3: same raw user agent → −15 → 35', { sameUa: true }, { verdict: 'suspicious', score: 35, answers: { O3: 'yes (−15)' } }],
  ['O4: mystery user agent seen in the last 90 days → −10 → 40', { uaInHistory: true }, { verdict: 'suspicious', score: 40, answers: { O4: 'yes (−10)' } }],
  ['O5: equal device fingerprints → −30 → 40', { fp: 'equal' }, { verdict: 'suspicious', score: 40 }],
  ['O5: different device fingerprints → +10 → malicious 80', { fp: 'different' }, { verdict: 'malicious', score: 80 }],
  ['O6: 3 failures before B’s success, none before A’s → +20 → malicious 90', { failuresB: 3 }, { verdict: 'malicious', score: 90, answers: { O6: 'yes (+20)' } }],
  ['O6: 2 failures are not enough → 70', { failuresB: 2 }, { verdict: 'suspicious', score: 70, answers: { O6: 'no (0)' } }],
  ['O7: the mystery passed no MFA → +15 → malicious 85', { mfaA: ['OKTA_VERIFY_PUSH'], mfaB: [] }, { verdict: 'malicious', score: 85 }],
  ['O7: both passed MFA with a shared factor → −15 → 55', { mfaA: ['OKTA_VERIFY_PUSH'], mfaB: ['OKTA_VERIFY_PUSH'] }, { verdict: 'suspicious', score: 55 }],
  ['O7: both passed MFA, no factor in common → +10 → malicious 80', { mfaA: ['SMS'], mfaB: ['OKTA_VERIFY_PUSH'] }, { verdict: 'malicious', score: 80 }],
  ['O8: mystery IP flagged as proxy → +15 → malicious 85', { proxyB: true }, { verdict: 'malicious', score: 85 }],
  ['O8: not a proxy → 70', { proxyB: false }, { verdict: 'suspicious', score: 70 }],
  ['O9: New York → Philadelphia in 3 h is plausible → −20 → 50', { geo: [NEW_YORK, PHILADELPHIA] }, { verdict: 'suspicious', score: 50, answers: { O9: 'yes (−20)' } }],
  ['O9: New York → Amsterdam in 3 h is not → 70', { geo: [NEW_YORK, AMSTERDAM] }, { verdict: 'suspicious', score: 70, answers: { O9: 'no (0)' } }],
  ['O9: 849 km/h is plausible → 50', { geo: [EQUATOR_0, EQUATOR_849] }, { verdict: 'suspicious', score: 50 }],
  ['O9: 953 km/h is not → 70', { geo: [EQUATOR_0, EQUATOR_953] }, { verdict: 'suspicious', score: 70 }],
  ['threshold: exactly 75 is malicious', { mfaA: ['OKTA_VERIFY_PUSH'], mfaB: ['OKTA_VERIFY_PUSH'], failuresB: 3 }, { verdict: 'malicious', score: 75 }],
  ['threshold: exactly 30 is benign', { sameUa: true, fp: 'different', mfaA: ['SMS'], mfaB: ['SMS'] }, { verdict: 'benign', score: 30 }],
  ['clamped at 0: the same device, browser and factor nearby → benign 0', { sameUa: true, fp: 'equal', mfaA: ['OKTA_VERIFY_PUSH'], mfaB: ['OKTA_VERIFY_PUSH'], geo: [NEW_YORK, PHILADELPHIA] }, { verdict: 'benign', score: 0 }],
  ['clamped at 100: everything points at someone else', { failuresB: 3, proxyB: true, fp: 'different', mfaA: ['OKTA_VERIFY_PUSH'], mfaB: [], geo: [NEW_YORK, AMSTERDAM] }, { verdict: 'malicious', score: 100 }],
  ['O0: session A logged only as an SSO event is still found → 70', { aViaSso: true }, { verdict: 'suspicious', score: 70 }],
  ['the alerting event in ECS form (as stored by Elastic) is an alert too', { ecsAlert: true, proxyB: true }, { verdict: 'malicious', score: 85 }],
  ['a native Okta event with Velocity=POSITIVE is the alerting event', { nativeAlert: true, proxyB: true }, { verdict: 'malicious', score: 85 }],
  ['O0: the alert names a previous IP and session A is found from it → 70', { previousIp: true }, { verdict: 'suspicious', score: 70 }],
  // v3
  ['v3 O0: the alert names a previous IP, but no sign-in from it in the 24 h before T → inconclusive', { previousIp: true, noSessionA: true }, { verdict: 'inconclusive', score: null }],
  ['v3 O0: the alerting sign-in is not in the System Log → inconclusive', { noAlertingEvent: true }, { verdict: 'inconclusive', score: null }],
  ['v3 O7: a sign-in’s credential type (PASSWORD) is no MFA factor: A passed none, B’s push is no shared factor → 70', { credentialType: 'PASSWORD' }, { verdict: 'suspicious', score: 70, answers: { O7: 'only the reference lacks MFA (0)' } }],
  ['v3 O7: with PASSWORD on both and no MFA on the mystery: mystery passed none → +15 → malicious 85', { credentialType: 'PASSWORD', mfaB: [] }, { verdict: 'malicious', score: 85, answers: { O7: 'the sign-in in question passed none (+15)' } }],
  ['v3 O4: the history’s user agent only in user_agent.original is still seen → −10 → 40', { uaInHistory: true, historyUaOnlyInEcsOriginal: true }, { verdict: 'suspicious', score: 40, answers: { O4: 'yes (−10)' } }],
  ['v3: 2 100 failed sign-ins sprayed before B are read whole: B is found, O6 +20 → malicious 90', { spray: 2100 }, { verdict: 'malicious', score: 90, answers: { O6: 'yes (+20)' } }],
  ['v3 O1: B is a web server a company device visited (Zscaler destination.ip, related.ip), not a company IP → B the mystery → 70', { knownA: 'agent', knownB: 'visited' }, { verdict: 'suspicious', score: 70, mystery: 'B' }],
  ['v3 O1: B is a company device’s egress (Zscaler source.nat.ip), A a Mac’s reported address (Jamf host.ip) → benign 5', { knownA: 'jamf', knownB: 'proxy' }, { verdict: 'benign', score: 5 }],
];

export const OKTA_SCENARIOS: OktaScenario[] = S.map(([name, knobs, expect], i) => build(i + 1, name, knobs, expect));
