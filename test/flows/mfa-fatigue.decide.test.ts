// decide() of the MFA push fatigue flow, pure: Okta events in, path out. Every step id of flows.md §4 and both
// sides of every threshold: N − 1, N, N + 1 rejections; an approval exactly 10 min after the first rejection and
// just past it; a push FAILURE 5 s vs 6 s from a deny_push; a duplicate uuid; unknown company status.
import { describe, expect, it } from 'vitest';
import type { OktaMfaFatigueAlert } from '../../src/alerts/types.js';
import type { OktaEvent } from '../../src/evidence/ports.js';
import { AUTH_VIA_MFA, DENY_PUSH, mfaActivity, PUSH_SENT, REPORT_SUSPICIOUS } from '../../src/flows/mfa-fatigue/activity.js';
import { decideMfaFatigue } from '../../src/flows/mfa-fatigue/decide.js';
import type { IpStatus, MfaFatigueEvidence } from '../../src/flows/mfa-fatigue/facts.js';

const T = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60_000;
const OFFICE = '198.51.100.7';
const ATTACKER = '185.220.101.4';
const PHONE = '172.56.10.2';
const alert: OktaMfaFatigueAlert = { id: 'mfa-decide', type: 'okta.mfa_fatigue', time: new Date(T), raw: {}, userLogin: 'jane@example.com', trigger: 'canonical alert' };

let seq = 0;
const at = (ms: number) => new Date(T + ms);
/** ip null: the event carries no client IP. */
const push = (ms: number, ip: string | null = ATTACKER): OktaEvent => ({ uuid: `p${++seq}`, time: at(ms), eventType: PUSH_SENT, ...(ip ? { ip } : {}), outcome: 'SUCCESS' });
const deny = (ms: number, uuid?: string): OktaEvent => ({ uuid: uuid ?? `d${++seq}`, time: at(ms), eventType: DENY_PUSH, ip: PHONE, outcome: 'SUCCESS' });
const failure = (ms: number): OktaEvent => ({ uuid: `f${++seq}`, time: at(ms), eventType: AUTH_VIA_MFA, factor: 'OKTA_VERIFY_PUSH', ip: ATTACKER, outcome: 'FAILURE' });
const approve = (ms: number, ip: string | null = ATTACKER): OktaEvent => ({ uuid: `a${++seq}`, time: at(ms), eventType: AUTH_VIA_MFA, factor: 'OKTA_VERIFY_PUSH', ...(ip ? { ip } : {}), outcome: 'SUCCESS' });
const report = (ms: number): OktaEvent => ({ uuid: `r${++seq}`, time: at(ms), eventType: REPORT_SUSPICIOUS, ip: PHONE, outcome: 'SUCCESS' });
/** n rejections a minute apart, the first at `start` minutes. */
const denials = (n: number, start = -10) => Array.from({ length: n }, (_, i) => deny((start + i) * MIN));

const KNOWN: IpStatus = { ip: OFFICE, status: 'known', reason: 'company CIDR 198.51.100.0/24' };
const NOT_KNOWN: IpStatus = { ip: ATTACKER, status: 'not_known', reason: 'not in the company CIDRs nor the user’s sign-ins' };
const UNKNOWN: IpStatus = { ip: ATTACKER, status: 'unknown', reason: 'the company agent indices have no data at all' };

interface Row {
  name: string;
  events: OktaEvent[];
  ips?: IpStatus[];
  ev?: Partial<MfaFatigueEvidence>;
  expect: { verdict: string; score: number | null; path: string[]; answers?: Record<string, string> };
}

function evidence(row: Row): MfaFatigueEvidence {
  return {
    user: { login: 'jane@example.com' },
    source: 'elasticsearch',
    window: { from: at(-60 * MIN), to: at(60 * MIN) },
    hasData: true,
    activity: mfaActivity(row.events),
    ips: row.ips ?? [NOT_KNOWN, KNOWN],
    minRejections: 3,
    notes: [],
    ...row.ev,
  };
}

const P = (last: number) => ['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6'].slice(0, last + 1);

