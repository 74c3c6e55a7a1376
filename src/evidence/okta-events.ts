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
