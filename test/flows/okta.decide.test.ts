// decide() of the Okta flow, pure: plain sessions in, score path out. Every step id of flows.md §2 and
// both sides of its thresholds (3 failures, 900 km/h, the 75 and 30 bands, the 0–100 clamp).
// Scores move in steps of 5, so 70 (the baseline) and 35 are the neighbours of the bands' edges.
import { describe, expect, it } from 'vitest';
import type { OktaTravelAlert } from '../../src/alerts/types.js';
import { decideOkta } from '../../src/flows/okta/decide.js';
import type { OktaEvidence, OktaSession } from '../../src/flows/okta/gather.js';

const T = Date.parse('2026-06-01T12:00:00Z');
const H = 3600_000;
const UA_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/130.0.0.0 Safari/537.36';
const UA_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/129.0.0.0 Safari/537.36';
const IP_A = '203.0.113.10';
const IP_B = '185.220.101.4';

const alert: OktaTravelAlert = { id: 'okta-decide', type: 'okta.superhuman', time: new Date(T), raw: {}, userId: '00u1', ip: IP_B };

/** Session A three hours before T, session B at T; the baseline differs in browser and has only B's MFA. */
function session(which: 'A' | 'B', s: Partial<OktaSession> = {}): OktaSession {
  return {
    ip: which === 'A' ? IP_A : IP_B,
    signInTime: new Date(which === 'A' ? T - 3 * H : T),
    userAgent: which === 'A' ? UA_MAC : UA_WIN,
    mfaFactors: which === 'A' ? [] : ['OKTA_VERIFY_PUSH'],
    failuresBefore: 0,
    events: 2,
    foundBy: which === 'A' ? 'the user’s most recent successful sign-in from another IP' : 'the alerting event',
    ...s,
  };
}

interface Row {
  name: string;
  a?: Partial<OktaSession> | null;
  b?: Partial<OktaSession> | null;
  known?: Array<'A' | 'B'>;
  history?: string[] | null;
  ev?: Partial<OktaEvidence>;
  expect: { verdict: string; score: number | null; answers?: Record<string, string>; path?: string[] };
}

function evidence(row: Row): OktaEvidence {
  const sessionA = row.a === null ? undefined : session('A', row.a);
  const sessionB = row.b === null ? undefined : session('B', row.b);
  return {
    user: { id: '00u1', login: 'jane@example.com' },
    source: 'elasticsearch',
    window: { from: new Date(T - 25 * H), to: new Date(T + H) },
    ...(sessionA ? { sessionA } : { sessionANotFound: 'no successful sign-in of the user from another IP in the 24 h before T' }),
    ...(sessionB ? { sessionB } : { sessionBNotFound: 'the alerting sign-in (IP 185.220.101.4 within ±5 min of T) is not in the System Log' }),
    known: (row.known ?? []).map((w) => ({ ip: w === 'A' ? IP_A : IP_B, reason: 'company CIDR 203.0.113.0/24' })),
    ...(row.history === null ? {} : { history: { hasData: true, found: row.history ?? [UA_MAC] } }),
    historyWindow: { from: new Date(T - 90 * 24 * H), to: new Date(T - 24 * H - 1) },
    notes: [],
    ...row.ev,
  };
}

const NY = { lat: 40.7128, lon: -74.006, city: 'New York', country: 'US' };
const PHILLY = { lat: 39.9526, lon: -75.1652, city: 'Philadelphia', country: 'US' };
// 3 h apart on the equator: 24.28° of longitude ≈ 2700 km ≈ 900 km/h.
const EQ0 = { lat: 0, lon: 0 };
const kmPerDegree = (2 * Math.PI * 6371.0088) / 360;
const EQ_AT = (kmh: number) => ({ lat: 0, lon: (kmh * 3) / kmPerDegree });
const FULL = ['O0', 'O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7', 'O8', 'O9'];
const SAME_UA = ['O0', 'O1', 'O2', 'O3', 'O5', 'O6', 'O7', 'O8', 'O9'];

