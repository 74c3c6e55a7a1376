// Reading a failed Web API call, the one place that knows the shapes @slack/web-api rejects with.

/** Slack's error code of a refused call (`message_not_found`, `ratelimited` …), when Slack answered one. */
export const slackError = (err: unknown): string | undefined => (err as { data?: { error?: string } }).data?.error;

/** Seconds Slack asked us to wait, when the client refused a rate-limited call instead of waiting. */
export const rateLimitedFor = (err: unknown): number | undefined =>
  (err as { code?: string }).code === 'slack_webapi_rate_limited_error' ? Number((err as { retryAfter?: number }).retryAfter ?? 1) : undefined;

/** For a log line: Slack's error code, or else the error's message. */
export const slackFailureReason = (err: unknown): string => slackError(err) ?? ((err as Error | undefined)?.message || String(err));
