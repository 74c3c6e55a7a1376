import { describe, expect, it } from 'vitest';
import { parseAlertStrict, parseAlertText, recogniseAlert } from '../../src/flows/recognise.js';
import { AlertParseError, type Alert } from '../../src/alerts/types.js';
import { MAX_ALERT_BYTES } from '../../src/alerts/json.js';

const canonicalAws = {
  id: 'alrt-1',
  type: 'aws.instance_credential_exfiltration',
  time: '2026-11-10T12:00:00Z',
  title: 'Instance credentials used outside AWS',
  severity: 'high',
  access_key_id: 'ASIAQWERTYUIOP123456',
  instance_id: 'i-0a1b2c3d4e5f60718',
  account_id: '111122223333',
  region: 'us-east-1',
  instance_public_ips: ['3.80.1.10'],
  custom_field: { kept: true },
};

const guardDutyFinding = {
  schemaVersion: '2.0',
  accountId: '111122223333',
  region: 'us-east-1',
  partition: 'aws',
  id: '16afba5c5c43e07c9e3e5e2e544e95df',
  arn: 'arn:aws:guardduty:us-east-1:111122223333:detector/x/finding/16afba5c5c43e07c9e3e5e2e544e95df',
  type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
  resource: {
    resourceType: 'AccessKey',
    accessKeyDetails: { accessKeyId: 'ASIAGUARDDUTYKEY0001', principalId: 'AROAEXAMPLE:i-0a1b2c3d4e5f60718', userType: 'AssumedRole', userName: 'app-role' },
    instanceDetails: {
      instanceId: 'i-0a1b2c3d4e5f60718',
      networkInterfaces: [{ publicIp: '3.80.1.10', privateIpAddress: '10.0.1.5' }, { publicIp: '3.80.1.11' }],
    },
  },
  service: {
    serviceName: 'guardduty',
    eventFirstSeen: '2026-11-10T10:00:00.000Z',
    eventLastSeen: '2026-11-10T11:30:00.000Z',
    action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api: 'ListBuckets', remoteIpDetails: { ipAddressV4: '45.155.205.10' } } },
  },
  severity: 8,
  createdAt: '2026-11-10T10:05:00.000Z',
  updatedAt: '2026-11-10T11:35:00.000Z',
  title: 'Credentials for instance role app-role used from an external IP address.',
};