const ROWS: Row[] = [
  { name: 'P0: nothing of the user in the window → inconclusive', events: [], expect: { verdict: 'inconclusive', score: null, path: P(0), answers: { P0: 'yes' } } },
  { name: 'P0: no Okta data at all in the window → inconclusive', events: [], ev: { hasData: false }, expect: { verdict: 'inconclusive', score: null, path: P(0) } },
  { name: 'P0: the System Log could not be read → inconclusive', events: [], ev: { hasData: false, source: 'none', sourceError: 'Okta System Log API failed: HTTP 500' }, expect: { verdict: 'inconclusive', score: null, path: P(0) } },
  { name: 'P1: the user reported it → malicious 95', events: [push(0), report(1 * MIN)], expect: { verdict: 'malicious', score: 95, path: P(1), answers: { P0: 'no', P1: 'yes' } } },
  { name: 'P1 wins over P2', events: [...denials(3), approve(-5 * MIN), report(MIN)], expect: { verdict: 'malicious', score: 95, path: P(1) } },
  { name: 'P2: N rejections, then an approval from a foreign IP → malicious 90', events: [push(-11 * MIN), ...denials(3), approve(-5 * MIN)], expect: { verdict: 'malicious', score: 90, path: P(2), answers: { P1: 'no', P2: 'yes' } } },
  { name: 'P2: N + 1 rejections → malicious 90', events: [...denials(4), approve(-5 * MIN)], expect: { verdict: 'malicious', score: 90, path: P(2) } },
  {
    name: 'P2: N − 1 rejections → no fatigue approval; no span of N; a foreign IP → P6 suspicious 40',
    events: [...denials(2), approve(-5 * MIN)],
    expect: { verdict: 'suspicious', score: 40, path: P(6), answers: { P2: 'no', P3: 'no', P4: 'no', P5: 'no' } },
  },
  { name: 'P2: approval exactly 10 min after the first rejection → it counts', events: [deny(0), deny(MIN), deny(2 * MIN), approve(10 * MIN)], expect: { verdict: 'malicious', score: 90, path: P(2) } },
  {
    name: 'P2: approval 10 min + 1 ms after the first rejection → only N − 1 before it',
    events: [deny(0), deny(MIN), deny(2 * MIN), approve(10 * MIN + 1)],
    // The span of 3 exists, but an approval came after its third rejection: P4 no; 3 rejections: P5 no.
    expect: { verdict: 'suspicious', score: 40, path: P(6), answers: { P2: 'no', P3: 'no', P4: 'no', P5: 'no' } },
  },
  { name: 'P2: a rejection at the approval’s own time is not before it (and the approval is not later than it: P4)', events: [deny(-2 * MIN), deny(-MIN), deny(0), approve(0)], expect: { verdict: 'suspicious', score: 65, path: P(4), answers: { P3: 'no' } } },
  { name: 'P2: a push FAILURE 5 s after a deny_push is the same denial (2 + 2 logged → 2)', events: [deny(-3 * MIN), failure(-3 * MIN + 5000), deny(-2 * MIN), failure(-2 * MIN + 5000), approve(0)], expect: { verdict: 'suspicious', score: 40, path: P(6), answers: { P2: 'no' } } },
  { name: 'P2: a push FAILURE 6 s after a deny_push is another rejection (4)', events: [deny(-3 * MIN), failure(-3 * MIN + 6000), deny(-2 * MIN), failure(-2 * MIN + 6000), approve(0)], expect: { verdict: 'malicious', score: 90, path: P(2) } },
  { name: 'P2: a FAILURE 5 s before the deny_push counts once too', events: [failure(-3 * MIN - 5000), deny(-3 * MIN), deny(-2 * MIN), approve(0)], expect: { verdict: 'suspicious', score: 40, path: P(6) } },
  { name: 'P2: push FAILUREs alone are rejections', events: [failure(-3 * MIN), failure(-2 * MIN), failure(-MIN), approve(0)], expect: { verdict: 'malicious', score: 90, path: P(2) } },
  { name: 'P2: the same deny_push indexed twice (one uuid) counts once', events: [deny(-3 * MIN, 'dup'), deny(-3 * MIN, 'dup'), deny(-2 * MIN), approve(0)], expect: { verdict: 'suspicious', score: 40, path: P(6) } },
  {
    name: 'P2: the approving IP’s company status is unknown (no agent data) → P2 unknown, P3 suspicious 55',
    events: [...denials(3), approve(-5 * MIN)],
    ips: [UNKNOWN],
    expect: { verdict: 'suspicious', score: 55, path: P(3), answers: { P2: 'unknown', P3: 'yes' } },
  },
  { name: 'P2: an approval that carries no client IP → P2 unknown, P3 suspicious 55', events: [...denials(3), approve(-5 * MIN, null)], expect: { verdict: 'suspicious', score: 55, path: P(3), answers: { P2: 'unknown' } } },
  { name: 'P3: a fatigue approval from a known IP → suspicious 55', events: [...denials(3), approve(-5 * MIN, OFFICE)], expect: { verdict: 'suspicious', score: 55, path: P(3), answers: { P2: 'no', P3: 'yes' } } },
  { name: 'P4: N rejections in 10 minutes, never approved → suspicious 65', events: [push(-11 * MIN, OFFICE), ...denials(3)], expect: { verdict: 'suspicious', score: 65, path: P(4), answers: { P3: 'no', P4: 'yes' } } },
  { name: 'P4: N rejections spread over 10 min + 1 ms → no span', events: [deny(0), deny(5 * MIN), deny(10 * MIN + 1), push(-MIN, OFFICE)], expect: { verdict: 'suspicious', score: 40, path: P(6), answers: { P4: 'no', P5: 'no' } } },
  { name: 'P4: N rejections exactly 10 min apart end to end → a span', events: [deny(0), deny(5 * MIN), deny(10 * MIN)], expect: { verdict: 'suspicious', score: 65, path: P(4) } },
  { name: 'P4: approved later (30 min after) → P4 no; N rejections → P6 suspicious 40', events: [...denials(3), approve(25 * MIN, OFFICE)], expect: { verdict: 'suspicious', score: 40, path: P(6), answers: { P4: 'no', P5: 'no' } } },
  {
    name: 'P4: an early burst answered later, then a second burst never answered → suspicious 65',
    events: [...denials(3, -50), approve(-30 * MIN, OFFICE), ...denials(3, 10)],
    expect: { verdict: 'suspicious', score: 65, path: P(4) },
  },
  { name: 'P5: pushes and an approval from known IPs, N − 1 rejections → benign 10', events: [push(-3 * MIN, OFFICE), deny(-2 * MIN), deny(-MIN), push(0, OFFICE), approve(MIN / 2, OFFICE)], expect: { verdict: 'benign', score: 10, path: P(5), answers: { P5: 'yes' } } },
  { name: 'P5: a push from an IP whose company status is unknown → inconclusive', events: [push(0, ATTACKER), approve(MIN / 2, OFFICE)], ips: [UNKNOWN, KNOWN], expect: { verdict: 'inconclusive', score: null, path: P(5), answers: { P5: 'unknown' } } },
  { name: 'P5: a push that carries no client IP → inconclusive', events: [push(0, null), approve(MIN / 2, OFFICE)], expect: { verdict: 'inconclusive', score: null, path: P(5) } },
  { name: 'P5: one foreign push beside an unknown one → no → P6 suspicious 40', events: [push(0, ATTACKER), push(MIN, '203.0.113.9')], ips: [NOT_KNOWN, { ...UNKNOWN, ip: '203.0.113.9' }], expect: { verdict: 'suspicious', score: 40, path: P(6), answers: { P5: 'no' } } },
  { name: 'P5: rejections only (no push or approval) → P6 suspicious 40', events: [deny(0)], expect: { verdict: 'suspicious', score: 40, path: P(6), answers: { P5: 'no' } } },
  {
    name: 'v3: no benign past an unknown — a cut log turns P5 into inconclusive',
    events: [push(0, OFFICE), approve(MIN / 2, OFFICE)],
    ev: { logIncomplete: ['more than 1000 events of the user'] },
    expect: { verdict: 'inconclusive', score: null, path: P(5), answers: { P1: 'unknown', P2: 'unknown', P3: 'unknown', P4: 'unknown', P5: 'yes' } },
  },
  { name: 'a cut log still decides on what it found', events: [...denials(3), approve(-5 * MIN)], ev: { logIncomplete: ['cut'] }, expect: { verdict: 'malicious', score: 90, path: P(2), answers: { P1: 'unknown' } } },
  { name: 'N = 5: four rejections make no fatigue approval', events: [...denials(4), approve(-5 * MIN)], ev: { minRejections: 5 }, expect: { verdict: 'suspicious', score: 40, path: P(6) } },
  { name: 'N = 5: five do', events: [...denials(5), approve(-4 * MIN)], ev: { minRejections: 5 }, expect: { verdict: 'malicious', score: 90, path: P(2) } },
];

