// The MFA push fatigue flow's scenarios (flows.md §4, steps P0–P6): each alert with its own Okta user, home,
// phone and attacker addresses, its evidence in the System Log as Elastic's Okta integration stores it, and the
// alert in a shape the product accepts — the Elastic Security alert of the prebuilt push-bombing rule (both
// releases' shapes), a native Okta deny_push or report event (bare, EventBridge, Elastic-stored), or the
// canonical alert; the shapes follow test/fixtures/okta-mfa/. Plus the heavy subject: a shared account with
// tens of thousands of sign-ins, pushes and approvals, push-bombed among hundreds of its own.
import { ELASTIC_PUSH_BOMBING_RULE_ID } from '../../src/flows/mfa-fatigue/recognisers.js';
import { Rng } from './rng.js';
import { OFFICE_NAT, slotIp } from './world.js';
import { apiEvent, ecsFromApi } from './ecs.js';
import { DAY, HEAVY_SLOT, HOUR, iso, MIN, type BuiltAlert, type Ctx, type Doc, type Family, type ScenarioSizes } from './family.js';

type Kind = 'push' | 'deny' | 'failure' | 'approve' | 'report' | 'signin';
type Where = 'home' | 'office' | 'attacker' | 'phone';
/** An event relative to the alert time T, in minutes. */
type Step = [minutes: number, kind: Kind, where?: Where];
type Shape = 'canonical' | 'api' | 'eventbridge' | 'ecs' | 'kibana' | 'kibana-older';

const OKTA_VERIFY_UA = 'OktaVerify/9.27.1 (iPhone; iOS 17.6.1; Scale/3.00)';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const RULE_NAME = 'Potentially Successful Okta MFA Bombing via Push Notifications';
const OLDER_RULE_NAME = 'Potential Abuse of Repeated MFA Push Notifications';

function mfaUser(s: number) {
  return { id: `00uMFA${s.toString(36).toUpperCase().padStart(14, '0')}`, login: `mfa.user${s}@example.com` };
}

function addresses(s: number): Record<Where, string> {
  // Ranges no other scenario and no background event uses; the office is in the company CIDR.
  return { home: slotIp(81, 128, s + 1), attacker: slotIp(185, 128, s + 1), phone: slotIp(172, 58, s + 1), office: OFFICE_NAT[s % OFFICE_NAT.length]! };
}

/** One System Log event in the API's shape, with the messages Okta writes for each type. */
function mfaEvent(user: { id: string; login: string }, at: number, kind: Kind, ip: string, uuid: string): Doc {
  const ua = kind === 'deny' || kind === 'report' ? OKTA_VERIFY_UA : BROWSER;
  const byKind: Record<Kind, Partial<Parameters<typeof apiEvent>[0]>> = {
    push: { eventType: 'system.push.send_factor_verify_push' },
    deny: { eventType: 'user.mfa.okta_verify.deny_push', outcome: 'FAILURE' },
    failure: { eventType: 'user.authentication.auth_via_mfa', factor: 'OKTA_VERIFY_PUSH', outcome: 'FAILURE' },
    approve: { eventType: 'user.authentication.auth_via_mfa', factor: 'OKTA_VERIFY_PUSH', outcome: 'SUCCESS' },
    report: { eventType: 'user.account.report_suspicious_activity_by_enduser' },
    signin: { eventType: 'user.session.start' },
  };
  const e = apiEvent({ user, at: iso(at), ip, ua, uuid, ...byKind[kind] });
  if (kind === 'deny') Object.assign(e, { displayMessage: 'User rejected Okta push verify', severity: 'WARN', outcome: { result: 'FAILURE', reason: 'User rejected Okta push verify' } });
  if (kind === 'report') Object.assign(e, { displayMessage: 'User report suspicious activity', severity: 'INFO' });
  if (kind === 'push') e['displayMessage'] = 'Push notification sent for verification';
  return e;
}

/** Elastic Security's alert of the push-bombing rule (test/fixtures/okta-mfa/kibana-alert*.json): dotted keys. */
function kibanaAlert(id: string, user: { id: string; login: string }, T: number, sourceIp: string, older: boolean): Doc {
  const parameters = { rule_id: ELASTIC_PUSH_BOMBING_RULE_ID, type: 'eql', language: 'eql', index: ['filebeat-*', 'logs-okta.system*'], risk_score: 73, severity: 'high', max_signals: 100 };
  const common: Doc = {
    'event.kind': 'signal',
    'okta.actor.id': user.id,
    'okta.actor.alternate_id': user.login,
    'kibana.alert.uuid': id,
    'kibana.alert.rule.category': 'Event Correlation Rule',
    'kibana.alert.rule.consumer': 'siem',
    'kibana.alert.rule.rule_type_id': 'siem.eqlRule',
    'kibana.alert.rule.type': 'eql',
    'kibana.alert.rule.parameters': parameters,
    'kibana.alert.risk_score': 73,
    'kibana.alert.severity': 'high',
    'kibana.alert.status': 'active',
    'kibana.alert.workflow_status': 'open',
    'kibana.space_ids': ['default'],
  };
  // An older release: its old name, the rule id only among the parameters, the user only as the actor, T = @timestamp.
  if (older) return { '@timestamp': iso(T), ...common, 'kibana.alert.rule.name': OLDER_RULE_NAME, 'kibana.version': '8.6.2' };
  return {
    '@timestamp': iso(T + 2 * MIN),
    ...common,
    'user.email': user.login,
    'kibana.alert.original_time': iso(T),
    'kibana.alert.rule.rule_id': ELASTIC_PUSH_BOMBING_RULE_ID,
    'kibana.alert.rule.name': RULE_NAME,
    'kibana.alert.reason': `event with source ${sourceIp} by ${user.login} created high alert ${RULE_NAME}.`,
    'kibana.version': '9.1.0',
  };
}