// Baseline: 50, different browsers and B's never seen (+20), no fingerprints (0), no failures (0),
// only the mystery (B) passed MFA (0), no proxy flag (0), no geo (0) → 70.
const ROWS: Row[] = [
  { name: 'O0: no session A → inconclusive', a: null, expect: { verdict: 'inconclusive', score: null, path: ['O0'] } },
  { name: 'O1: both IPs known → benign 5', known: ['A', 'B'], expect: { verdict: 'benign', score: 5, path: ['O0', 'O1'] } },
  { name: 'baseline → suspicious 70, B the mystery', expect: { verdict: 'suspicious', score: 70, path: FULL, answers: { O2: 'B', O3: 'no', O4: 'no (+20)', O5: 'unknown (0)', O6: 'no (0)', O7: 'only the reference lacks MFA (0)', O8: 'unknown (0)', O9: 'unknown (0)' } } },
  { name: 'O2: only A known → B the mystery', known: ['A'], expect: { verdict: 'suspicious', score: 70, answers: { O2: 'B' } } },
  { name: 'O2: only B known → A the mystery (its browser seen −10, no MFA +15) → 55', known: ['B'], expect: { verdict: 'suspicious', score: 55, answers: { O2: 'A', O4: 'yes (−10)', O7: 'the sign-in in question passed none (+15)' } } },
  { name: 'O3: the same raw user agent → −15, no O4 → 35', b: { userAgent: UA_MAC }, expect: { verdict: 'suspicious', score: 35, path: SAME_UA, answers: { O3: 'yes (−15)' } } },
  { name: 'O4: the mystery user agent in the history → −10 → 40', history: [UA_MAC, UA_WIN], expect: { verdict: 'suspicious', score: 40, answers: { O4: 'yes (−10)' } } },
  { name: 'O4: no Okta data in the history window → unknown (0) → 50', history: null, expect: { verdict: 'suspicious', score: 50, answers: { O4: 'unknown (0)' } } },
  { name: 'O5: equal fingerprints → −30 → 40', a: { deviceFingerprint: 'fp1' }, b: { deviceFingerprint: 'fp1' }, expect: { verdict: 'suspicious', score: 40, answers: { O5: 'equal (−30)' } } },
  { name: 'O5: different fingerprints → +10 → malicious 80', a: { deviceFingerprint: 'fp1' }, b: { deviceFingerprint: 'fp2' }, expect: { verdict: 'malicious', score: 80, answers: { O5: 'different (+10)' } } },
  { name: 'O5: one fingerprint missing → 0', a: { deviceFingerprint: 'fp1' }, expect: { verdict: 'suspicious', score: 70, answers: { O5: 'unknown (0)' } } },
  { name: 'O6: 3 failures before B, none before A → +20 → malicious 90', b: { failuresBefore: 3 }, expect: { verdict: 'malicious', score: 90, answers: { O6: 'yes (+20)' } } },
  { name: 'O6: 3 failures before A, none before B → +20', a: { failuresBefore: 3 }, expect: { verdict: 'malicious', score: 90, answers: { O6: 'yes (+20)' } } },
  { name: 'O6: 2 failures are not enough', b: { failuresBefore: 2 }, expect: { verdict: 'suspicious', score: 70, answers: { O6: 'no (0)' } } },
  { name: 'O6: 3 failures against 1 is no asymmetry', a: { failuresBefore: 1 }, b: { failuresBefore: 3 }, expect: { verdict: 'suspicious', score: 70, answers: { O6: 'no (0)' } } },
  { name: 'O7: the mystery passed none → +15 → malicious 85', a: { mfaFactors: ['OKTA_VERIFY_PUSH'] }, b: { mfaFactors: [] }, expect: { verdict: 'malicious', score: 85, answers: { O7: 'the sign-in in question passed none (+15)' } } },
  { name: 'O7: both passed a shared factor type → −15 → 55', a: { mfaFactors: ['OKTA_VERIFY_PUSH', 'SMS'] }, expect: { verdict: 'suspicious', score: 55, answers: { O7: 'both, a shared factor type (−15)' } } },
  { name: 'O7: both passed, no type in common → +10 → malicious 80', a: { mfaFactors: ['SMS'] }, expect: { verdict: 'malicious', score: 80, answers: { O7: 'both, no factor type in common (+10)' } } },
  { name: 'O8: the mystery IP is a proxy → +15 → malicious 85', b: { isProxy: true, asOrg: 'M247 Europe SRL' }, expect: { verdict: 'malicious', score: 85, answers: { O8: 'yes (+15)' } } },
  { name: 'O8: not a proxy → 0', b: { isProxy: false }, expect: { verdict: 'suspicious', score: 70, answers: { O8: 'no (0)' } } },
  { name: 'O8: only the reference is a proxy → 0', a: { isProxy: true }, expect: { verdict: 'suspicious', score: 70, answers: { O8: 'unknown (0)' } } },
  { name: 'O9: New York → Philadelphia in 3 h → −20 → 50', a: { geo: NY }, b: { geo: PHILLY }, expect: { verdict: 'suspicious', score: 50, answers: { O9: 'yes (−20)' } } },
  { name: 'O9: 899 km/h is plausible → −20', a: { geo: EQ0 }, b: { geo: EQ_AT(899) }, expect: { verdict: 'suspicious', score: 50, answers: { O9: 'yes (−20)' } } },
  { name: 'O9: 901 km/h is not → 0', a: { geo: EQ0 }, b: { geo: EQ_AT(901) }, expect: { verdict: 'suspicious', score: 70, answers: { O9: 'no (0)' } } },
  { name: 'O9: one geo missing → unknown (0)', a: { geo: NY }, expect: { verdict: 'suspicious', score: 70, answers: { O9: 'unknown (0)' } } },
  { name: 'band: exactly 75 is malicious', a: { mfaFactors: ['OKTA_VERIFY_PUSH'] }, b: { failuresBefore: 3 }, expect: { verdict: 'malicious', score: 75 } },
  { name: 'band: exactly 30 is benign', a: { mfaFactors: ['SMS'], deviceFingerprint: 'x' }, b: { userAgent: UA_MAC, mfaFactors: ['SMS'], deviceFingerprint: 'y' }, expect: { verdict: 'benign', score: 30 } },
  { name: 'band: 35, the next score above 30, is suspicious', a: { mfaFactors: ['SMS'], deviceFingerprint: 'x' }, b: { mfaFactors: ['SMS'], deviceFingerprint: 'y' }, history: [UA_WIN], expect: { verdict: 'suspicious', score: 35 } },
  { name: 'clamp: below 0 is 0', a: { mfaFactors: ['SMS'], deviceFingerprint: 'x', geo: NY }, b: { userAgent: UA_MAC, mfaFactors: ['SMS'], deviceFingerprint: 'x', geo: PHILLY }, expect: { verdict: 'benign', score: 0 } },
  { name: 'clamp: above 100 is 100', a: { mfaFactors: ['SMS'], deviceFingerprint: 'x', geo: NY }, b: { mfaFactors: [], deviceFingerprint: 'y', failuresBefore: 5, isProxy: true, geo: { lat: 52.37, lon: 4.9 } }, expect: { verdict: 'malicious', score: 100 } },
  // v3: never score an empty session; a value the sessions' events lack is unknown (0).
  { name: 'v3 O0: the alerting event (B) not in the evidence → inconclusive', b: null, expect: { verdict: 'inconclusive', score: null, path: ['O0'] } },
  { name: 'v3 O0: the user’s log cut short → inconclusive', ev: { logIncomplete: ['more than 50000 events of the user'] }, expect: { verdict: 'inconclusive', score: null, path: ['O0'] } },
  { name: 'v3 O3: the reference’s events carry no user agent → unknown (0); O4 still asks about the mystery’s', a: { userAgent: undefined }, expect: { verdict: 'suspicious', score: 70, path: FULL, answers: { O3: 'unknown (0)', O4: 'no (+20)' } } },
  { name: 'v3 O4: the mystery’s events carry no user agent → unknown (0)', b: { userAgent: undefined }, expect: { verdict: 'suspicious', score: 50, answers: { O3: 'unknown (0)', O4: 'unknown (0)' } } },
  { name: 'v3 O4: a history that could not be searched whole → unknown (0), not +20', ev: { history: { hasData: true, found: [], incomplete: ['a user agent of 300 characters is longer than user_agent.original indexes (256)'] } }, expect: { verdict: 'suspicious', score: 50, answers: { O4: 'unknown (0)' } } },
];

