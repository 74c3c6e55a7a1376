// Scenarios of the MFA push fatigue flow (flows.md §4), one or more per step P0–P6: the same events as the Okta
// API returns them and as Elastic's Okta integration stores them. Each scenario has its own user and its own
// two months of time, so scenarios never see each other's events or agent sightings.
import { agentSighting, apiEvent, ecsFromApi, type SignInSpec } from '../support/okta.js';
import { DAY_MS } from '../support/time.js';

export const MFA_COMPANY_CIDRS = ['198.51.100.0/24'];
const MIN = 60_000;
const OFFICE = (i: number) => `198.51.100.${20 + i}`;
const HOME = (i: number) => `81.2.69.${100 + i}`;
const ATTACKER = (i: number) => `185.220.${100 + i}.33`;
const PHONE = (i: number) => `172.58.14.${i + 1}`;
/** A private address (RFC 1918), outside the company CIDRs. */
const INTERNAL = (i: number) => `10.20.${i}.5`;

type Step = { at: number; kind: 'push' | 'deny' | 'failure' | 'approve' | 'report' | 'signin'; ip: 'home' | 'office' | 'attacker' | 'phone' | 'internal'; uuid?: string };

export interface MfaKnobs {
  /** Events relative to T, in minutes. */
  steps: Array<[minutes: number, kind: Step['kind'], ip?: Step['ip']]>;
  /** A successful sign-in from home 30 days before T (the home IP is then known). Default true. */
  history?: boolean;
  /** Company agent data in [T − 30d, T] (another device). Default true. */
  agents?: boolean;
  /** Another user's event in the window, so the Okta log has data there. Default true. */
  noise?: boolean;
  /** The alert names the user in another case than Okta does. */
  shoutedLogin?: boolean;
  /** This step (by index) is also stored a second time under the same uuid. */
  duplicate?: number;
  /** The attacker's IP seen before T (ms before T): a successful sign-in of the user, or a company agent's sighting. */
  attackerSeen?: { by: 'signin' | 'agent'; msBefore: number };
}

export interface MfaScenario {
  name: string;
  alert: Record<string, unknown>;
  events: Record<string, unknown>[];
  ecsEvents: Record<string, unknown>[];
  agentDocs: Record<string, unknown>[];
  user: { id: string; login: string; factors: string[] };
  expect: { verdict: string; score: number | null; path: string[]; answers?: Record<string, string> };
}

const PATH = ['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6'];

function build(i: number, name: string, k: MfaKnobs, expect: Omit<MfaScenario['expect'], 'path'> & { last: string }): MfaScenario {
  const T = Date.parse('2026-10-01T03:00:00Z') - i * 60 * DAY_MS;
  const at = (ms: number) => new Date(T + ms).toISOString();
  const user = { id: `00uMFA${String(i).padStart(4, '0')}XXXXXXXXXX`.slice(0, 20), login: `mfa.user${i}@example.com` };
  const ips = { home: HOME(i), office: OFFICE(i), attacker: ATTACKER(i), phone: PHONE(i), internal: INTERNAL(i) };
  const specs: SignInSpec[] = [];
  if (k.history !== false) specs.push({ at: at(-30 * DAY_MS), user, ip: ips.home, uuid: `mfa${i}-history` });
  if (k.attackerSeen?.by === 'signin') specs.push({ at: at(-k.attackerSeen.msBefore), user, ip: ips.attacker, uuid: `mfa${i}-seen` });
  k.steps.forEach(([minutes, kind, ip], n) => {
    const base = { at: at(minutes * MIN), user, uuid: `mfa${i}-${n}`, ip: ips[ip ?? (kind === 'deny' || kind === 'report' ? 'phone' : 'attacker')] };
    const byKind: Record<Step['kind'], Partial<SignInSpec>> = {
      push: { eventType: 'system.push.send_factor_verify_push' },
      deny: { eventType: 'user.mfa.okta_verify.deny_push', outcome: 'FAILURE' },
      failure: { eventType: 'user.authentication.auth_via_mfa', factor: 'OKTA_VERIFY_PUSH', outcome: 'FAILURE' },
      approve: { eventType: 'user.authentication.auth_via_mfa', factor: 'OKTA_VERIFY_PUSH', outcome: 'SUCCESS' },
      report: { eventType: 'user.account.report_suspicious_activity_by_enduser' },
      signin: { eventType: 'user.session.start' },
    };
    specs.push({ ...base, ...byKind[kind] });
  });
  if (k.noise !== false) specs.push({ at: at(-20 * MIN), user: { id: `00uNOISE${i}`, login: `noise${i}@example.com` }, ip: '203.0.113.200', uuid: `mfa${i}-noise` });
  const events = specs.map(apiEvent);
  const ecsEvents = events.map(ecsFromApi);
  if (k.duplicate !== undefined) ecsEvents.push(ecsFromApi(events[(k.history !== false ? 1 : 0) + (k.attackerSeen?.by === 'signin' ? 1 : 0) + k.duplicate]!));
  const agentDocs = k.agents === false ? [] : [agentSighting(at(-10 * DAY_MS), '89.160.20.128')];
  if (k.attackerSeen?.by === 'agent') agentDocs.push(agentSighting(at(-k.attackerSeen.msBefore), ips.attacker));
  const login = k.shoutedLogin ? user.login.toUpperCase() : user.login;
  return {
    name,
    alert: { id: `mfa-scenario-${i}`, type: 'okta.mfa_fatigue', time: new Date(T).toISOString(), user_login: login },
    events,
    ecsEvents,
    agentDocs,
    user: { ...user, factors: ['push'] },
    expect: { verdict: expect.verdict, score: expect.score, path: PATH.slice(0, PATH.indexOf(expect.last) + 1), ...(expect.answers ? { answers: expect.answers } : {}) },
  };
}

