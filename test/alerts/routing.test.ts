// Which flow takes an input is declared by the flows' plug-ins (their recognisers, and for Elastic Security
// alerts their rule ids), and the dispatcher reads the registry: these cases hold it to that, hostile ones included.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { investigableAlertId, recogniseAlert, recogniseAlerts } from '../../src/flows/recognise.js';
import { routeDocument } from '../../src/evidence/elastic/ingest.js';
import { configureRuleRoutes, defaultRuleRoutes, recogniseRuleAlert, ruleRouteProblems, ruleRoutesInForce } from '../../src/flows/rule-routes.js';
import { FLOW_PLUGINS } from '../../src/flows/registry.js';
import { alertDocumentId } from '../../src/alerts/documents.js';
import { expandDots, KeyBudget, type JsonObject } from '../../src/alerts/json.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { configReport } from '../../src/cli/config-check.js';
import { runCli } from '../support/cli.js';

type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Json;
const RULE = '97a8e584-fd3b-421f-9b9d-9c9d9e57e9d7';
const OTHER_RULE = 'c8e0f3a1-0000-4000-8000-000000000001';
const withVelocity = (event: Json): Json => ({ ...event, debugContext: { debugData: { behaviors: '{New Geo-Location=POSITIVE, Velocity=POSITIVE}' } } });

afterEach(() => configureRuleRoutes([]));

describe('the plug-ins declare what they take', () => {
  it('every flow declares a canonical recogniser of its own alert type, and only the MFA flow takes Elastic Security alerts', () => {
    for (const plugin of FLOW_PLUGINS) expect(plugin.recognisers.filter((r) => r.shape === 'canonical'), plugin.id).toHaveLength(1);
    expect(FLOW_PLUGINS.filter((p) => p.ruleRouted).map((p) => p.id)).toEqual(['okta_mfa_fatigue']);
    expect(defaultRuleRoutes()).toEqual([`${RULE}:okta_mfa_fatigue`]);
  });

  it('each flow’s recognisers yield its own alert type only', () => {
    const inputs = [fixture('okta-mfa/deny-push.json'), withVelocity(fixture('okta-mfa/deny-push.json')), fixture('guardduty/sample-finding.json'), fixture('cyren/incident.json'), fixture('okta-mfa/kibana-alert.json')];
    for (const input of inputs) {
      const out = recogniseAlert(input);
      if (out.kind !== 'alert') throw new Error(out.reason);
      expect(FLOW_PLUGINS.filter((p) => p.alertType === out.alert.type)).toHaveLength(1);
    }
  });

  it('a push denial is the fatigue flow’s by its event type, even when its behaviours say Velocity=POSITIVE', () => {
    const out = recogniseAlert(withVelocity(fixture('okta-mfa/deny-push.json')));
    expect(out.kind === 'alert' && out.alert.type).toBe('okta.mfa_fatigue');
    const signIn = { ...withVelocity(fixture('okta-mfa/deny-push.json')), eventType: 'user.session.start', client: { ipAddress: '185.220.101.4' } };
    const travel = recogniseAlert(signIn);
    expect(travel.kind === 'alert' && travel.alert.type).toBe('okta.superhuman');
  });

  it('an input of a shape no flow takes says why (the first flow’s reason)', () => {
    const finding = { ...fixture('guardduty/sample-finding.json'), type: 'Recon:EC2/PortProbeUnprotectedPort' };
    expect(recogniseAlert(finding)).toEqual({ kind: 'not-an-alert', reason: 'GuardDuty finding type Recon:EC2/PortProbeUnprotectedPort is not handled' });
  });
});

