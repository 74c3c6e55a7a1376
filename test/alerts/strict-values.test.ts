// Alert values are taken only in their exact forms: IPs, RFC 3339 times with an offset or epoch numbers, string ids.
import { describe, expect, it } from 'vitest';
import { parseAlertStrict } from '../../src/flows/recognise.js';
import { AlertParseError, type Alert } from '../../src/alerts/types.js';

const okta = { id: 'o-1', type: 'okta.superhuman', time: '2026-03-07T10:00:00Z', user_login: 'jane@example.com', ip: '185.220.101.4' };
const aws = { id: 'a-1', type: 'aws.instance_credential_exfiltration', time: '2026-03-07T10:00:00Z', access_key_id: 'ASIAQWERTYUIOP123456' };
const email = { id: 'e-1', type: 'email.malicious', time: '2026-03-07T10:00:00Z', recipients: ['bob@example.com'], urls: ['https://evil.test/x'] };

function parse(value: unknown): Alert {
  return parseAlertStrict(JSON.stringify(value));
}

function problem(value: unknown): string {
  try {
    parseAlertStrict(JSON.stringify(value));
  } catch (err) {
    if (err instanceof AlertParseError) return err.message;
    throw err;
  }
  throw new Error(`accepted: ${JSON.stringify(value)}`);
}

describe('IP addresses', () => {
  it('accepts IPv4 and IPv6 addresses', () => {
    expect(parse({ ...okta, ip: '2001:db8::1', previous_ip: '198.51.100.20' })).toMatchObject({ ip: '2001:db8::1', previousIp: '198.51.100.20' });
    expect(parse({ ...aws, instance_public_ips: ['3.80.1.10', '::ffff:3.80.1.11'] })).toMatchObject({ instancePublicIps: ['3.80.1.10', '::ffff:3.80.1.11'] });
  });

  it.each(['999.999.999.999', '1.2.3.4:80', '1.2.3', ':::', '01.2.3.4x', '1.2.3.4/32'])('refuses %s, naming the field', (ip) => {
    expect(problem({ ...okta, ip })).toBe('ip: is not an IP address');
    expect(problem({ ...aws, instance_public_ips: ['3.80.1.10', ip] })).toBe('instance_public_ips[1]: is not an IP address');
  });
});

describe('times', () => {
  it.each([
    ['2026-03-07T10:00:00Z', '2026-03-07T10:00:00.000Z'],
    ['2026-03-07 10:00:00+00:00', '2026-03-07T10:00:00.000Z'],
    ['2026-03-07T12:30:00+02:30', '2026-03-07T10:00:00.000Z'],
    ['2026-03-07T05:00:00-05:00', '2026-03-07T10:00:00.000Z'],
    ['2026-03-07T10:00:00.123456Z', '2026-03-07T10:00:00.123Z'],
    ['2026-03-07t10:00:00.5z', '2026-03-07T10:00:00.500Z'],
    ['2024-02-29T10:00:00Z', '2024-02-29T10:00:00.000Z'],
  ])('accepts RFC 3339 time %s', (time, iso) => {
    expect(parse({ ...okta, time }).time.toISOString()).toBe(iso);
  });

  it('reads a JSON number as epoch seconds below 10^11, else milliseconds', () => {
    expect(parse({ ...okta, time: 1772877600 }).time.toISOString()).toBe('2026-03-07T10:00:00.000Z');
    expect(parse({ ...okta, time: 1772877600.5 }).time.toISOString()).toBe('2026-03-07T10:00:00.500Z');
    expect(parse({ ...okta, time: 1772877600000 }).time.toISOString()).toBe('2026-03-07T10:00:00.000Z');
  });

  it.each([
    'March 7',
    '0',
    '1772877600',
    '1772877600000',
    '2026-02-30T10:00:00Z',
    '2025-02-29T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-03-07T24:00:00Z',
    '2026-03-07T10:60:00Z',
    '2026-03-07T10:00:00',
    '2026-03-07 10:00:00',
    '2026-03-07',
    '2026-03-07T10:00Z',
    '2026-03-07T10:00:00+0000',
    '2026-03-07T10:00:00+24:00',
    'Sat, 07 Mar 2026 10:00:00 GMT',
    ' 2026-03-07T10:00:00Z',
  ])('refuses %j, naming the field', (time) => {
    expect(problem({ ...okta, time })).toMatch(/^time: /);
  });

  it('refuses non-finite, negative and non-number epoch values', () => {
    expect(problem({ ...okta, time: -1 })).toMatch(/^time: /);
    expect(problem({ ...okta, time: 1e300 })).toMatch(/^time: /);
    expect(problem({ ...okta, time: true })).toMatch(/^time: /);
  });

  it('applies to every parser: GuardDuty, Okta and Cyren times', () => {
    const finding = {
      id: 'gd-1',
      type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      resource: { accessKeyDetails: { accessKeyId: 'ASIAGUARDDUTYKEY0001' } },
      service: { serviceName: 'guardduty', eventFirstSeen: '2026-03-07T09:00:00Z', eventLastSeen: '2026-03-07 10:00:00' },
    };
    expect(problem(finding)).toMatch(/^service\.eventLastSeen: /);
    const event = {
      uuid: 'u-1',
      published: 'March 7',
      eventType: 'user.session.start',
      actor: { id: '00u1' },
      client: { ipAddress: '185.220.101.4' },
      debugContext: { debugData: { behaviors: '{Velocity=POSITIVE}' } },
    };
    expect(problem(event)).toMatch(/^published: /);
    expect(problem({ incident_id: 'c-1', threat_indicators: [], message_details: { received_datetime: '2026-02-30T10:00:00Z' } })).toMatch(/^message_details\.received_datetime: /);
  });
});