/** Four rejections a minute apart from T − 8 min, then an approval at T − 3 min. */
const BOMBING: MfaKnobs['steps'] = [
  [-9, 'push'], [-8, 'deny'], [-7, 'push'], [-7, 'deny'], [-6, 'push'], [-6, 'deny'], [-5, 'push'], [-5, 'deny'], [-4, 'push'],
];

export const MFA_SCENARIOS: MfaScenario[] = [
  build(1, 'P0: no MFA event of the user in the window (the log has data) → inconclusive', { steps: [] }, { verdict: 'inconclusive', score: null, last: 'P0', answers: { P0: 'yes' } }),
  build(2, 'P0: no Okta data at all around T → inconclusive', { steps: [], noise: false, history: false }, { verdict: 'inconclusive', score: null, last: 'P0' }),
  build(3, 'P1: the user reported the pushes → malicious 95', { steps: [[-5, 'push'], [-4, 'deny'], [-2, 'report']] }, { verdict: 'malicious', score: 95, last: 'P1', answers: { P1: 'yes' } }),
  build(4, 'P2: approved after 4 rejections, requested from a foreign IP → malicious 90', { steps: [...BOMBING, [-3, 'approve'], [-3, 'signin']] }, { verdict: 'malicious', score: 90, last: 'P2', answers: { P2: 'yes' } }),
  build(5, 'P2 unknown (no company agent data in the month before T) → P3 suspicious 55', { steps: [...BOMBING, [-3, 'approve']], agents: false }, { verdict: 'suspicious', score: 55, last: 'P3', answers: { P2: 'unknown', P3: 'yes' } }),
  build(6, 'P3: a fatigue approval from the user’s home IP (a sign-in 30 days ago) → suspicious 55', { steps: [[-9, 'push', 'home'], [-8, 'deny'], [-7, 'deny'], [-6, 'deny'], [-3, 'approve', 'home']] }, { verdict: 'suspicious', score: 55, last: 'P3', answers: { P2: 'no' } }),
  build(7, 'P3: a fatigue approval from a company CIDR → suspicious 55', { steps: [[-8, 'deny'], [-7, 'deny'], [-6, 'deny'], [-3, 'approve', 'office']], history: false }, { verdict: 'suspicious', score: 55, last: 'P3', answers: { P2: 'no' } }),
  build(8, 'P4: four rejections within 10 minutes, never approved → suspicious 65', { steps: BOMBING }, { verdict: 'suspicious', score: 65, last: 'P4', answers: { P4: 'yes' } }),
  build(9, 'P5: pushes and an approval from home, one rejection → benign 10', { steps: [[-6, 'push', 'home'], [-5, 'deny'], [-2, 'push', 'home'], [-1, 'approve', 'home']] }, { verdict: 'benign', score: 10, last: 'P5', answers: { P5: 'yes' } }),
  build(10, 'P5: a push from an IP of unknown company status (no agent data) → inconclusive', { steps: [[-2, 'push'], [-1, 'approve', 'home']], agents: false }, { verdict: 'inconclusive', score: null, last: 'P5', answers: { P5: 'unknown' } }),
  build(11, 'P6: an approval from a foreign IP with no rejection → suspicious 40', { steps: [[-2, 'push'], [-1, 'approve']] }, { verdict: 'suspicious', score: 40, last: 'P6', answers: { P5: 'no' } }),
  build(12, 'a push FAILURE 2 s after each deny_push counts once: 2 rejections, no fatigue → P6 suspicious 40', {
    steps: [[-8, 'deny'], [-8 + 2 / 60, 'failure'], [-6, 'deny'], [-6 + 2 / 60, 'failure'], [-3, 'approve']],
  }, { verdict: 'suspicious', score: 40, last: 'P6', answers: { P2: 'no' } }),
  build(13, 'a deny_push stored twice (one uuid) counts once: 2 rejections, no fatigue → P6 suspicious 40', { steps: [[-8, 'deny'], [-6, 'deny'], [-3, 'approve']], duplicate: 0 }, { verdict: 'suspicious', score: 40, last: 'P6', answers: { P2: 'no' } }),
  build(14, 'the alert names the user in capitals: logins compare case-insensitively → malicious 90', { steps: [...BOMBING, [-3, 'approve']], shoutedLogin: true }, { verdict: 'malicious', score: 90, last: 'P2' }),
  // Window boundaries (flows.md §4): sign-ins in [T − 90d, T − 24h), agent sightings in [T − 30d, T], events in [T − 1 h, T + 1 h].
  build(15, 'a sign-in from the approving IP exactly 24 h before T is left out (not known) → malicious 90', { steps: [...BOMBING, [-3, 'approve']], attackerSeen: { by: 'signin', msBefore: DAY_MS } }, { verdict: 'malicious', score: 90, last: 'P2', answers: { P2: 'yes' } }),
  build(16, 'a sign-in from the approving IP 24 h + 1 ms before T makes it known → P3 suspicious 55', { steps: [...BOMBING, [-3, 'approve']], attackerSeen: { by: 'signin', msBefore: DAY_MS + 1 } }, { verdict: 'suspicious', score: 55, last: 'P3', answers: { P2: 'no' } }),
  build(17, 'a sign-in from the approving IP exactly 90 days before T makes it known → P3 suspicious 55', { steps: [...BOMBING, [-3, 'approve']], attackerSeen: { by: 'signin', msBefore: 90 * DAY_MS } }, { verdict: 'suspicious', score: 55, last: 'P3', answers: { P2: 'no' } }),
  build(18, 'a company agent recorded the approving IP exactly at T → known → P3 suspicious 55', { steps: [...BOMBING, [-3, 'approve']], attackerSeen: { by: 'agent', msBefore: 0 } }, { verdict: 'suspicious', score: 55, last: 'P3', answers: { P2: 'no' } }),
  build(19, 'a company agent recorded the approving IP exactly 30 days before T → known → P3 suspicious 55', { steps: [...BOMBING, [-3, 'approve']], attackerSeen: { by: 'agent', msBefore: 30 * DAY_MS } }, { verdict: 'suspicious', score: 55, last: 'P3', answers: { P2: 'no' } }),
  build(20, 'a report exactly 1 h after T is in the window → P1 malicious 95', { steps: [[-5, 'push'], [60, 'report']] }, { verdict: 'malicious', score: 95, last: 'P1', answers: { P1: 'yes' } }),
  build(21, 'a report exactly 1 h before T is in the window → P1 malicious 95', { steps: [[-5, 'push'], [-60, 'report']] }, { verdict: 'malicious', score: 95, last: 'P1', answers: { P1: 'yes' } }),
  // A private requesting address is judged like any other (§4 P2): not known when the agents have data, unknown when they have none.
  build(22, 'a fatigue approval from a private address outside the CIDRs, agents have data → malicious 90', { steps: [[-8, 'deny'], [-7, 'deny'], [-6, 'deny'], [-3, 'approve', 'internal']] }, { verdict: 'malicious', score: 90, last: 'P2', answers: { P2: 'yes' } }),
  build(23, 'a fatigue approval from a private address, no company agent data → P2 unknown → P3 suspicious 55', { steps: [[-8, 'deny'], [-7, 'deny'], [-6, 'deny'], [-3, 'approve', 'internal']], agents: false }, { verdict: 'suspicious', score: 55, last: 'P3', answers: { P2: 'unknown', P3: 'yes' } }),
];
