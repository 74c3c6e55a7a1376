// How we talk to Slack's Web API: a bounded wait per request and a bounded number of retries, so a hung
// Slack cannot hold a worker slot for half an hour (the client's defaults: no timeout, ten retries over ~30 min).
import type { ChatPostMessageArguments, ChatPostMessageResponse, Logger, WebClient, WebClientOptions } from '@slack/web-api';
import { slackApiBase } from './api-url.js';

export const SLACK_REQUEST_TIMEOUT_MS = 10_000;

let processLogger: Logger | undefined;

/** Set once at process start: every client built from slackClientOptions then logs through our logger, not the console. */
export function logSlackClientsThrough(logger: Logger): void {
  processLogger = logger;
}

export function slackClientOptions(apiUrl?: string): WebClientOptions {
  return {
    ...(processLogger ? { logger: processLogger } : {}),
    timeout: SLACK_REQUEST_TIMEOUT_MS,
    // Up to 3 retries of a failed request, 1 s, 2 s, 4 s apart (rate-limited calls wait out Retry-After first).
    retryConfig: { retries: 3, factor: 2, minTimeout: 1000, maxTimeout: 4000, randomize: false },
    ...(apiUrl ? { slackApiUrl: slackApiBase(apiUrl) } : {}),
  };
}

/**
 * A client that makes each call once: for posts, which Slack cannot de-duplicate (a post answered after our
 * timeout, then retried, would be a second message). It also refuses a rate-limited call at once instead of
 * waiting it out: the caller decides (a queue re-orders held-back verdicts; a courtesy post is skipped).
 */
export function oneShotClientOptions(base: WebClientOptions): WebClientOptions {
  return { ...base, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } };
}

/** Whether a failed call may have taken effect at Slack all the same (no answer in time, or the connection broke). */
export function mayHaveTakenEffect(err: unknown): boolean {
  const e = err as { code?: string; original?: { code?: string; name?: string; message?: string } };
  if (e.code === 'slack_webapi_platform_error' || e.code === 'slack_webapi_rate_limited_error') return false;
  if (e.code === 'slack_webapi_http_error') return false;
  return true;
}

/**
 * chat.postMessage through a one-shot client, waiting out rate limits (a refused post was never made, so trying
 * again is safe) up to a total wait; any other failure is the caller's.
 */
export async function postWaitingOutRateLimits(client: WebClient, args: ChatPostMessageArguments, maxWaitMs = 60_000): Promise<ChatPostMessageResponse> {
  let waited = 0;
  for (;;) {
    try {
      return await client.chat.postMessage(args);
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number };
      const wait = (e.retryAfter ?? 1) * 1000;
      if (e.code !== 'slack_webapi_rate_limited_error' || waited + wait > maxWaitMs) throw err;
      waited += wait;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
