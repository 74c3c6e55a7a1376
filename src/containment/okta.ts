// Okta: clear the user's sessions and revoke their OAuth tokens (Users API, DELETE
// /api/v1/users/{id}/sessions?oauthTokens=true) through the official SDK. A 429 is not waited out here: the
// responder sees when the limit resets and retries.
import { Client, DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import type { ActionOutcome, ContainmentExecutor, ContainmentTarget } from './types.js';

export interface OktaContainmentOptions {
  orgUrl: string;
  token: string;
  /** Longest one call may take. */
  timeoutMs?: number;
}

interface OktaError {
  status?: number;
  errorCode?: string;
  headers?: { get?(name: string): string | null } | Record<string, string>;
  name?: string;
}

function header(e: OktaError, name: string): string | undefined {
  const h = e.headers;
  if (!h) return undefined;
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null }).get(name) ?? undefined;
  return (h as Record<string, string>)[name];
}

/** What went wrong, in words; Okta's error codes only (its summaries may echo the request). */
export function oktaFailure(err: unknown, now = Date.now()): ActionOutcome {
  const e = (err ?? {}) as OktaError;
  const code = typeof e.errorCode === 'string' && /^E\d{7,10}$/.test(e.errorCode) ? ` (${e.errorCode})` : '';
  switch (e.status) {
    case 404:
      return { ok: false, reason: `Okta does not know this user${code}: nothing was revoked`, retryable: false };
    case 403:
      return { ok: false, reason: `Okta refused: the bot's credentials lack the permission to manage users (okta.users.manage scope or an admin role)${code}`, retryable: false };
    case 401:
      return { ok: false, reason: `Okta refused the bot's credentials (expired or revoked token)${code}`, retryable: false };
    case 429: {
      const reset = Number(header(e, 'x-rate-limit-reset'));
      const wait = Number.isFinite(reset) && reset > 0 ? Math.max(0, Math.ceil(reset - now / 1000)) : undefined;
      return { ok: false, reason: `Okta's rate limit is spent${wait !== undefined ? `; it resets in ${wait} s` : ''}${code}`, retryable: true };
    }
  }
  if (typeof e.status === 'number') return { ok: false, reason: `Okta answered HTTP ${e.status}${code}`, retryable: e.status >= 500 };
  return { ok: false, reason: e.name === 'AbortError' || e.name === 'TimeoutError' || e.name === 'FetchError' ? 'Okta did not answer in time or could not be reached' : 'the call to Okta failed', retryable: true };
}

export class OktaContainment implements ContainmentExecutor {
  private readonly client: Client;

  constructor(opts: OktaContainmentOptions) {
    this.client = new Client({
      orgUrl: opts.orgUrl,
      token: opts.token,
      cacheMiddleware: null,
      // No retries: a containment call is answered now, and the responder decides to retry.
      requestExecutor: new DefaultRequestExecutor({ maxRetries: 0, requestTimeout: opts.timeoutMs ?? 15_000 }),
    } as ConstructorParameters<typeof Client>[0]);
  }

  async execute(target: ContainmentTarget, _at?: Date): Promise<ActionOutcome> {
    if (target.kind !== 'okta_clear_sessions') return { ok: false, reason: 'not an Okta action', retryable: false };
    try {
      await this.client.userApi.revokeUserSessions({ userId: target.oktaUserId, oauthTokens: true });
      return { ok: true, answer: 'Okta cleared the user’s sessions and revoked their OAuth tokens (HTTP 204)' };
    } catch (err) {
      return oktaFailure(err);
    }
  }
}