/** The trigger event in the shape the alert arrives in, and where that shape keeps the alert's id. */
function envelope(shape: 'api' | 'eventbridge' | 'ecs', event: Doc, s: number): BuiltAlert {
  if (shape === 'api') return { alert: event, idPaths: [['uuid']] };
  if (shape === 'ecs') return { alert: { ...ecsFromApi(event), data_stream: { type: 'logs', dataset: 'okta.system', namespace: 'default' } }, idPaths: [['okta', 'uuid'], ['event', 'id']] };
  return {
    alert: { version: '0', id: `eb-${s}`, 'detail-type': 'SystemLog', source: 'aws.partner/okta.com/example/okta-log-stream', account: '111122223333', time: event['published'], region: 'us-east-1', resources: [], detail: event },
    idPaths: [['detail', 'uuid']],
  };
}

interface Plan {
  steps: Step[];
  /** The alert's shape; native shapes are the step at `trigger` (a deny or a report at minute 0). */
  shape: (s: number) => Shape;
  trigger?: number;
  /** A successful sign-in from home 30 days before T (home is then known). Default true. */
  history?: boolean;
}

function mfaScenario(ctx: Ctx, plan: Plan): ReturnType<Family['build']> {
  const { s, T } = ctx;
  const user = mfaUser(s);
  const ip = addresses(s);
  // The trigger event's uuid is the alert's id (a native alert is that event).
  const uuid = (n: number) => (n === (plan.trigger ?? 0) ? `bench-mfa-${s}` : `bench-mfa-${s}-${n}`);
  const events = plan.steps.map(([minutes, kind, where], n) => mfaEvent(user, T + Math.round(minutes * MIN), kind, ip[where ?? (kind === 'deny' || kind === 'report' ? 'phone' : 'attacker')], uuid(n)));
  if (plan.history !== false) events.push(mfaEvent(user, T - 30 * DAY, 'signin', ip.home, `bench-mfa-${s}-history`));
  const shape = plan.shape(s);
  const id = `bench-mfa-${s}`;
  let built: BuiltAlert;
  if (shape === 'canonical') built = { alert: { id, type: 'okta.mfa_fatigue', title: 'Okta MFA push fatigue', time: iso(T), user_login: user.login } };
  else if (shape === 'kibana' || shape === 'kibana-older') built = { alert: kibanaAlert(id, user, T, ip.attacker, shape === 'kibana-older'), idPaths: [['kibana.alert.uuid']] };
  else built = envelope(shape, events[plan.trigger ?? 0]!, s);
  return { ...built, events: () => events.map(ecsFromApi) };
}

const family = (name: string, verdict: string, score: number | null, plan: Plan): Family => ({ name, expect: { verdict, score }, build: (ctx) => mfaScenario(ctx, plan) });
const alternate = (a: Shape, b: Shape) => (s: number) => (s % 2 === 0 ? a : b);

/** Five pushes from the attacker's address, each rejected on the phone a minute apart (the rule's `runs=5`). */
const BOMBING: Step[] = [[-10, 'push'], [-9, 'deny'], [-9, 'push'], [-8, 'deny'], [-8, 'push'], [-7, 'deny'], [-7, 'push'], [-6, 'deny'], [-6, 'push'], [-5, 'deny']];