const oktaEvent = {
  uuid: '8e0c7a4e-8d1c-11ee-a8f4-9f1f3b2c1a11',
  published: '2026-11-10T12:00:00.000Z',
  eventType: 'user.session.start',
  displayMessage: 'User login to Okta',
  severity: 'INFO',
  actor: { id: '00u1abcd2EFGH3ijk4x7', type: 'User', alternateId: 'jane.doe@example.com', displayName: 'Jane Doe' },
  client: { ipAddress: '185.220.101.4', userAgent: { rawUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' } },
  authenticationContext: { externalSessionId: '102abcDEFghiJKL' },
  outcome: { result: 'SUCCESS' },
  debugContext: { debugData: { behaviors: '{New Geo-Location=POSITIVE, New Device=NEGATIVE, Velocity=POSITIVE, New IP=POSITIVE}' } },
};

// Cyren's incident API shape (demisto/content Packs/CyrenInboxSecurity test data).
const cyrenAlert = {
  incident_id: 'cyren-7781',
  case_id: 'case-7781',
  threat_type: 'phishing',
  confidence: 3,
  created_at: 1794211260,
  threat_indicators: [
    { type: 'url', subType: 'malicious_url', value: 'https://login.evil.co.uk/verify' },
    { type: 'attachment', subType: 'attachment_name', value: 'Invoice 2026.pdf.exe' },
    { type: 'attachment', subType: 'attachment_hash', value: 'A'.repeat(64) },
  ],
  message_details: {
    sender: { name: 'Billing', address: 'billing@evil.co.uk' },
    targeted_employee: { name: 'Bob', address: 'bob@example.com' },
    to_recipients: [{ name: 'Bob', address: 'bob@example.com' }],
    to_cc_recipients: [{ name: 'Carol', address: 'carol@example.com' }],
    to_bcc_recipients: [],
    email_subject: 'Your invoice <!channel>',
    received_datetime: '2026-11-10T08:00:00Z',
    urls_classification: [
      { url: 'https://login.evil.co.uk/verify', classification: 'malicious' },
      { url: 'https://example.com/unsubscribe', classification: 'clean' },
    ],
    attachments: [{ file_name: 'Invoice 2026.pdf.exe', file_hash: 'b'.repeat(32), file_category: 'MALWARE' }],
  },
};

function parse(value: unknown): Alert {
  return parseAlertStrict(JSON.stringify(value));
}

function parseError(text: string): AlertParseError {
  try {
    parseAlertStrict(text);
  } catch (err) {
    if (err instanceof AlertParseError) return err;
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('alert parsing: realistic inputs', () => {
  it('reads the canonical AWS alert and keeps unknown fields in raw', () => {
    const a = parse(canonicalAws);
    expect(a).toMatchObject({
      type: 'aws.instance_credential_exfiltration',
      id: 'alrt-1',
      accessKeyId: 'ASIAQWERTYUIOP123456',
      instanceId: 'i-0a1b2c3d4e5f60718',
      accountId: '111122223333',
      region: 'us-east-1',
      instancePublicIps: ['3.80.1.10'],
      severity: 'high',
    });
    expect(a.time.toISOString()).toBe('2026-11-10T12:00:00.000Z');
    expect((a.raw as Record<string, unknown>)['custom_field']).toEqual({ kept: true });
  });

  it('reads the canonical Okta and email alerts', () => {
    const okta = parse({ id: 'o-1', type: 'okta.superhuman', time: '2026-11-10T12:00:00Z', user_login: 'jane@example.com', ip: '185.220.101.4', previous_ip: '198.51.100.20' });
    expect(okta).toMatchObject({ type: 'okta.superhuman', userLogin: 'jane@example.com', ip: '185.220.101.4', previousIp: '198.51.100.20' });
    const email = parse({ id: 'e-1', type: 'email.malicious', time: '2026-11-10T08:00:00Z', recipients: ['bob@example.com'], urls: ['https://evil.test/x'], file_names: ['a.exe'], hashes: ['C'.repeat(40)] });
    expect(email).toMatchObject({ type: 'email.malicious', urls: ['https://evil.test/x'], fileNames: ['a.exe'], hashes: ['c'.repeat(40)] });
  });

  it('reads a raw GuardDuty finding: key, instance, public IPs, T = eventLastSeen, window from eventFirstSeen − 24 h', () => {
    const a = parse(guardDutyFinding);
    if (a.type !== 'aws.instance_credential_exfiltration') throw new Error('wrong type');
    expect(a.id).toBe('16afba5c5c43e07c9e3e5e2e544e95df');
    expect(a.accessKeyId).toBe('ASIAGUARDDUTYKEY0001');
    expect(a.instanceId).toBe('i-0a1b2c3d4e5f60718');
    expect(a.instancePublicIps).toEqual(['3.80.1.10', '3.80.1.11']);
    expect(a.time.toISOString()).toBe('2026-11-10T11:30:00.000Z');
    expect(a.windowStart?.toISOString()).toBe('2026-11-09T10:00:00.000Z');
    expect(a.region).toBe('us-east-1');
  });

  it('reads a GuardDuty finding inside an EventBridge envelope, including .InsideAWS', () => {
    const envelope = {
      version: '0',
      id: 'c8b9-eventbridge',
      'detail-type': 'GuardDuty Finding',
      source: 'aws.guardduty',
      account: '111122223333',
      time: '2026-11-10T11:36:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { ...guardDutyFinding, type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS' },
    };
    const a = parse(envelope);
    expect(a).toMatchObject({ type: 'aws.instance_credential_exfiltration', id: guardDutyFinding.id, accessKeyId: 'ASIAGUARDDUTYKEY0001' });
  });

  it('ignores other GuardDuty finding types quietly', () => {
    expect(parseAlertText(JSON.stringify({ ...guardDutyFinding, type: 'Recon:EC2/PortProbeUnprotectedPort' })).kind).toBe('not-an-alert');
  });

  it('reads a native Okta System Log event with Velocity=POSITIVE', () => {
    const a = parse(oktaEvent);
    expect(a).toMatchObject({ type: 'okta.superhuman', id: oktaEvent.uuid, userId: '00u1abcd2EFGH3ijk4x7', userLogin: 'jane.doe@example.com', ip: '185.220.101.4', sessionId: '102abcDEFghiJKL' });
  });

  it('ignores an Okta event whose Velocity is NEGATIVE, and accepts the split behaviors form', () => {
    const negative = { ...oktaEvent, debugContext: { debugData: { behaviors: '{New Geo-Location=POSITIVE, Velocity=NEGATIVE}' } } };
    expect(parseAlertText(JSON.stringify(negative)).kind).toBe('not-an-alert');
    const split = { ...oktaEvent, debugContext: { debugData: { behaviors: { Velocity: 'POSITIVE' } } } };
    expect(parse(split).type).toBe('okta.superhuman');
  });

  it('reads an Okta event stored by Elastic (ECS), with behaviors as a string, split, or listed', () => {
    const ecs = (debug: Record<string, unknown>) => ({
      '@timestamp': '2026-11-10T12:00:00Z',
      'event.dataset': 'okta.system',
      'okta.uuid': 'ecs-uuid-1',
      'okta.event_type': 'user.session.start',
      'okta.actor.id': '00u1',
      'okta.actor.alternate_id': 'jane@example.com',
      'okta.client.ip': '185.220.101.4',
      okta: { debug_context: { debug_data: debug } },
    });
    for (const debug of [{ behaviors: '{New IP=POSITIVE, Velocity=POSITIVE}' }, { behaviors: { Velocity: 'POSITIVE' } }, { risk_behaviors: ['New IP', 'Velocity'] }]) {
      expect(parse(ecs(debug))).toMatchObject({ type: 'okta.superhuman', id: 'ecs-uuid-1', userId: '00u1', ip: '185.220.101.4' });
    }
    expect(parseAlertText(JSON.stringify(ecs({ behaviors: '{Velocity=NEGATIVE}' }))).kind).toBe('not-an-alert');
  });

  it('reads a Cyren alert: URLs (clean ones dropped), file names, hashes by length, recipients', () => {
    const a = parse(cyrenAlert);
    if (a.type !== 'email.malicious') throw new Error('wrong type');
    expect(a.urls).toEqual(['https://login.evil.co.uk/verify']);
    expect(a.fileNames).toEqual(['Invoice 2026.pdf.exe']);
    expect(a.hashes).toEqual(['a'.repeat(64), 'b'.repeat(32)]);
    expect(a.recipients).toEqual(['bob@example.com', 'carol@example.com']);
    expect(a.sender).toBe('billing@evil.co.uk');
    expect(a.time.toISOString()).toBe('2026-11-10T08:00:00.000Z');
    expect(a.subject).toBe('Your invoice <!channel>');
  });
});

describe('alert parsing: hostile and malformed inputs', () => {
  it('rejects truncated JSON with a reason', () => {
    const err = parseError(JSON.stringify(canonicalAws).slice(0, 60));
    expect(err.field).toBe('(input)');
    expect(err.reason).toMatch(/not valid JSON/);
  });

  it('names a missing required key', () => {
    const { access_key_id: _omit, ...rest } = canonicalAws;
    expect(parseError(JSON.stringify(rest)).field).toBe('access_key_id');
    expect(parseError(JSON.stringify({ ...canonicalAws, id: undefined })).field).toBe('id');
    expect(parseError(JSON.stringify({ ...canonicalAws, time: undefined })).message).toBe('time: missing');
  });

  it('names a field of the wrong type', () => {
    expect(parseError(JSON.stringify({ ...canonicalAws, access_key_id: 42 })).message).toBe('access_key_id: expected a string, got a number');
    expect(parseError(JSON.stringify({ ...canonicalAws, instance_public_ips: { ip: 1 } })).message).toBe('instance_public_ips: expected a list of strings, got an object');
    expect(parseError(JSON.stringify({ ...canonicalAws, time: 'yesterday' })).field).toBe('time');
    expect(parseError(JSON.stringify({ ...canonicalAws, instance_public_ips: ['not-an-ip'] })).field).toBe('instance_public_ips[0]');
  });

  it('refuses a 5 MB blob before parsing it', () => {
    const blob = JSON.stringify({ ...canonicalAws, title: 'x'.repeat(5 * 1024 * 1024) });
    expect(blob.length).toBeGreaterThan(MAX_ALERT_BYTES);
    expect(parseError(blob).reason).toMatch(/larger than/);
  });

  it('refuses deeply nested objects without overflowing the stack', () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    expect(parseError(deep).reason).toMatch(/nested deeper/);
    const deepList = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(parseError(deepList).reason).toMatch(/nested deeper/);
  });

  it('rejects control characters in identifiers and strips them from display text', () => {
    expect(parseError(JSON.stringify({ ...canonicalAws, id: 'abc\u0000def' })).message).toBe('id: contains control characters');
    const a = parse({ ...canonicalAws, title: 'Evil\u0007 title\u202E with bidi\u001b[31m' });
    expect(a.title).toBe('Evil title with bidi[31m');
  });

  it('caps display text length', () => {
    const a = parse({ ...canonicalAws, title: 'y'.repeat(10_000) });
    expect(a.title!.length).toBeLessThanOrEqual(300);
  });

  it('rejects an unknown type that looks like an alert, ignores unrelated JSON', () => {
    expect(parseError(JSON.stringify({ id: 'x', type: 'aws.something_else', time: '2026-01-01T00:00:00Z' })).field).toBe('type');
    expect(parseAlertText('{"hello":"world"}').kind).toBe('not-an-alert');
    expect(parseAlertText('[1,2,3]').kind).toBe('not-an-alert');
    expect(recogniseAlert('a string').kind).toBe('not-an-alert');
  });

  it('rejects a Cyren alert with a malformed indicator list, and a canonical alert with a bad hash', () => {
    expect(parseError(JSON.stringify({ ...cyrenAlert, threat_indicators: 'url' })).field).toBe('threat_indicators');
    expect(parseError(JSON.stringify({ id: 'e', type: 'email.malicious', time: '2026-01-01T00:00:00Z', hashes: ['xyz'] })).field).toBe('hashes[0]');
  });

  it('refuses a Cyren alert with more indicators than the cap, naming the field, instead of dropping the rest', () => {
    const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://evil${i}.test/x`);
    // 200 indicators (the cap) naming 40 distinct URLs (under the 50-URL cap of an e-mail alert).
    const atCap = parse({ ...cyrenAlert, threat_indicators: urls(200).map((_, i) => ({ type: 'url', value: urls(40)[i % 40]! })) });
    if (atCap.type !== 'email.malicious') throw new Error('wrong type');
    expect(atCap.urls).toContain('https://evil39.test/x');
    expect(parseError(JSON.stringify({ ...cyrenAlert, threat_indicators: urls(201).map((value) => ({ type: 'url', value })) })).message).toBe(
      'threat_indicators: more than 200 items',
    );
    const classified = { ...cyrenAlert, message_details: { ...cyrenAlert.message_details, urls_classification: urls(201).map((url) => ({ url, classification: 'phishing' })) } };
    expect(parseError(JSON.stringify(classified)).message).toBe('message_details.urls_classification: more than 200 items');
    const attachments = Array.from({ length: 201 }, (_, i) => ({ file_name: `f${i}.exe` }));
    expect(parseError(JSON.stringify({ ...cyrenAlert, message_details: { ...cyrenAlert.message_details, attachments } })).message).toBe('message_details.attachments: more than 200 items');
  });

  it('refuses a GuardDuty finding with more network interfaces than the cap', () => {
    const nics = (n: number) => Array.from({ length: n }, (_, i) => ({ publicIp: `3.80.2.${i}` }));
    const withNics = (n: number) => ({ ...guardDutyFinding, resource: { ...guardDutyFinding.resource, instanceDetails: { ...guardDutyFinding.resource.instanceDetails, networkInterfaces: nics(n) } } });
    const atCap = parse(withNics(32));
    if (atCap.type !== 'aws.instance_credential_exfiltration') throw new Error('wrong type');
    expect(atCap.instancePublicIps).toHaveLength(32);
    expect(parseError(JSON.stringify(withNics(33))).message).toBe('resource.instanceDetails.networkInterfaces: more than 32 items');
  });

  it('rejects a GuardDuty finding without its access key', () => {
    const broken = { ...guardDutyFinding, resource: { instanceDetails: guardDutyFinding.resource.instanceDetails } };
    expect(parseError(JSON.stringify(broken)).message).toBe('resource.accessKeyDetails.accessKeyId: missing');
  });
});
