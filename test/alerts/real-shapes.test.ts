// Alerts in the shapes vendors and Elastic's integrations really produce (test/fixtures/*/README.md).
import { describe, expect, it } from 'vitest';
import { MAX_ALERTS_PER_DOCUMENT, parseAlertStrict, parseAlertsText, recogniseAlert, recogniseAlerts } from '../../src/flows/recognise.js';
import { AlertParseError, type Alert, type AwsCredentialAlert, type EmailAlert, type OktaTravelAlert } from '../../src/alerts/types.js';
import { dotted, fixture } from '../support/fixtures.js';
import { MAX_EXPANDED_KEYS } from '../../src/alerts/json.js';

type Json = Record<string, unknown>;

function alertsOf(value: unknown): Alert[] {
  const outcome = recogniseAlerts(value);
  if (outcome.kind !== 'alerts') throw new Error(`not recognised: ${outcome.reason}`);
  return outcome.alerts;
}

function one<T extends Alert>(value: unknown, type: T['type']): T {
  const alerts = alertsOf(value);
  expect(alerts).toHaveLength(1);
  expect(alerts[0]!.type).toBe(type);
  return alerts[0] as T;
}

function problem(value: unknown): string {
  try {
    recogniseAlerts(value);
  } catch (err) {
    if (err instanceof AlertParseError) return err.message;
    throw err;
  }
  throw new Error('accepted');
}

/** A stored alert body is parsed again by the worker: each alert's raw must give the same alert. */
function expectReparses(alert: Alert): void {
  const again = parseAlertStrict(JSON.stringify(alert.raw));
  expect({ ...again, raw: undefined }).toEqual({ ...alert, raw: undefined });
}

const iso = (d: Date | undefined) => d?.toISOString();

