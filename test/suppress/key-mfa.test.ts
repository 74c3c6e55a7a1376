// The "similar alerts" key of the MFA push fatigue flow: the user alone, never the requesting IP's AS organisation.
import { describe, expect, it } from 'vitest';
import type { OktaMfaFatigueAlert } from '../../src/alerts/types.js';
import type { Alert } from '../../src/alerts/types.js';
import { describeKey, similarityKey } from '../../src/suppress/key.js';
import { storedVerdictFor } from '../support/facts.js';

const alert = (extra: Partial<OktaMfaFatigueAlert> = {}): OktaMfaFatigueAlert => ({ id: 'm1', type: 'okta.mfa_fatigue', time: new Date('2026-09-14T03:11:15Z'), raw: {}, userLogin: 'Sam.Lee@Example.com', trigger: 'canonical alert', ...extra });

/** The key of a verdict whose facts read back from the alert record (checked there: malformed ones are dropped). */
const key = (a: Alert, facts: Record<string, unknown>) => similarityKey(a, storedVerdictFor(a, facts));

describe('MFA push fatigue: the user', () => {
  it('takes the Okta id the investigation resolved, else the login lower-cased', () => {
    const byId = key(alert(), { user: { id: '00u9', login: 'sam.lee@example.com' } })!;
    expect(byId).toMatchObject({ flow: 'okta_mfa_fatigue', kind: 'user', parts: ['00u9'] });
    const byLogin = key(alert(), { user: { login: 'SAM.LEE@example.com' } })!;
    expect(byLogin.parts).toEqual(['sam.lee@example.com']);
    expect(key(alert({ userLogin: 'sam.lee@EXAMPLE.com' }), {})!.id).toBe(byLogin.id);
    expect(describeKey(byLogin)).toBe('user: sam.lee@example.com');
  });

  it('never an AS organisation or IP: pushes from another network of the same user are similar', () => {
    const a = key(alert(), { user: { id: '00u9' }, requesting_ips: [{ ip: '185.220.101.33', known: false, reason: 'not in the company CIDRs' }], as_organization: 'Evil Hosting' })!;
    const b = key(alert(), { user: { id: '00u9' }, requesting_ips: [{ ip: '203.0.113.9', known: false, reason: 'not in the company CIDRs' }] })!;
    expect(a.id).toBe(b.id);
    expect(a.parts).toEqual(['00u9']);
  });

  it('no user at all, or malformed facts: none from the facts, the alert’s own user instead', () => {
    expect(key(alert({ userLogin: undefined, userId: undefined }), { user: 'not an object' })).toBeUndefined();
    expect(key(alert({ userLogin: undefined, userId: '00u7' }), { user: { id: 42 } })!.parts).toEqual(['00u7']);
  });
});
