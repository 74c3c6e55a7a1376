// How we talk to Slack's Web API: a bounded wait per request and a bounded number of retries, so a hung
// Slack cannot hold a worker slot for half an hour (the client's defaults: no timeout, ten retries over ~30 min).
import type { Logger, WebClientOptions } from '@slack/web-api';
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
