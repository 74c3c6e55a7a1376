// The MFA push fatigue flow's inputs (flows.md §4): the canonical alert, native Okta deny_push and
// report events in every envelope, Elastic's stored form, and Elastic Security alerts routed by rule id.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAlertText, recogniseAlert, recogniseAlerts } from '../../src/flows/recognise.js';
import { AlertParseError, type OktaMfaFatigueAlert } from '../../src/alerts/types.js';
import { configureRuleRoutes, ruleRoutesInForce } from '../../src/flows/rule-routes.js';
import { routeDocument } from '../../src/evidence/elastic/ingest.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { MemoryAlertLookup } from '../../src/evidence/memory/alerts.js';
import { loadConfig } from '../../src/config.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/okta-mfa/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const SAM = { userId: '00u9fixtsam00000m2p1', userLogin: 'sam.lee@example.com' };
const DENY_UUID = '6b1da86b-97b9-e89d-a51a-8dbfd1aa6550';
const RULE = '97a8e584-fd3b-421f-9b9d-9c9d9e57e9d7';

function mfa(raw: unknown): OktaMfaFatigueAlert {
  const outcome = recogniseAlert(raw);
  if (outcome.kind !== 'alert') throw new Error(outcome.reason);
  expect(outcome.alert.type).toBe('okta.mfa_fatigue');
  return outcome.alert as OktaMfaFatigueAlert;
}

afterEach(() => configureRuleRoutes([]));

describe('canonical okta.mfa_fatigue alert', () => {
  it('takes user_login or user_id and the time', () => {
    const a = mfa({ id: 'mfa-1', type: 'okta.mfa_fatigue', time: '2026-09-14T03:11:15Z', user_login: 'Sam.Lee@Example.com', title: 'Push bombing' });
    expect(a).toMatchObject({ id: 'mfa-1', userLogin: 'Sam.Lee@Example.com', time: new Date('2026-09-14T03:11:15Z'), trigger: 'canonical alert', title: 'Push bombing' });
    expect(mfa({ id: 'mfa-2', type: 'okta.mfa_fatigue', time: 1789355475, user_id: '00u9' }).userId).toBe('00u9');
  });

  it('refuses an alert naming no user, and wrong types, naming the field', () => {
    expect(() => recogniseAlert({ id: 'mfa-3', type: 'okta.mfa_fatigue', time: '2026-09-14T03:11:15Z' })).toThrow(new AlertParseError('user_id', 'missing (give user_id or user_login)'));
    expect(() => recogniseAlert({ id: 'mfa-4', type: 'okta.mfa_fatigue', time: '2026-09-14T03:11:15Z', user_login: { $ne: 1 } })).toThrow(/user_login: expected a string/);
    expect(() => recogniseAlert({ id: 'mfa-5', type: 'okta.mfa_fatigue', time: '2026-09-14T03:11:15Z', user_login: 'x'.repeat(300) })).toThrow(/user_login: longer than 256/);
    expect(() => recogniseAlert({ id: 'mfa-6', type: 'okta.mfa_fatigue', time: 'yesterday', user_login: 'sam' })).toThrow(/time: is not a valid time/);
    expect(() => recogniseAlert({ id: 'mfa-7', type: 'okta.mfa_fatigue', time: '2026-09-14T03:11:15Z', user_login: 'sam\u202e' })).toThrow(/control characters/);
  });
});

describe('native Okta events', () => {
  it('a bare deny_push: the actor is the user, T its published time', () => {
    expect(mfa(fixture('deny-push.json'))).toMatchObject({ id: DENY_UUID, ...SAM, time: new Date('2026-09-14T03:09:41.833Z'), source: 'Okta System Log', trigger: 'Okta event user.mfa.okta_verify.deny_push' });
  });

  it('a user’s report of suspicious activity', () => {
    expect(mfa(fixture('report-suspicious.json'))).toMatchObject({ ...SAM, time: new Date('2026-09-14T03:14:02.550Z'), trigger: 'Okta event user.account.report_suspicious_activity_by_enduser' });
  });

  it('in a Log Streaming EventBridge envelope', () => {
    expect(mfa(fixture('eventbridge-deny-push.json'))).toMatchObject({ id: DENY_UUID, ...SAM });
  });

  it('in an Event Hook delivery: one alert per deny_push or report, other events skipped', () => {
    const out = recogniseAlerts(fixture('event-hook.json'));
    if (out.kind !== 'alerts') throw new Error(out.reason);
    expect(out.alerts.map((a) => [a.type, a.id])).toEqual([
      ['okta.mfa_fatigue', DENY_UUID],
      ['okta.mfa_fatigue', '6c034ff7-9cee-0fb9-5321-41054f13e293'],
    ]);
    expect(out.skipped).toEqual([{ at: 'data.events[1]', reason: 'Okta event without Velocity=POSITIVE' }]);
  });

  it('as Elastic’s Okta integration stores it (ECS)', () => {
    expect(mfa(fixture('elastic-deny-push.json'))).toMatchObject({ id: DENY_UUID, ...SAM, time: new Date('2026-09-14T03:09:41.833Z'), source: 'Okta System Log (Elastic)' });
  });

  it('an MFA event of another type is no alert of this flow', () => {
    const push = { ...fixture('deny-push.json'), eventType: 'system.push.send_factor_verify_push' };
    expect(recogniseAlert(push)).toEqual({ kind: 'not-an-alert', reason: 'Okta event without Velocity=POSITIVE' });
  });
});