describe('Elastic Security alerts go where their rule id is routed, whatever they carry (hostile)', () => {
  const kibana = () => fixture('okta-mfa/kibana-alert.json');

  it('an alert of the push-bombing rule that copies a GuardDuty finding or a Velocity sign-in is the fatigue flow’s', () => {
    const finding = fixture('guardduty/elastic-stored.json');
    const disguised = { ...finding, ...kibana() };
    const out = recogniseAlert(disguised);
    expect(out.kind === 'alert' && out.alert.type).toBe('okta.mfa_fatigue');
    const velocity = { ...kibana(), 'okta.debug_context.debug_data.behaviors': 'Velocity=POSITIVE', 'okta.event_type': 'user.session.start' };
    const out2 = recogniseAlert(velocity);
    expect(out2.kind === 'alert' && out2.alert.type).toBe('okta.mfa_fatigue');
  });

  it('an alert of an unknown rule is not investigated, even when it carries a push denial or a handled finding', () => {
    const bb = { ...fixture('okta-mfa/elastic-deny-push.json'), 'kibana.alert.uuid': 'bb-x', 'kibana.alert.rule.rule_id': OTHER_RULE };
    expect(recogniseAlert(bb)).toEqual({ kind: 'not-an-alert', reason: `Elastic Security alert of rule ${OTHER_RULE} (no flow is mapped to it: DETECTION_RULE_FLOWS)` });
    const gd = { ...fixture('guardduty/elastic-stored.json'), 'kibana.alert.uuid': 'bb-y', 'kibana.alert.rule.rule_id': OTHER_RULE };
    expect(recogniseAlert(gd).kind).toBe('not-an-alert');
  });

  it('an alert of an unknown rule that copies a bare Okta event or a canonical alert is not investigated, nor keyed by the copy', () => {
    const bare = { ...fixture('okta-mfa/deny-push.json'), 'kibana.alert.uuid': 'bb-z', 'kibana.alert.rule.rule_id': OTHER_RULE };
    expect(recogniseAlert(bare).kind).toBe('not-an-alert');
    expect(alertDocumentId(bare)).toBe('bb-z');
    const canonical = { id: 'someone-elses-id', type: 'okta.mfa_fatigue', time: '2026-09-14T03:05:20Z', 'kibana.alert.uuid': 'bb-w', 'kibana.alert.rule.rule_id': OTHER_RULE };
    expect(recogniseAlert(canonical).kind).toBe('not-an-alert');
    expect(alertDocumentId(canonical)).toBe('bb-w');
  });

  it('a rule id is matched whole and case-insensitively, never by its name or a prefix', () => {
    const upper = { ...kibana(), 'kibana.alert.rule.rule_id': RULE.toUpperCase() };
    expect(recogniseAlert(upper).kind).toBe('alert');
    for (const id of [`${RULE}x`, RULE.slice(0, 8), `x${RULE}`]) expect(recogniseAlert({ ...kibana(), 'kibana.alert.rule.rule_id': id, 'kibana.alert.rule.parameters': {} }).kind, id).toBe('not-an-alert');
    const named = { ...kibana(), 'kibana.alert.rule.rule_id': OTHER_RULE, 'kibana.alert.rule.parameters': {}, 'kibana.alert.rule.name': 'okta_mfa_fatigue' };
    expect(recogniseAlert(named).kind).toBe('not-an-alert');
  });

  it('a rule routed by configuration to the fatigue flow is parsed as its alert: one naming no user is refused, naming the field', () => {
    configureRuleRoutes([`${OTHER_RULE}:okta_mfa_fatigue`]);
    expect(ruleRoutesInForce()).toEqual([`${OTHER_RULE}:okta_mfa_fatigue`]);
    const doc = expandDots({ 'kibana.alert.uuid': 'k-1', 'kibana.alert.rule.rule_id': OTHER_RULE, '@timestamp': '2026-09-14T03:05:20Z' }, new KeyBudget()) as JsonObject;
    expect(() => recogniseRuleAlert(doc, doc)).toThrow(/user\.email: missing/);
  });
});