describe('GuardDuty in every shape', () => {
  it('reads the camelCase finding (console, API, EventBridge detail)', () => {
    const a = one<AwsCredentialAlert>(fixture('guardduty/finding-camelcase.json'), 'aws.instance_credential_exfiltration');
    expect(a).toMatchObject({
      id: '42c6f1a8b3d94e0f9a7b2c5d8e1f4a6b',
      accessKeyId: 'ASIAFIXTUREGDCAMEL01',
      instanceId: 'i-0fa1b2c3d4e5f6071',
      accountId: '111122223333',
      region: 'us-east-1',
      instancePublicIps: ['3.80.1.10'],
      severity: '8',
      source: 'AWS GuardDuty',
    });
    expect(iso(a.time)).toBe('2026-11-20T10:47:03.000Z');
    expect(iso(a.windowStart)).toBe('2026-11-19T09:12:41.000Z');
  });

  it('reads an EventBridge event (.InsideAWS) and names fields inside detail', () => {
    const event = fixture<Json>('guardduty/eventbridge.json');
    const a = one<AwsCredentialAlert>(event, 'aws.instance_credential_exfiltration');
    expect(a).toMatchObject({ id: '7e1d2c3b4a5f60718293a4b5c6d7e8f9', accessKeyId: 'ASIAFIXTUREGDEVENT01', instanceId: 'i-0fa1b2c3d4e5f6072', instancePublicIps: ['3.80.1.11'] });
    expect(iso(a.time)).toBe('2026-11-21T14:01:30.000Z');
    expect(a.raw).toBe(event);
    const detail = event['detail'] as Json;
    const broken = { ...event, detail: { ...detail, resource: { resourceType: 'AccessKey' } } };
    expect(problem(broken)).toBe('detail.resource.accessKeyDetails.accessKeyId: missing');
  });

  it('reads `aws guardduty get-findings` output: one alert per credential finding, other types skipped, PascalCase fields named', () => {
    const doc = fixture<Json>('guardduty/get-findings.json');
    const outcome = recogniseAlerts(doc);
    if (outcome.kind !== 'alerts') throw new Error(outcome.reason);
    expect(outcome.alerts.map((a) => a.id)).toEqual(['5b4a3c2d1e0f9a8b7c6d5e4f3a2b1c0d', '6c5b4a3d2e1f0a9b8c7d6e5f4a3b2c1d']);
    expect(outcome.skipped).toEqual([{ at: 'Findings[1]', reason: 'GuardDuty finding type Recon:IAMUser/MaliciousIPCaller is not handled' }]);
    const [first, second] = outcome.alerts as AwsCredentialAlert[];
    expect(first).toMatchObject({ accessKeyId: 'ASIAFIXTUREGDCLI0001', instanceId: 'i-0fa1b2c3d4e5f6073', instancePublicIps: ['3.80.1.12'], accountId: '111122223333', region: 'us-east-1', severity: '8' });
    expect(iso(first!.time)).toBe('2026-11-22T06:30:00.000Z');
    expect(iso(first!.windowStart)).toBe('2026-11-21T05:10:00.000Z');
    expect(second).toMatchObject({ accessKeyId: 'ASIAFIXTUREGDCLI0002', instancePublicIps: ['3.80.1.13'] });
    // Each alert's body is its own finding, so the worker can parse it again.
    expect(first!.raw).toBe((doc['Findings'] as Json[])[0]);
    outcome.alerts.forEach(expectReparses);
    // One alert at a time: the list is not one alert.
    expect(recogniseAlert(doc)).toEqual({ kind: 'not-an-alert', reason: 'a document with several alerts (GuardDuty findings)' });

    const findings = doc['Findings'] as Json[];
    const noKey = { ...findings[0], Resource: { ResourceType: 'AccessKey' } };
    expect(problem({ Findings: [noKey] })).toBe('Findings[0].Resource.AccessKeyDetails.AccessKeyId: missing');
    const badIp = structuredClone(findings[2]) as Json;
    ((badIp['Resource'] as Json)['InstanceDetails'] as Json)['NetworkInterfaces'] = [{ PublicIp: '3.80.1.300' }];
    expect(problem({ Findings: [findings[0], badIp] })).toBe('Findings[1].Resource.InstanceDetails.NetworkInterfaces[0].PublicIp: is not an IP address');
  });

  it('reads boto3 output (Findings plus ResponseMetadata) and the REST API answer {"findings": [...]}', () => {
    const boto = one<AwsCredentialAlert>(fixture('guardduty/boto3.json'), 'aws.instance_credential_exfiltration');
    expect(boto).toMatchObject({ id: '8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a', accessKeyId: 'ASIAFIXTUREGDBOTO301', instancePublicIps: ['3.80.1.14'] });
    const rest = one<AwsCredentialAlert>({ findings: [fixture('guardduty/finding-camelcase.json')] }, 'aws.instance_credential_exfiltration');
    expect(rest.accessKeyId).toBe('ASIAFIXTUREGDCAMEL01');
    expect(recogniseAlerts({ findings: [] })).toMatchObject({ kind: 'not-an-alert' });
  });

  it("reads Elastic's stored finding (aws.guardduty.*, cloud.*, event.*), nested or with dotted keys", () => {
    const doc = fixture<Json>('guardduty/elastic-stored.json');
    for (const form of [doc, dotted(doc)]) {
      const a = one<AwsCredentialAlert>(form, 'aws.instance_credential_exfiltration');
      expect(a).toMatchObject({
        id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        accessKeyId: 'ASIAFIXTUREGDELASTIC',
        instanceId: 'i-0fa1b2c3d4e5f6076',
        accountId: '111122223333',
        region: 'us-east-1',
        instancePublicIps: ['3.80.1.15'],
        severity: 'High',
      });
      expect(iso(a.time)).toBe('2026-11-24T16:20:00.000Z');
      expect(iso(a.windowStart)).toBe('2026-11-23T14:55:00.000Z');
      expect(a.raw).toBe(form);
      expectReparses(a);
    }
    const guardduty = (doc['aws'] as Json)['guardduty'] as Json;
    const resource = guardduty['resource'] as Json;
    const noKey = { ...doc, aws: { guardduty: { ...guardduty, resource: { ...resource, access_key_details: {} } } } };
    expect(problem(noKey)).toBe('aws.guardduty.resource.access_key_details.accesskey_id: missing');
    // Elastic's own sample event is an EKS finding: recognised as GuardDuty, not investigated.
    const eks = { ...doc, aws: { guardduty: { ...guardduty, type: 'Discovery:Kubernetes/TorIPCaller' } }, rule: { name: 'Discovery:Kubernetes/TorIPCaller' } };
    expect(recogniseAlerts(eks)).toEqual({ kind: 'not-an-alert', reason: 'GuardDuty finding type Discovery:Kubernetes/TorIPCaller is not handled' });
  });

  it("reads a finding stored by the older Elastic pipeline (aws 1.25.0: access_key.id, user.* and cloud.instance.id at the top, camelCase NICs), nested or with dotted keys", () => {
    const doc = fixture<Json>('guardduty/elastic-stored-aws-1.25.json');
    for (const form of [doc, dotted(doc)]) {
      const a = one<AwsCredentialAlert>(form, 'aws.instance_credential_exfiltration');
      expect(a).toMatchObject({
        id: 'b2c3d4e5f60718293a4b5c6d7e8f90a1',
        accessKeyId: 'ASIAFIXTUREGDLEGACY1',
        instanceId: 'i-0fa1b2c3d4e5f6077',
        accountId: '111122223333',
        region: 'eu-west-1',
        instancePublicIps: ['3.248.10.7'],
        severity: '8',
      });
      // last_seen, not updated_at (a finding is updated after its last event).
      expect(iso(a.time)).toBe('2026-11-25T09:30:00.000Z');
      expect(iso(a.windowStart)).toBe('2026-11-24T08:02:00.000Z');
      expectReparses(a);
    }
    // Both fields missing: the error names the current one.
    const guardduty = (doc['aws'] as Json)['guardduty'] as Json;
    const noKey = { ...doc, aws: { guardduty: { ...guardduty, resource: { ...(guardduty['resource'] as Json), access_key: {} } } } };
    expect(problem(noKey)).toBe('aws.guardduty.resource.access_key_details.accesskey_id: missing');
    // A hostile value in the old field is refused like one in the new.
    const badKey = { ...doc, aws: { guardduty: { ...guardduty, resource: { ...(guardduty['resource'] as Json), access_key: { id: 'AKIA<script>' } } } } };
    expect(problem(badKey)).toMatch(/^aws\.guardduty\.resource\.access_key\.id: /);
  });

  it('accepts a GuardDuty sample finding with its placeholders', () => {
    const a = one<AwsCredentialAlert>(fixture('guardduty/sample-finding.json'), 'aws.instance_credential_exfiltration');
    expect(a).toMatchObject({ accessKeyId: 'GeneratedFindingAccessKeyId', instanceId: 'i-99999999', instancePublicIps: ['198.51.100.0'] });
  });
});

