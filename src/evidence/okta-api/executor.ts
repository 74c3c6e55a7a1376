// How every request of the Okta SDK leaves this process: only to the org's own origin (the SDK follows a
// `Link: rel="next"` to any host and would send `SSWS <token>` there), never through a redirect, with a
// bounded body, and within Okta's rate limits.
import { DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';

type FetchRequest = Record<string, unknown>;
export interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
}

/** A request the executor refused to send; the token never left. */
export class OktaRequestRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OktaRequestRefused';
  }
}

export interface ExecutorLimits {
  budgetMs: number;
  maxRetries: number;
  /** Largest response body read; a longer one fails the request (node-fetch stops reading at the cap). */
  maxBodyBytes: number;
}

/**
 * The SDK's executor retries a 429 after X-Rate-Limit-Reset. This one also waits *before* a request when the last
 * response said the limit is spent (X-Rate-Limit-Remaining: 0), within the same budget; and it refuses, before
 * anything is sent, any URL outside the org's origin.
 */
export class GuardedExecutor extends DefaultRequestExecutor {
  private resumeAt = 0;
  private readonly origin: string;

  constructor(orgUrl: string, private readonly limits: ExecutorLimits) {
    super({ maxRetries: limits.maxRetries, requestTimeout: limits.budgetMs });
    this.origin = new URL(orgUrl).origin;
  }

  override async fetch(request: FetchRequest): Promise<FetchResponse> {
    const target = typeof request['url'] === 'string' ? request['url'] : '';
    let origin: string | undefined;
    try {
      origin = new URL(target).origin;
    } catch {
      origin = undefined;
    }
    // The host is not named: it came from a response header, which whoever answered chose.
    if (origin !== this.origin) throw new OktaRequestRefused('Okta answered with a next-page link to another host than OKTA_ORG_URL: not followed (the API token is sent only to the org)');
    // node-fetch reads these: a redirect would carry the token elsewhere; `size` caps the body it reads.
    request['redirect'] = 'error';
    request['size'] = this.limits.maxBodyBytes;
    const wait = this.resumeAt - Date.now();
    if (wait > 0) {
      if (wait > this.limits.budgetMs) throw new Error(`Okta rate limit: next window in ${Math.ceil(wait / 1000)} s exceeds the ${this.limits.budgetMs / 1000} s budget`);
      await new Promise((r) => setTimeout(r, wait));
    }
    return (await super.fetch(request)) as FetchResponse;
  }

  override parseResponse(request: FetchRequest, response: FetchResponse): unknown {
    const remaining = response.headers.get('x-rate-limit-remaining');
    const reset = Number(response.headers.get('x-rate-limit-reset'));
    if (remaining === '0' && Number.isFinite(reset) && reset > 0) {
      const serverNow = Date.parse(response.headers.get('date') ?? '') || Date.now();
      this.resumeAt = Date.now() + Math.max(0, reset * 1000 - serverNow);
    }
    const length = Number(response.headers.get('content-length'));
    if (Number.isFinite(length) && length > this.limits.maxBodyBytes) throw new OktaPageTooLarge(this.limits.maxBodyBytes);
    return super.parseResponse(request, response);
  }
}

/** A response body over the cap, by its Content-Length or as it streamed in. */
export class OktaPageTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`an Okta API answer was larger than ${maxBytes} bytes: not read`);
    this.name = 'OktaPageTooLarge';
  }
}

/** node-fetch's own error when `size` is exceeded while the body streams. */
export function isBodyOverCap(err: unknown): boolean {
  if (err instanceof OktaPageTooLarge) return true;
  return (err as { type?: string } | null)?.type === 'max-size';
}
