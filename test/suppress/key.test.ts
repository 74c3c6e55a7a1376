// The "similar alerts" key, per flow: which fact decides, the fallbacks, and when no key (no suppression) is offered.
import { describe, expect, it } from 'vitest';
import type { Alert, AwsCredentialAlert, EmailAlert, OktaTravelAlert } from '../../src/alerts/types.js';
import { roleOfPrincipals } from '../../src/flows/aws/gather.js';
import { describeKey, networkOf, similarityKey } from '../../src/suppress/key.js';
import { oktaSession, storedVerdictFor } from '../support/facts.js';

const T = new Date('2026-06-01T12:00:00Z');
const aws = (extra: Partial<AwsCredentialAlert> = {}): AwsCredentialAlert => ({ id: 'a1', type: 'aws.instance_credential_exfiltration', time: T, raw: {}, accessKeyId: 'ASIAKEY0000000000001', instancePublicIps: [], ...extra });
const okta = (extra: Partial<OktaTravelAlert> = {}): OktaTravelAlert => ({ id: 'o1', type: 'okta.superhuman', time: T, raw: {}, userId: '00u1', ip: '185.220.101.4', ...extra });
const email = (extra: Partial<EmailAlert> = {}): EmailAlert => ({ id: 'e1', type: 'email.malicious', time: T, raw: {}, recipients: ['bob@example.com'], sender: 'billing@mail.evil-invoices.co.uk', urls: [], fileNames: [], hashes: [], ...extra });
const key = (alert: Alert, facts: Record<string, unknown> = {}) => similarityKey(alert, storedVerdictFor(alert, facts));

describe('AWS: the instance, else the role, else the access key', () => {
  it('takes the instance id (from the facts, which may have it from the role session name)', () => {
    const k = key(aws(), { instance_id: 'i-0abc', role_arn: 'arn:aws:iam::111122223333:role/app-role' })!;
    expect(k).toMatchObject({ flow: 'aws_instance_credentials', kind: 'instance', parts: ['i-0abc'] });
    // Another key of the same instance is similar.
    expect(key(aws({ accessKeyId: 'ASIAOTHER00000000002' }), { instance_id: 'i-0abc' })!.id).toBe(k.id);
    expect(key(aws(), { instance_id: 'i-0def' })!.id).not.toBe(k.id);
  });

  it('without an instance, the role of the key’s sessions; without one, the access key', () => {
    const role = key(aws(), { instance_id: null, role_arn: 'arn:aws:iam::111122223333:role/app-role' })!;
    expect(role).toMatchObject({ kind: 'role', parts: ['arn:aws:iam::111122223333:role/app-role'] });
    const k = key(aws(), { instance_id: null, role_arn: null })!;
    expect(k).toMatchObject({ kind: 'access key', parts: ['ASIAKEY0000000000001'] });
    expect(k.id).not.toBe(role.id);
  });

  it('the role comes from the assumed-role ARN of the key’s events, only when they name one role', () => {
    expect(roleOfPrincipals(['AROAEXAMPLE:i-0abc', 'arn:aws:sts::111122223333:assumed-role/app-role/i-0abc'])).toBe('arn:aws:iam::111122223333:role/app-role');
    expect(roleOfPrincipals(['arn:aws-us-gov:sts::111122223333:assumed-role/r/s'])).toBe('arn:aws-us-gov:iam::111122223333:role/r');
    expect(roleOfPrincipals(['arn:aws:sts::111122223333:assumed-role/a/s', 'arn:aws:sts::111122223333:assumed-role/b/s'])).toBeUndefined();
    expect(roleOfPrincipals(['arn:aws:iam::111122223333:user/ops', 'AIDAOPS'])).toBeUndefined();
  });
});