describe('Okta Velocity wherever Okta and Elastic put it', () => {
  const jane = { userId: '00u1fixture0jane0x7', userLogin: 'jane.doe@example.com' };

  it('reads the behaviors string of a System Log event', () => {
    const a = one<OktaTravelAlert>(fixture('okta-alerts/system-log-behaviors.json'), 'okta.superhuman');
    expect(a).toMatchObject({ id: 'f1a2b3c4-0b1c-11f1-9a01-fixture00001', ip: '102.89.34.17', sessionId: '102FixtureSessionB01', ...jane });
    expect(iso(a.time)).toBe('2026-11-26T07:42:15.318Z');
  });

  it('reads logOnlySecurityData, a JSON string, and only its Velocity', () => {
    const event = fixture<Json>('okta-alerts/system-log-logonlysecuritydata.json');
    const a = one<OktaTravelAlert>(event, 'okta.superhuman');
    expect(a).toMatchObject({ id: 'f1a2b3c4-0b1c-11f1-9a01-fixture00002', ip: '102.89.34.18', ...jane });
    const debug = (event['debugContext'] as Json)['debugData'] as Json;
    const withSecurityData = (value: unknown) => ({ ...event, debugContext: { debugData: { ...debug, logOnlySecurityData: value } } });
    const negative = JSON.stringify({ behaviors: { 'New IP': 'POSITIVE', Velocity: 'NEGATIVE' }, risk: { level: 'LOW' } });
    expect(recogniseAlerts(withSecurityData(negative))).toEqual({ kind: 'not-an-alert', reason: 'Okta event without Velocity=POSITIVE' });
    expect(one(withSecurityData({ behaviors: { Velocity: 'POSITIVE' } }), 'okta.superhuman').id).toBe(a.id);
    expect(problem(withSecurityData('{"behaviors": {"Velocity": "POSITIVE"'))).toMatch(/^debugContext\.debugData\.logOnlySecurityData: is not a JSON object/);
    expect(problem(withSecurityData('["Velocity"]'))).toBe('debugContext.debugData.logOnlySecurityData: is not a JSON object');
  });

  it('reads a Log Streaming EventBridge event, naming fields inside detail', () => {
    const envelope = fixture<Json>('okta-alerts/eventbridge.json');
    const a = one<OktaTravelAlert>(envelope, 'okta.superhuman');
    expect(a).toMatchObject({ id: 'f1a2b3c4-0b1c-11f1-9a01-fixture00003', ip: '102.89.34.19', sessionId: '102FixtureSessionC01' });
    expect(a.raw).toBe(envelope);
    const detail = envelope['detail'] as Json;
    expect(problem({ ...envelope, detail: { ...detail, client: { ipAddress: 'not-an-ip' } } })).toBe('detail.client.ipAddress: is not an IP address');
  });

  it('reads an Event Hook delivery: one alert per Velocity event, the others skipped', () => {
    const outcome = recogniseAlerts(fixture('okta-alerts/event-hook.json'));
    if (outcome.kind !== 'alerts') throw new Error(outcome.reason);
    expect(outcome.alerts.map((a) => a.id)).toEqual(['f1a2b3c4-0b1c-11f1-9a01-fixture00004', 'f1a2b3c4-0b1c-11f1-9a01-fixture00006']);
    expect(outcome.skipped).toEqual([{ at: 'data.events[1]', reason: 'Okta event without Velocity=POSITIVE' }]);
    outcome.alerts.forEach(expectReparses);
  });

  it.each([
    ['elastic-flattened.json', 'f1a2b3c4-0b1c-11f1-9a01-fixture00007', '102.89.34.22', '102FixtureSessionE01'],
    ['elastic-flattened-logonlysecuritydata.json', 'f1a2b3c4-0b1c-11f1-9a01-fixture00008', '102.89.34.23', '102FixtureSessionH01'],
    ['elastic-non-flattened.json', 'f1a2b3c4-0b1c-11f1-9a01-fixture00009', '102.89.34.24', '102FixtureSessionK01'],
  ])("reads Elastic's stored form %s, nested or with dotted keys", (file, id, ip, sessionId) => {
    const doc = fixture<Json>(`okta-alerts/${file}`);
    for (const form of [doc, dotted(doc)]) {
      const a = one<OktaTravelAlert>(form, 'okta.superhuman');
      expect(a).toMatchObject({ id, ip, sessionId, ...jane });
      expect(iso(a.time)).toBe(doc['@timestamp']);
    }
  });

  it("refuses nothing and investigates nothing when Elastic's stored behaviors say Velocity is NEGATIVE", () => {
    const doc = fixture<Json>('okta-alerts/elastic-non-flattened.json');
    const negative = structuredClone(doc);
    const debug = ((negative['okta'] as Json)['debug_context'] as Json)['debug_data'] as Json;
    ((debug['logOnlySecurityData'] as Json)['behaviors'] as Json)['Velocity'] = 'NEGATIVE';
    expect(recogniseAlerts(negative)).toEqual({ kind: 'not-an-alert', reason: 'Okta event without Velocity=POSITIVE' });
    const flat = fixture<Json>('okta-alerts/elastic-flattened.json');
    const flatNegative = structuredClone(flat);
    const flatDebug = ((flatNegative['okta'] as Json)['debug_context'] as Json)['debug_data'] as Json;
    ((flatDebug['flattened'] as Json)['behaviors'] as Json)['Velocity'] = 'NEGATIVE';
    flatDebug['risk_behaviors'] = ['New IP'];
    expect(recogniseAlerts(flatNegative)).toMatchObject({ kind: 'not-an-alert' });
  });
});