export const MFA_FAMILIES: Array<[Family, number]> = [
  [family('P2 push bombing approved from a stranger’s address → malicious', 'malicious', 90, { steps: [...BOMBING, [-1, 'push'], [0, 'approve'], [0.2, 'signin']], shape: alternate('kibana', 'kibana-older') }), 20],
  [family('P1 the user reported the pushes → malicious', 'malicious', 95, { steps: [[-6, 'push'], [-5, 'deny'], [-4, 'push'], [-3, 'deny'], [0, 'report']], shape: () => 'api', trigger: 4 }), 10],
  [family('P3 a fatigue approval from the user’s home → suspicious', 'suspicious', 55, { steps: [[0, 'deny'], [-5, 'push', 'home'], [-4, 'deny'], [-2, 'deny'], [1.5, 'push', 'home'], [2, 'approve', 'home']], shape: () => 'ecs' }), 10],
  [family('P3 a fatigue approval from the office (company CIDR) → suspicious', 'suspicious', 55, { steps: [[0, 'deny'], [-5, 'push', 'office'], [-4, 'deny'], [-2, 'deny'], [1, 'push', 'office'], [1.5, 'approve', 'office']], shape: () => 'eventbridge', history: false }), 5],
  [family('P4 rejections in ten minutes, never approved → suspicious', 'suspicious', 65, { steps: [[0, 'deny'], [-6, 'push'], [-5, 'deny'], [-4, 'push'], [-3, 'deny'], [-2, 'push'], [-1, 'deny'], [-0.5, 'push']], shape: alternate('api', 'eventbridge') }), 20],
  [family('P5 one denied push among the user’s own from home → benign', 'benign', 10, { steps: [[0, 'deny'], [-6, 'push', 'home'], [-5.5, 'approve', 'home'], [-1, 'push', 'home'], [1, 'push', 'home'], [1.5, 'approve', 'home']], shape: alternate('api', 'ecs') }), 20],
  // Each denial is also logged as a push FAILURE 2 s later: counted once, two rejections are no fatigue.
  [family('P6 approved from an unknown address after two denials logged twice → suspicious', 'suspicious', 40, { steps: [[0, 'deny'], [2 / 60, 'failure', 'phone'], [-4, 'deny'], [-4 + 2 / 60, 'failure', 'phone'], [2, 'push'], [3, 'approve']], shape: () => 'ecs' }), 10],
  [family('P0 no MFA event of the user in the window → inconclusive', 'inconclusive', null, { steps: [[-3 * 60, 'signin', 'home']], shape: () => 'canonical' }), 5],
];

/** The shared account's pushes and approvals come this far apart around its alerts (two hours of them). */
const BUSY_WINDOW = { before: 65 * MIN, after: 65 * MIN, pairs: 260 };

/** A shared service-desk account: pushes approved from the office all day, push-bombed at T0 (heavy alerts lie just after). */
export const BUSY_MFA: Family = {
  name: 'shared account with many MFA events: push bombing among hundreds of its own pushes → malicious',
  expect: { verdict: 'malicious', score: 90 },
  build: (ctx) => {
    const id = `bench-mfa-busy-${ctx.s}`;
    return { alert: kibanaAlert(id, mfaUser(HEAVY_SLOT), ctx.T, addresses(HEAVY_SLOT).attacker, false), idPaths: [['kibana.alert.uuid']], events: () => [] };
  },
};

export function busyMfaEvents(T0: number, sizes: ScenarioSizes, seed: number): Iterable<Doc> {
  const rng = new Rng(seed, 'busy-mfa');
  const user = mfaUser(HEAVY_SLOT);
  const ip = addresses(HEAVY_SLOT);
  const pairs = Math.min(BUSY_WINDOW.pairs, Math.floor(sizes.busyMfaEvents / 4));
  const triples = Math.max(0, Math.floor((sizes.busyMfaEvents - 2 * pairs) / 3));
  const ecs = (at: number, kind: Kind, where: string, uuid: string) => ecsFromApi(mfaEvent(user, at, kind, where, uuid));
  return (function* () {
    // 90 days of sign-ins with a push each, approved; now and then one denied (never three in ten minutes).
    const from = T0 - 90 * DAY;
    const until = T0 - 2 * HOUR;
    for (let i = 0; i < triples; i++) {
      const t = from + Math.floor(((until - from) * i) / Math.max(1, triples));
      const where = rng.chance(0.7) ? ip.office : ip.home;
      yield ecs(t, 'signin', where, `bench-mfa-busy-${i}-s`);
      yield ecs(t + 5_000, 'push', where, `bench-mfa-busy-${i}-p`);
      yield i % 100 === 99 ? ecs(t + 15_000, 'deny', ip.phone, `bench-mfa-busy-${i}-d`) : ecs(t + 15_000, 'approve', where, `bench-mfa-busy-${i}-a`);
    }
    // The two hours around the alerts: a push and its approval from the office every 30 s.
    const span = BUSY_WINDOW.before + BUSY_WINDOW.after;
    for (let i = 0; i < pairs; i++) {
      const t = T0 - BUSY_WINDOW.before + Math.floor((span * i) / pairs);
      yield ecs(t, 'push', ip.office, `bench-mfa-busy-w${i}-p`);
      yield ecs(t + 8_000, 'approve', ip.office, `bench-mfa-busy-w${i}-a`);
    }
    // The bombing, approved from the attacker's address 3 minutes before T0.
    const bombing: Step[] = [...BOMBING, [-4, 'push'], [-3, 'approve']];
    for (const [n, [minutes, kind, where]] of bombing.entries()) {
      yield ecs(T0 + minutes * MIN, kind, ip[where ?? (kind === 'deny' ? 'phone' : 'attacker')], `bench-mfa-busy-b${n}`);
    }
  })();
}