describe('Elastic Security alerts of the push-bombing rule', () => {
  it('today’s release: rule id in kibana.alert.rule.rule_id, user from user.email, T = kibana.alert.original_time', () => {
    expect(mfa(fixture('kibana-alert.json'))).toMatchObject({
      id: 'f3c1b0a2e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2',
      ...SAM,
      time: new Date('2026-09-14T03:05:20.402Z'),
      title: 'Potentially Successful Okta MFA Bombing via Push Notifications',
      severity: 'high',
      source: 'Elastic Security',
      trigger: `Elastic Security rule ${RULE} (Potentially Successful Okta MFA Bombing via Push Notifications)`,
    });
  });

  it('an older release: rule id only in the parameters, its old name, user from okta.actor.alternate_id, T = @timestamp', () => {
    const a = mfa(fixture('kibana-alert-older-release.json'));
    expect(a).toMatchObject({ userLogin: 'sam.lee@example.com', time: new Date('2026-09-14T03:11:16.018Z'), title: 'Potential Abuse of Repeated MFA Push Notifications' });
    expect(a.userId).toBeUndefined();
  });

  it('is recognised by rule id, never by name', () => {
    const renamed = { ...fixture('kibana-alert.json'), 'kibana.alert.rule.name': 'Something else entirely' };
    expect(mfa(renamed).id).toBe('f3c1b0a2e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2');
    const otherRule = { ...fixture('kibana-alert.json'), 'kibana.alert.rule.rule_id': 'c8e0f3a1-0000-4000-8000-000000000001', 'kibana.alert.rule.parameters': { rule_id: 'c8e0f3a1-0000-4000-8000-000000000001' } };
    expect(recogniseAlert(otherRule)).toEqual({ kind: 'not-an-alert', reason: 'Elastic Security alert of rule c8e0f3a1-0000-4000-8000-000000000001 (no flow is mapped to it: DETECTION_RULE_FLOWS)' });
  });

  it('a building-block alert carrying the deny_push event is routed by its rule, under the alert’s own uuid', () => {
    const bb = { ...fixture('elastic-deny-push.json'), 'kibana.alert.uuid': 'bb-1', 'kibana.alert.rule.rule_id': RULE, 'kibana.alert.original_time': '2026-09-14T03:09:41.833Z', 'kibana.alert.building_block_type': 'default' };
    expect(mfa(bb)).toMatchObject({ id: 'bb-1', userLogin: 'sam.lee@example.com', userId: SAM.userId });
  });

  it('the mapping is configuration: more rule ids may route to the flow; setting it replaces the default', () => {
    const cfg = loadConfig({ DETECTION_RULE_FLOWS: 'custom-okta-push-rule:okta_mfa_fatigue' });
    configureRuleRoutes(cfg.DETECTION_RULE_FLOWS);
    const custom = { ...fixture('kibana-alert.json'), 'kibana.alert.rule.rule_id': 'custom-okta-push-rule' };
    expect(mfa(custom).trigger).toContain('custom-okta-push-rule');
    expect(recogniseAlert(fixture('kibana-alert.json')).kind).toBe('not-an-alert');
    configureRuleRoutes(loadConfig({}).DETECTION_RULE_FLOWS);
    expect(ruleRoutesInForce()).toEqual([`${RULE}:okta_mfa_fatigue`]);
  });

  it('refuses a mapping that names no flow taking such alerts, or no rule id', () => {
    for (const bad of ['bad id:okta_mfa_fatigue', 'r2', 'r3:okta_mfa_fatigue:x']) {
      expect(() => loadConfig({ DETECTION_RULE_FLOWS: `${RULE}:okta_mfa_fatigue,${bad}` }), bad).toThrow(`DETECTION_RULE_FLOWS: "${bad}" is not rule-id:flow`);
    }
    // The flow's name is checked against the plug-ins at start: the travel flow takes no Elastic Security alerts.
    const items = loadConfig({ DETECTION_RULE_FLOWS: `${RULE}:okta_mfa_fatigue,r1:okta_impossible_travel` }).DETECTION_RULE_FLOWS;
    expect(() => configureRuleRoutes(items)).toThrow('DETECTION_RULE_FLOWS: "r1:okta_impossible_travel" names no flow that takes Elastic Security alerts (flows that do: okta_mfa_fatigue)');
  });

  it('is stored as an alert by ingest and the in-memory store, never as Okta evidence, and found by its uuid', async () => {
    const alert = fixture('kibana-alert.json');
    const bb = { ...fixture('elastic-deny-push.json'), 'kibana.alert.uuid': 'bb-2', 'kibana.alert.rule.rule_id': RULE };
    expect(routeDocument(alert, { namespace: 'default', alertsIndex: 'triage-alerts' })).toMatchObject({ index: 'triage-alerts', id: alert['kibana.alert.uuid'] });
    expect(routeDocument(bb, { namespace: 'default', alertsIndex: 'triage-alerts' })).toMatchObject({ index: 'triage-alerts', id: 'bb-2' });
    const docs = new MemoryDocuments([alert, bb]);
    expect(docs.datasets('okta')).toEqual([]);
    expect(await new MemoryAlertLookup(docs).findAlert('bb-2')).toBe(bb);
    expect(await new MemoryAlertLookup(docs).findAlert(String(alert['kibana.alert.uuid']))).toBe(alert);
  });
});