describe('decideOkta (pure)', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const v = decideOkta(alert, evidence(row));
    expect({ verdict: v.verdict, score: v.score }).toEqual({ verdict: row.expect.verdict, score: row.expect.score });
    if (row.expect.path) expect(v.path.map((p) => p.step)).toEqual(row.expect.path);
    for (const [step, answer] of Object.entries(row.expect.answers ?? {})) expect(v.path.find((p) => p.step === step)?.answer, step).toBe(answer);
  });

  it('covers every step id of flows.md §2', () => {
    const seen = new Set(ROWS.flatMap((r) => [...(r.expect.path ?? []), ...Object.keys(r.expect.answers ?? {})]));
    expect([...seen].sort()).toEqual(FULL);
  });

  it('v3 O0: the trace says which session is missing and why', () => {
    const v = decideOkta(alert, evidence({ name: '', b: null, expect: { verdict: '', score: null } }));
    expect(v.path[0]!.evidence).toContain('the alerting sign-in (IP 185.220.101.4 within ±5 min of T) is not in the System Log');
    expect(v.facts['session_b']).toBeNull();
  });

  it('words a malicious summary in plain English: someone other than the user', () => {
    const row = ROWS.find((r) => r.name.startsWith('O7: the mystery passed none'))!;
    const v = decideOkta(alert, evidence(row));
    expect(v.verdict).toBe('malicious');
    expect(v.summary).toBe('Sign-in from 185.220.101.4 looks like someone other than the user (score 85).');
    expect(v.path.find((p) => p.step === 'O2')).toMatchObject({ question: 'Which sign-in is in question?', evidence: expect.stringContaining('is the one in question') });
  });

  it('shows distance, time between the sessions and implied speed', () => {
    const v = decideOkta(alert, evidence({ name: '', a: { geo: EQ0 }, b: { geo: EQ_AT(901) }, expect: { verdict: '', score: null } }));
    expect(v.facts['travel']).toEqual({ distance_km: 2703, minutes_between: 180, speed_kmh: 901 });
  });

  it('names the mystery session in the facts (the suppress-similar key needs it); none before O2', () => {
    const fact = (row: Partial<Row>) => decideOkta(alert, evidence({ name: '', expect: { verdict: '', score: null }, ...row })).facts['mystery'];
    expect(fact({})).toBe('B');
    expect(fact({ known: ['B'] })).toBe('A');
    expect(fact({ known: ['A', 'B'] })).toBeNull();
    expect(fact({ a: null })).toBeNull();
  });
});