describe('Cyren incidents as the API returns them', () => {
  it('reads every field: T = received_datetime, recipients from targeted employee, To, Cc and Bcc, sender, subject, indicators', () => {
    const a = one<EmailAlert>(fixture('cyren/incident.json'), 'email.malicious');
    expect(a).toMatchObject({
      id: 'inc-fixture-0001',
      title: 'Cyren: phishing',
      severity: '3',
      source: 'Cyren Inbox Security',
      recipients: ['bob@example.com', 'carol@example.com', 'audit@example.com'],
      sender: 'billing@evil-sender.test',
      subject: 'Overdue invoice 2026-1187',
      urls: ['https://login.evil-sender.test/o365/verify?u=bob'],
      fileNames: ['Invoice_2026-1187.pdf.exe'],
      hashes: ['0f5e9b2c8d7a6f4e3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a'],
    });
    // Delivery, not created_at (epoch seconds, a minute later).
    expect(iso(a.time)).toBe('2026-11-27T08:14:03.000Z');
    expect(a.skippedIndicators).toEqual([
      { field: 'threat_indicators[1].value', value: 'hash', reason: 'not an MD5, SHA-1 or SHA-256 hex digest' },
      { field: 'threat_indicators[1].attachment.file_hash', value: 'hash', reason: 'not an MD5, SHA-1 or SHA-256 hex digest' },
    ]);
    expectReparses(a);
  });

  it("reads the API's {\"data\": [...]} list: one alert per incident", () => {
    const alerts = alertsOf(fixture('cyren/incidents-list.json')) as EmailAlert[];
    expect(alerts.map((a) => a.id)).toEqual(['inc-fixture-0001', 'inc-fixture-0002']);
    expect(alerts[1]).toMatchObject({ recipients: ['dave@example.com', 'erin@example.com'], fileNames: ['Quarterly report.html'], hashes: [] });
    expect(alerts[1]!.skippedIndicators?.map((s) => s.field)).toEqual([
      'threat_indicators[1].value',
      'threat_indicators[1].attachment.file_hash',
      'message_details.attachments[0].file_hash',
    ]);
  });

  it('names other indicator types it does not investigate, and refuses more indicators than the cap', () => {
    const incident = fixture<Json>('cyren/incident.json');
    const indicators = incident['threat_indicators'] as Json[];
    const withSender = { ...incident, threat_indicators: [...indicators, { type: 'sender', subType: 'spoofed_sender', value: 'billing@evil-sender.test' }] };
    expect(one<EmailAlert>(withSender, 'email.malicious').skippedIndicators?.at(-1)).toEqual({
      field: 'threat_indicators[2].type',
      value: 'sender',
      reason: 'not an indicator type this flow investigates (url, attachment)',
    });
    const many = Array.from({ length: 201 }, (_, i) => ({ type: 'url', subType: 'malicious_url', value: `https://evil${i}.test/x` }));
    expect(problem({ ...incident, threat_indicators: many })).toBe('threat_indicators: more than 200 items');
    // 200 indicators (the cap) are taken; distinct URLs beyond 50 per alert are refused (email-fields.ts MAX_URLS).
    const repeated = Array.from({ length: 200 }, (_, i) => ({ type: 'url', subType: 'malicious_url', value: `https://evil${i % 40}.test/x` }));
    expect(one<EmailAlert>({ ...incident, threat_indicators: repeated }, 'email.malicious').urls).toContain('https://evil39.test/x');
    expect(problem({ ...incident, threat_indicators: many.slice(0, 200) })).toMatch(/^urls: more than 50 distinct URLs/);
  });

  it('refuses an incident without its delivery time or id, naming the field', () => {
    const incident = fixture<Json>('cyren/incident.json');
    const md = incident['message_details'] as Json;
    expect(problem({ ...incident, message_details: { ...md, received_datetime: undefined } })).toBe('message_details.received_datetime: missing');
    // Numbers are epoch times as everywhere (seconds below 10^11).
    expect(iso(one<EmailAlert>({ ...incident, message_details: { ...md, received_datetime: 1795767243 } }, 'email.malicious').time)).toBe('2026-11-27T08:14:03.000Z');
    expect(problem({ ...incident, incident_id: 7 })).toBe('incident_id: expected a string, got a number');
    expect(problem({ ...incident, message_details: { ...md, to_recipients: [{ address: 42 }] } })).toBe('message_details.to_recipients[0].address: expected a string, got a number');
  });
});