describe('Okta: the user and the mystery IP’s network', () => {
  const session = (ip: string, org: string | null) => oktaSession({ ip, as_organization: org, sign_in: T.toISOString() });
  const facts = (mystery: 'A' | 'B' | null, org: string | null, ip = '185.220.101.4') => ({
    user: { id: '00u1', login: 'Jane@Example.com' },
    session_a: session('203.0.113.10', 'Example Corp'),
    session_b: session(ip, org),
    mystery,
  });

  it('never the AS organisation alone: every customer of an ISP or cloud shares one (issue 23, finding 3)', () => {
    const k = key(okta(), facts('B', 'Amazon.com, Inc.', '52.1.2.3'))!;
    expect(k).toMatchObject({ flow: 'okta_impossible_travel', kind: 'user and network', parts: ['00u1', '52.1.2.0/24'] });
    // Another address of the same organisation elsewhere is not similar; the reference session is never the key.
    expect(key(okta(), facts('B', 'Amazon.com, Inc.', '3.80.1.10'))!.id).not.toBe(k.id);
    expect(key(okta(), facts('A', 'Tor Exit Hosting'))).toMatchObject({ parts: ['00u1', '203.0.113.0/24'] });
    expect(key(okta(), { ...facts('B', 'X', '52.1.2.3'), user: { id: '00u2' } })!.id).not.toBe(k.id);
  });

  it('the mystery IP’s /24 (IPv4) or /48 (IPv6)', () => {
    const v4 = key(okta(), facts('B', null, '185.220.101.4'))!;
    expect(v4).toMatchObject({ kind: 'user and network', parts: ['00u1', '185.220.101.0/24'] });
    expect(key(okta(), facts('B', null, '185.220.101.200'))!.id).toBe(v4.id);
    expect(key(okta(), facts('B', null, '185.220.102.4'))!.id).not.toBe(v4.id);
    expect(key(okta(), facts('B', null, '2001:db8:abcd:12::1'))).toMatchObject({ parts: ['00u1', '2001:db8:abcd::/48'] });
    expect(networkOf('::ffff:198.51.100.7')).toBe('198.51.100.0/24');
    expect(networkOf('not an ip')).toBeUndefined();
  });

  it('the login when the user id is unknown, in lower case', () => {
    expect(key(okta({ userId: undefined, userLogin: 'Jane@Example.com' }), { ...facts('B', 'X'), user: { login: 'Jane@Example.com' } })).toMatchObject({ parts: ['jane@example.com', '185.220.101.0/24'] });
  });

  it('no mystery session (nothing to compare, or both IPs known): no key, so no suppression is offered', () => {
    expect(key(okta(), facts(null, 'Tor Exit Hosting'))).toBeUndefined();
    expect(key(okta(), { ...facts('B', 'X'), session_b: null })).toBeUndefined();
    expect(key(okta(), {})).toBeUndefined();
  });
});

describe('e-mail: the sender’s registrable domain and the indicator domains, else the attachments', () => {
  it('sender domain plus the set of the URLs’ registrable domains (order and repeats do not matter)', () => {
    const k = key(email({ urls: ['https://login.evil.example/a', 'http://cdn.bad.test/x.js'] }))!;
    expect(k).toMatchObject({ flow: 'malicious_email', kind: 'sender domain and indicator domains', parts: ['evil-invoices.co.uk', 'bad.test', 'evil.example'] });
    const same = key(email({ sender: 'noreply@other.evil-invoices.co.uk', urls: ['http://bad.test/y', 'https://www.evil.example/b', 'https://evil.example/c'] }))!;
    expect(same.id).toBe(k.id);
    expect(key(email({ urls: ['https://login.evil.example/a'] }))!.id).not.toBe(k.id);
    // An IP-literal URL has no registrable domain: its host stands in.
    expect(key(email({ urls: ['http://198.51.100.7/payload'] }))).toMatchObject({ parts: ['evil-invoices.co.uk', '198.51.100.7'] });
  });

  it('with no URL: the attachment hashes, else the attachment names', () => {
    expect(key(email({ hashes: ['ABCDEF0123456789ABCDEF0123456789'], fileNames: ['invoice.zip'] }))).toMatchObject({ kind: 'sender domain and attachment hashes', parts: ['evil-invoices.co.uk', 'abcdef0123456789abcdef0123456789'] });
    expect(key(email({ fileNames: ['Invoice.zip', 'b.js'] }))).toMatchObject({ kind: 'sender domain and attachment names', parts: ['evil-invoices.co.uk', 'b.js', 'invoice.zip'] });
    // URLs win over attachments.
    expect(key(email({ urls: ['https://evil.example/'], hashes: ['aa'] }))).toMatchObject({ kind: 'sender domain and indicator domains' });
  });

  it('no sender domain, or no indicator: no key', () => {
    expect(key(email({ sender: undefined, urls: ['https://evil.example/'] }))).toBeUndefined();
    expect(key(email({ sender: 'root@localhost', urls: ['https://evil.example/'] }))).toBeUndefined();
    expect(key(email())).toBeUndefined();
  });
});