describe('MFA push fatigue decide (flows.md §4)', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const v = decideMfaFatigue(alert, evidence(row));
      expect({ verdict: v.verdict, score: v.score }).toEqual({ verdict: row.expect.verdict, score: row.expect.score });
      expect(v.flow).toBe('okta_mfa_fatigue');
      expect(v.path.map((p) => p.step)).toEqual(row.expect.path);
      for (const [step, answer] of Object.entries(row.expect.answers ?? {})) expect(v.path.find((p) => p.step === step)?.answer, step).toBe(answer);
    });
  }
});

describe('MFA push fatigue trace', () => {
  it('lists the pushes, rejections and approvals with times and requesting IPs, the span that counted, and which IPs were known and why', () => {
    const events = [push(-11 * MIN, ATTACKER), push(-10 * MIN, OFFICE), deny(-10 * MIN), failure(-10 * MIN + 3000), deny(-9 * MIN), deny(-8 * MIN), approve(-5 * MIN, ATTACKER)];
    const v = decideMfaFatigue(alert, evidence({ name: '', events, expect: { verdict: '', score: 0, path: [] } }));
    const f = v.facts as Record<string, any>;
    expect(f['pushes']).toEqual([
      { time: '2026-06-01T11:49:00.000Z', ip: ATTACKER, uuid: expect.any(String), known: false },
      { time: '2026-06-01T11:50:00.000Z', ip: OFFICE, uuid: expect.any(String), known: true },
    ]);
    expect(f['rejections']).toHaveLength(3);
    expect(f['rejections'][0]).toMatchObject({ time: '2026-06-01T11:50:00.000Z', ip: PHONE, kind: 'deny_push', also_logged_as: expect.any(String) });
    expect(f['approvals']).toEqual([{ time: '2026-06-01T11:55:00.000Z', ip: ATTACKER, uuid: expect.any(String), known: false, fatigue: true, rejections_in_10_min_before: 3 }]);
    expect(f['span']).toEqual({ from: '2026-06-01T11:45:00.000Z', to: '2026-06-01T11:55:00.000Z', rejections: 3, step: 'P2/P3' });
    expect(f['requesting_ips']).toEqual([
      { ip: ATTACKER, known: false, reason: NOT_KNOWN.reason },
      { ip: OFFICE, known: true, reason: KNOWN.reason },
    ]);
    expect(f['counts']).toEqual({ pushes: 2, rejections: 3, approvals: 1, reports: 0, duplicates_ignored: 0 });
    const p2 = v.path.find((p) => p.step === 'P2')!;
    expect(p2.evidence).toContain(`approval at 2026-06-01T11:55:00.000Z from ${ATTACKER} not known`);
    expect(v.path[0]!.evidence).toContain('3 rejection(s) (1 logged twice, counted once)');
  });

  it('names the span of P4 with its N-th rejection', () => {
    const v = decideMfaFatigue(alert, evidence({ name: '', events: denials(4, 0), expect: { verdict: '', score: 0, path: [] } }));
    expect(v.path.at(-1)!.evidence).toBe('4 rejection(s) in 2026-06-01T12:00:00.000Z – 2026-06-01T12:10:00.000Z (rejection 3 at 2026-06-01T12:02:00.000Z); no approval after it');
    expect((v.facts as Record<string, unknown>)['span']).toEqual({ from: '2026-06-01T12:00:00.000Z', to: '2026-06-01T12:10:00.000Z', rejections: 4, step: 'P4' });
  });

  it('names the unknown step when it refuses a benign verdict', () => {
    const v = decideMfaFatigue(alert, evidence({ name: '', events: [push(0, OFFICE)], ev: { logIncomplete: ['more than 1000 events'] }, expect: { verdict: '', score: 0, path: [] } }));
    expect(v.verdict).toBe('inconclusive');
    expect(v.summary).toContain('P1:');
    expect((v.facts as Record<string, unknown>)['unknown_steps']).toEqual(['P1', 'P2', 'P3', 'P4']);
  });
});