describe('documents that carry several alerts', () => {
  const canonical = (id: string) => ({ id, type: 'okta.superhuman', time: '2026-11-10T12:00:00Z', user_login: 'jane@example.com', ip: '185.220.101.4' });

  it('reads a JSON list of alerts of any shape, in order', () => {
    const list = [canonical('c-1'), fixture('okta-alerts/system-log-behaviors.json'), fixture('cyren/incident.json'), fixture('guardduty/eventbridge.json')];
    expect(alertsOf(list).map((a) => a.type)).toEqual(['okta.superhuman', 'okta.superhuman', 'email.malicious', 'aws.instance_credential_exfiltration']);
    const parsed = parseAlertsText(JSON.stringify(list));
    expect(parsed.kind).toBe('alerts');
  });

  it(`takes ${MAX_ALERTS_PER_DOCUMENT} alerts and refuses more`, () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => canonical(`c-${i}`));
    expect(alertsOf(list(MAX_ALERTS_PER_DOCUMENT))).toHaveLength(MAX_ALERTS_PER_DOCUMENT);
    expect(problem(list(MAX_ALERTS_PER_DOCUMENT + 1))).toBe(`(input): more than ${MAX_ALERTS_PER_DOCUMENT} alerts in one document`);
    const events = Array.from({ length: MAX_ALERTS_PER_DOCUMENT + 1 }, (_, i) => ({ ...fixture<Json>('okta-alerts/system-log-behaviors.json'), uuid: `u-${i}` }));
    expect(problem({ eventType: 'com.okta.event_hook', data: { events } })).toBe(`data.events: more than ${MAX_ALERTS_PER_DOCUMENT} alerts in one document`);
  });

  it('names the item of a malformed alert, drops an exact repeat and refuses a conflicting one', () => {
    expect(problem([canonical('c-1'), { ...canonical('c-2'), ip: 'x' }])).toBe('[1].ip: is not an IP address');
    expect(alertsOf([canonical('c-1'), canonical('c-1')])).toHaveLength(1);
    expect(problem([canonical('c-1'), { ...canonical('c-1'), ip: '185.220.101.5' }])).toBe('[1]: repeats the id c-1 of an earlier alert with a different body');
  });

  it('reads each item as if it came alone: its own key budget, an item over it named', () => {
    const ecs = (keys: number, uuid = 'u-1') => {
      const doc: Json = { ...fixture<Json>('okta-alerts/elastic-non-flattened.json'), 'okta.uuid': uuid };
      for (let i = 0; i < keys; i++) doc[`x.k${i}`] = 1;
      return doc;
    };
    // Two items of over 8 000 dotted segments each: each within the budget of one alert.
    expect(alertsOf([ecs(4000, 'u-1'), ecs(4000, 'u-2')]).map((a) => a.id)).toEqual(['u-1', 'u-2']);
    expect(problem([ecs(10), ecs(6000)])).toBe(`[1]: more than ${MAX_EXPANDED_KEYS} keys`);
    expect(problem(ecs(6000))).toBe(`(input): more than ${MAX_EXPANDED_KEYS} keys`);
  });

  it('says what it expected when nothing is recognised', () => {
    expect(recogniseAlerts({ hello: 'world' })).toEqual({ kind: 'not-an-alert', reason: expect.stringMatching(/^no supported alert shape recognised \(expected the canonical alert JSON, an AWS GuardDuty finding/) });
    expect(recogniseAlerts([1, 2, 3])).toEqual({ kind: 'not-an-alert', reason: 'no alert among 3 item(s) of list ([0]: not a JSON object)' });
    expect(recogniseAlerts([])).toEqual({ kind: 'not-an-alert', reason: 'no alert among 0 item(s) of list' });
  });
});