describe('e-mail keys too wide for indicators an attacker chooses (issue 23, finding 3)', () => {
  it('a free-mail sender is its full address, never the provider’s domain', () => {
    const k = key(email({ sender: 'ceo.office@gmail.com', urls: ['https://evil.example/a'] }))!;
    expect(k).toMatchObject({ kind: 'sender address and indicator domains', parts: ['ceo.office@gmail.com', 'evil.example'] });
    expect(key(email({ sender: 'someone.else@gmail.com', urls: ['https://evil.example/a'] }))!.id).not.toBe(k.id);
    expect(key(email({ sender: 'CEO.Office@GMail.com', urls: ['https://evil.example/b'] }))!.id).toBe(k.id);
    for (const provider of ['outlook.com', 'hotmail.com', 'yahoo.com', 'yahoo.co.uk', 'icloud.com', 'proton.me', 'gmx.de', 'mail.ru']) {
      expect(key(email({ sender: `x@${provider}`, urls: ['https://evil.example/a'] }))!.parts[0]).toBe(`x@${provider}`);
    }
    expect(key(email({ sender: 'ceo.office@gmail.com', hashes: ['aa'] }))).toMatchObject({ kind: 'sender address and attachment hashes' });
    // A company's own domain stays a domain.
    expect(key(email({ urls: ['https://evil.example/a'] }))!.parts[0]).toBe('evil-invoices.co.uk');
  });

  it('Google’s shared hosts key on the page, not on google.com: one Doc or Site is not another', () => {
    const docs = key(email({ sender: 'a@gmail.com', urls: ['https://docs.google.com/document/d/1AbC/edit?usp=sharing'] }))!;
    const site = key(email({ sender: 'a@gmail.com', urls: ['https://sites.google.com/view/corp-sso-login'] }))!;
    expect(docs.parts).toEqual(['a@gmail.com', 'docs.google.com/document/d/1AbC/edit']);
    expect(site.parts).toEqual(['a@gmail.com', 'sites.google.com/view/corp-sso-login']);
    expect(docs.id).not.toBe(site.id);
    expect(key(email({ sender: 'a@gmail.com', urls: ['https://sites.google.com/view/payroll-update'] }))!.id).not.toBe(site.id);
    expect(key(email({ sender: 'a@gmail.com', urls: ['https://docs.google.com/document/d/2XyZ/edit'] }))!.id).not.toBe(docs.id);
    // The same page again (another query string) is similar.
    expect(key(email({ sender: 'a@gmail.com', urls: ['https://sites.google.com/view/corp-sso-login?authuser=0#x'] }))!.id).toBe(site.id);
  });

  it('hosting platforms key on the tenant: the private section of the public-suffix list, and SharePoint’s tenants', () => {
    const partner = key(email({ urls: ['https://partner.sharepoint.com/:b:/s/x'] }))!;
    expect(partner.parts).toEqual(['evil-invoices.co.uk', 'partner.sharepoint.com']);
    expect(key(email({ urls: ['https://evil-tenant.sharepoint.com/:b:/s/x'] }))!.id).not.toBe(partner.id);
    expect(key(email({ urls: ['https://evil.github.io/login'] }))!.parts).toEqual(['evil-invoices.co.uk', 'evil.github.io']);
    expect(key(email({ urls: ['https://a.web.core.windows.net/'] }))!.parts).toEqual(['evil-invoices.co.uk', 'a.web.core.windows.net']);
    expect(key(email({ urls: ['https://x.blogspot.com/'] }))!.id).not.toBe(key(email({ urls: ['https://y.blogspot.com/'] }))!.id);
  });
});

describe('keys', () => {
  it('are hashes: attacker text never becomes a Redis key name; descriptions name what is similar', () => {
    const k = key(aws({ instanceId: 'i-0abc' }))!;
    expect(k.id).toMatch(/^[0-9a-f]{32}$/);
    expect(describeKey(k)).toBe('instance: i-0abc');
    const many = key(email({ urls: Array.from({ length: 20 }, (_, i) => `https://d${i}.evil.example/`).concat(Array.from({ length: 20 }, (_, i) => `https://x${i}.test/`)) }))!;
    expect(many.parts).toHaveLength(22);
    expect(describeKey(many)).toMatch(/and 10 more$/);
  });

  it('read only the facts’ own values', () => {
    const inherited = Object.create({ instance_id: 'i-0polluted' }) as Record<string, unknown>;
    expect(key(aws(), inherited)).toMatchObject({ kind: 'access key' });
  });
});