describe('string identifiers and URLs', () => {
  it('refuses numbers where a string id or URL is expected', () => {
    expect(problem({ ...okta, id: 42 })).toBe('id: expected a string, got a number');
    expect(problem({ ...aws, account_id: 111122223333 })).toBe('account_id: expected a string, got a number');
    expect(problem({ ...aws, access_key_id: 42 })).toBe('access_key_id: expected a string, got a number');
    expect(problem({ ...email, urls: [42] })).toBe('urls[0]: expected a string, got a number');
    expect(problem({ ...okta, user_id: 7 })).toBe('user_id: expected a string, got a number');
    expect(problem({ incident_id: 12345, threat_type: 'phishing', message_details: { received_datetime: '2026-03-07T10:00:00Z' }, threat_indicators: [] })).toBe(
      'incident_id: expected a string, got a number',
    );
  });

  it("accepts GuardDuty's sample-finding placeholders", () => {
    const sample = {
      schemaVersion: '2.0',
      accountId: '123456789012',
      region: 'us-east-1',
      id: 'b6c5b0c5a0e4f5d6e7f8a9b0c1d2e3f4',
      type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      resource: {
        resourceType: 'AccessKey',
        accessKeyDetails: { accessKeyId: 'GeneratedFindingAccessKeyId', principalId: 'GeneratedFindingPrincipalId', userName: 'GeneratedFindingUserName', userType: 'AssumedRole' },
        instanceDetails: { instanceId: 'i-99999999', networkInterfaces: [{ publicIp: '198.51.100.0', privateIpAddress: '10.0.0.1' }] },
      },
      service: { serviceName: 'guardduty', eventFirstSeen: '2026-03-07T09:00:00.000Z', eventLastSeen: '2026-03-07T10:00:00.000Z', additionalInfo: { sample: true } },
      severity: 8,
      title: 'Credentials for the EC2 instance role GeneratedFindingUserName were used from a remote AWS account.',
    };
    expect(parse(sample)).toMatchObject({ type: 'aws.instance_credential_exfiltration', accessKeyId: 'GeneratedFindingAccessKeyId', instancePublicIps: ['198.51.100.0'] });
    expect(problem({ ...aws, access_key_id: 'ASIA-not/a key' })).toMatch(/^access_key_id: is not an AWS access key id/);
  });
});

describe('URLs per e-mail alert', () => {
  it('refuses more than 50 distinct URLs, naming the field, rather than sending thousands of query clauses', async () => {
    const { parseAlertText } = await import('../../src/flows/recognise.js');
    const urls = Array.from({ length: 51 }, (_, i) => `https://evil${i}.example/login`);
    expect(() => parseAlertText(JSON.stringify({ id: 'm-1', type: 'email.malicious', time: '2026-11-01T08:00:00Z', urls }))).toThrow(/urls: more than 50 distinct URLs/);
    const ok = parseAlertText(JSON.stringify({ id: 'm-2', type: 'email.malicious', time: '2026-11-01T08:00:00Z', urls: urls.slice(0, 50) }));
    expect(ok.kind).toBe('alert');
  });
});