describe('DETECTION_RULE_FLOWS is checked against the registered flows', () => {
  it('a flow that does not exist, or takes no such alerts, is a start-up error naming the flows that do', () => {
    for (const flow of ['no_such_flow', 'okta_impossible_travel', 'aws_instance_credentials']) {
      const items = loadConfig({ DETECTION_RULE_FLOWS: `${RULE}:${flow}` }).DETECTION_RULE_FLOWS;
      expect(() => configureRuleRoutes(items)).toThrow(ConfigError);
      expect(() => configureRuleRoutes(items)).toThrow(`DETECTION_RULE_FLOWS: "${RULE}:${flow}" names no flow that takes Elastic Security alerts (flows that do: okta_mfa_fatigue)`);
    }
    // A refused setting leaves the routes in force as they were.
    expect(ruleRoutesInForce()).toEqual([`${RULE}:okta_mfa_fatigue`]);
  });

  it('hostile values are cut in the message and never reach the routes', () => {
    expect(() => loadConfig({ DETECTION_RULE_FLOWS: `<!here>:okta_mfa_fatigue` })).toThrow('is not rule-id:flow');
    const long = `r1:${'x'.repeat(500)}`;
    expect(() => configureRuleRoutes([long])).toThrow(/"r1:x{77}" names no flow/);
  });

  it('a rule routed to two flows is refused', () => {
    const flows = [{ id: 'flow_a' }, { id: 'flow_b' }];
    expect(ruleRouteProblems(['r1:flow_a', 'R1:flow_b', 'r2:flow_a', 'r2:flow_a'], flows)).toEqual(['DETECTION_RULE_FLOWS: rule r1 is routed to two flows (flow_a and flow_b)']);
  });

  it('triage config check names the problem and the routes in force', () => {
    const bad = configReport({ DETECTION_RULE_FLOWS: 'r1:no_such_flow' }, { exists: () => true });
    expect(bad.ok).toBe(false);
    expect(bad.text).toContain('every process: DETECTION_RULE_FLOWS: "r1:no_such_flow" names no flow that takes Elastic Security alerts (flows that do: okta_mfa_fatigue)');
    const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_ALERT_CHANNELS: 'C0ALERTS' };
    expect(configReport(env, { exists: () => true }).text).toContain(`Elastic Security alerts investigated by rule id: ${RULE} → okta_mfa_fatigue (default)`);
    expect(configReport({ ...env, DETECTION_RULE_FLOWS: 'my-rule:okta_mfa_fatigue' }, { exists: () => true }).text).toContain('Elastic Security alerts investigated by rule id: my-rule → okta_mfa_fatigue\n');
  });

  it('the command refuses to start on it (exit 3)', async () => {
    const res = await runCli(['investigate', '-'], { DETECTION_RULE_FLOWS: 'r1:no_such_flow' }, '{}');
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('DETECTION_RULE_FLOWS: "r1:no_such_flow" names no flow that takes Elastic Security alerts');
  }, 60_000);
});

describe('a stored alert document’s id needs no flow', () => {
  it('is read from each shape, Elastic Security alerts included', () => {
    expect(alertDocumentId(fixture('okta-mfa/deny-push.json'))).toBe('6b1da86b-97b9-e89d-a51a-8dbfd1aa6550');
    expect(alertDocumentId(fixture('okta-mfa/kibana-alert.json'))).toBe(fixture('okta-mfa/kibana-alert.json')['kibana.alert.uuid']);
    expect(alertDocumentId({ id: 'c-1', type: 'okta.mfa_fatigue' })).toBe('c-1');
    expect(alertDocumentId([1, 2])).toBeUndefined();
    expect(alertDocumentId({ message: 'not an alert' })).toBeUndefined();
    expect(() => alertDocumentId({ ...fixture('okta-mfa/deny-push.json'), uuid: { $ne: 1 } })).toThrow(/uuid: expected a string/);
  });

  it('documents with several alerts are read item by item', () => {
    const out = recogniseAlerts([fixture('okta-mfa/deny-push.json'), fixture('cyren/incident.json')]);
    expect(out.kind === 'alerts' && out.alerts.map((a) => a.type)).toEqual(['okta.mfa_fatigue', 'email.malicious']);
  });

  it('triage ingest stores as alerts only documents a flow would investigate; below the flows, any alert shape', () => {
    const opts = { namespace: 'default', alertsIndex: 'triage-alerts' };
    const signIn = { ...fixture('okta-mfa/deny-push.json'), eventType: 'user.session.start' };
    expect(routeDocument(signIn, { ...opts, alertIdOf: investigableAlertId })).toEqual({ error: 'no dataset: data_stream.dataset and event.dataset are missing (--dataset names it for documents that carry neither)' });
    expect(routeDocument(fixture('okta-mfa/deny-push.json'), { ...opts, alertIdOf: investigableAlertId })).toMatchObject({ index: 'triage-alerts', id: '6b1da86b-97b9-e89d-a51a-8dbfd1aa6550' });
    expect(routeDocument(signIn, opts)).toMatchObject({ index: 'triage-alerts', id: '6b1da86b-97b9-e89d-a51a-8dbfd1aa6550' });
    expect(routeDocument({ ...signIn, uuid: 7 }, opts)).toEqual({ error: expect.stringMatching(/^alert document is malformed: uuid: expected a string/) });
  });
});
