// Complete facts of each flow for tests that build verdicts by hand: "nothing found", in the exact shape each
// flow's decide writes, to be spread and overridden with what a test is about.
import type { FactsOf, FlowName, FlowVerdict, VerdictOf } from '../../src/flows/verdict.js';
import type { AwsFacts } from '../../src/flows/aws/verdict-facts.js';
import type { OktaFacts, OktaSessionFacts } from '../../src/flows/okta/verdict-facts.js';
import type { EmailFacts } from '../../src/flows/email/verdict-facts.js';
import type { MfaFatigueFacts } from '../../src/flows/mfa-fatigue/verdict-facts.js';
import type { Alert } from '../../src/alerts/types.js';
import { FLOW_PLUGINS } from '../../src/flows/registry.js';
import { readStoredVerdict, type StoredVerdict } from '../../src/flows/stored-verdict.js';

const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2026-01-01T02:00:00.000Z';

export const awsFacts = (over: Partial<AwsFacts> = {}): AwsFacts => ({
  access_key_id: 'ASIAEXAMPLE',
  instance_id: null,
  instance_id_from: null,
  role_arn: null,
  session_issuer_arns: [],
  account_id: null,
  home_region: null,
  instance_public_ips: [],
  window: { from: FROM, to: TO },
  events: 0,
  events_without_address: 0,
  ips: [],
  user_agents: [],
  os_families: [],
  ip_changes: [],
  ip_changing_calls: 0,
  incomplete: [],
  ...over,
});

export const oktaSession = (over: Partial<OktaSessionFacts> = {}): OktaSessionFacts => ({
  ip: '192.0.2.1',
  known_company_ip: null,
  sign_in: FROM,
  session_id: null,
  actor_id: null,
  user_agent: null,
  device_fingerprint: null,
  geo: null,
  mfa_factors: [],
  failures_before_success: 0,
  is_proxy: null,
  as_organization: null,
  events: 1,
  found_by: 'test',
  ...over,
});

export const oktaFacts = (over: Partial<OktaFacts> = {}): OktaFacts => ({
  user: {},
  source: 'elasticsearch',
  source_error: null,
  session_a: null,
  session_b: null,
  enrolled_factors: null,
  log_incomplete: null,
  notes: [],
  mystery: null,
  ...over,
});

export const emailFacts = (over: Partial<EmailFacts> = {}): EmailFacts => ({
  recipients: [],
  sender: null,
  subject: null,
  delivered: FROM,
  windows: { after: { from: FROM, to: TO }, prior: { from: FROM, to: TO } },
  urls: [],
  file_names: [],
  hashes: [],
  domain_prior_users: null,
  rare_domain_user_threshold: 5,
  clicks: [],
  blocked_clicks: [],
  domain_contacts: [],
  executions: [],
  files_on_disk: [],
  data: { proxy: null, proofpoint_tap: null, edr_network: null, edr_network_prior: null, edr_process: null, edr_file: null },
  incomplete: {},
  ...over,
});

export const mfaFacts = (over: Partial<MfaFatigueFacts> = {}): MfaFatigueFacts => ({
  user: {},
  trigger: 'canonical alert',
  source: 'elasticsearch',
  source_error: null,
  window: { from: FROM, to: TO },
  min_rejections: 3,
  counts: { pushes: 0, rejections: 0, approvals: 0, reports: 0, duplicates_ignored: 0 },
  pushes: [],
  rejections: [],
  approvals: [],
  reports: [],
  span: null,
  actor_ids: [],
  requesting_ips: [],
  log_incomplete: null,
  unknown_steps: [],
  notes: [],
  ...over,
});

const NOTHING_FOUND: { [K in FlowName]: () => FactsOf<K> } = {
  aws_instance_credentials: () => awsFacts(),
  okta_impossible_travel: () => oktaFacts(),
  malicious_email: () => emailFacts(),
  okta_mfa_fatigue: () => mfaFacts(),
};

/** A verdict of any flow with its "nothing found" facts: for tests about everything but the facts. */
export function verdictOf<K extends FlowName>(flow: K, rest: Omit<FlowVerdict<K, unknown>, 'flow' | 'facts'>): VerdictOf<K> {
  const facts: FactsOf<K> = NOTHING_FOUND[flow]();
  const verdict: FlowVerdict<K, FactsOf<K>> = { ...rest, flow, facts };
  return verdict;
}

/** A verdict of the flow with these facts. */
export function verdictWith<K extends FlowName>(flow: K, facts: FactsOf<K>, rest: Omit<FlowVerdict<K, unknown>, 'flow' | 'facts'>): VerdictOf<K> {
  const verdict: FlowVerdict<K, FactsOf<K>> = { ...rest, flow, facts };
  return verdict;
}

/** The alert's verdict as the alert record gives it back: these facts over "nothing found", checked at the boundary. */
export function storedVerdictFor(alert: Alert, facts: Record<string, unknown>): StoredVerdict {
  const flow = FLOW_PLUGINS.find((p) => p.alertType === alert.type)!.id;
  const stored = readStoredVerdict({ alert_id: alert.id, flow, verdict: 'malicious', score: 90, summary: 's', path: [], facts: { ...NOTHING_FOUND[flow](), ...facts } });
  if (!stored) throw new Error('not a verdict');
  return stored;
}

/** A verdict's facts, the test failing when the verdict is another flow's. */
export function awsFactsOf(v: VerdictOf): AwsFacts {
  if (v.flow !== 'aws_instance_credentials') throw new Error(`an ${v.flow} verdict`);
  return v.facts;
}
export function oktaFactsOf(v: VerdictOf): OktaFacts {
  if (v.flow !== 'okta_impossible_travel') throw new Error(`an ${v.flow} verdict`);
  return v.facts;
}
export function emailFactsOf(v: VerdictOf): EmailFacts {
  if (v.flow !== 'malicious_email') throw new Error(`an ${v.flow} verdict`);
  return v.facts;
}
export function mfaFactsOf(v: VerdictOf): MfaFatigueFacts {
  if (v.flow !== 'okta_mfa_fatigue') throw new Error(`an ${v.flow} verdict`);
  return v.facts;
}