describe('hostile Elastic Security alerts', () => {
  const base = () => fixture('kibana-alert.json');

  it('wrong types and oversized values are refused, naming the field', () => {
    expect(() => recogniseAlert({ ...base(), 'user.email': { $gt: '' } })).toThrow(/user\.email: expected a string, got an object/);
    expect(() => recogniseAlert({ ...base(), 'user.email': 'a'.repeat(5000) })).toThrow(/user\.email: longer than 256/);
    expect(() => recogniseAlert({ ...base(), 'kibana.alert.uuid': 42 })).toThrow(/kibana\.alert\.uuid: expected a string/);
    expect(() => recogniseAlert({ ...base(), 'kibana.alert.original_time': ['2026-09-14T03:05:20Z'] })).toThrow(/kibana\.alert\.original_time: expected a time/);
    expect(() => recogniseAlert({ ...base(), 'kibana.alert.rule.rule_id': 'x'.repeat(200) })).toThrow(/kibana\.alert\.rule\.rule_id: longer than 128/);
    expect(() => recogniseAlert({ ...base(), 'user.email': ['sam.lee@example.com', 'ceo@example.com'] })).toThrow(/user\.email: names 2 different values/);
    expect(() => recogniseAlert({ ...base(), 'user.email': null, 'okta.actor.alternate_id': null, 'okta.actor.id': null })).toThrow(/user\.email: missing/);
    expect(() => parseAlertText(JSON.stringify({ ...base(), pad: 'x'.repeat(1024 * 1024) }))).toThrow(/larger than/);
  });

  it('the same user in a list of one value is accepted (fields merged from a sequence’s events)', () => {
    expect(mfa({ ...base(), 'user.email': ['sam.lee@example.com', 'sam.lee@example.com'] }).userLogin).toBe('sam.lee@example.com');
  });

  it('prototype keys neither route an alert nor reach Object.prototype', () => {
    const text = `{"__proto__": {"kibana.alert.rule.rule_id": "${RULE}"}, "constructor": {"prototype": {"polluted": 1}}, "kibana.alert.uuid": "p1", "kibana.alert.rule.name": "x", "user.email": "a@b.c", "@timestamp": "2026-09-14T03:05:20Z"}`;
    expect(parseAlertText(text)).toEqual({ kind: 'not-an-alert', reason: 'Elastic Security alert without a rule id' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const viaDots = `{"kibana.alert.__proto__.rule_id": "${RULE}", "kibana.alert.uuid": "p2", "user.email": "a@b.c", "@timestamp": "2026-09-14T03:05:20Z"}`;
    expect(parseAlertText(viaDots).kind).toBe('not-an-alert');
    expect(({} as Record<string, unknown>)['rule_id']).toBeUndefined();
  });
});
