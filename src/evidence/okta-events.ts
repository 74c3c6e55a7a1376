// The Okta System Log vocabulary the Okta flow reasons with: which events open a session, which
// succeeded or failed, which are authentications. Domain knowledge, beside the ports that carry the events.
import type { OktaEvent } from './ports.js';

export const SIGN_IN = 'user.session.start';
export const SSO = 'user.authentication.sso';

export function isSuccess(e: OktaEvent): boolean {
  return e.outcome === 'SUCCESS' || e.outcome === 'ALLOW';
}

export function isFailure(e: OktaEvent): boolean {
  return e.outcome === 'FAILURE' || e.outcome === 'DENY';
}

/** Sign-in or authentication events: the ones whose failures count before a success. */
export function isAuthentication(e: OktaEvent): boolean {
  return e.eventType === SIGN_IN || e.eventType.startsWith('user.authentication.');
}

/**
 * What a sign-in was made with (Okta's authenticationContext.credentialType, and the password as
 * Identity Engine logs it): never an MFA factor (flows.md O7, v3).
 */
export const CREDENTIAL_TYPES: ReadonlySet<string> = new Set(['PASSWORD', 'PASSWORD_AS_FACTOR', 'IWA', 'ASSERTION', 'OAUTH2', 'JWT', 'OKTA_CLIENT_SESSION', 'PRE_SHARED_SYMMETRIC_KEY', 'DEVICE_UDID']);

/** The MFA factor type a successful MFA verification event passed (its debug_data.factor), else undefined. */
export function passedMfaFactor(e: OktaEvent): string | undefined {
  if (!isSuccess(e) || !e.factor) return undefined;
  return CREDENTIAL_TYPES.has(e.factor.toUpperCase()) ? undefined : e.factor;
}
