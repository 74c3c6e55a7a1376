// The alert message's reactions end as the verdict says, whatever order Slack applied our calls in: the intake's
// 👀 may land after the verdict's (a rate-limited add retried, five alerts posted within 50 ms), so after adding
// the verdict's reaction we read what the message carries and take back our stale ones.
import type { WebClient } from '@slack/web-api';
import { VERDICT_STYLE } from './render.js';

/** The "being investigated" reaction. */
export const INVESTIGATING_REACTION = 'eyes';

/** Reactions the bot puts on alert messages; only these are ever taken back, and only where the bot added them. */
export const MANAGED_REACTIONS: ReadonlySet<string> = new Set([INVESTIGATING_REACTION, ...Object.values(VERDICT_STYLE).map((v) => v.reaction)]);

const slackError = (err: unknown): string | undefined => (err as { data?: { error?: string } }).data?.error;

/** The bot's user id per client (auth.test once): reactions.get names users, not bots. */
const botUsers = new WeakMap<WebClient, Promise<string | undefined>>();

function botUserOf(slack: WebClient): Promise<string | undefined> {
  let id = botUsers.get(slack);
  if (!id) {
    id = slack.auth.test().then(
      (r) => r.user_id,
      () => {
        botUsers.delete(slack);
        return undefined;
      },
    );
    botUsers.set(slack, id);
  }
  return id;
}

export interface ReactionTarget {
  channel: string;
  timestamp: string;
}

/**
 * Leaves exactly `wanted` (or none) of our managed reactions on the message. The client waits out 429s itself
 * (slackClientOptions). Failures are logged, never thrown: reactions are a courtesy.
 */
export async function settleReactions(slack: WebClient, where: ReactionTarget, wanted: string | undefined, log?: (m: string) => void): Promise<void> {
  try {
    if (wanted) await ignoring(['already_reacted'], () => slack.reactions.add({ ...where, name: wanted }));
    const me = await botUserOf(slack);
    const got = await withRateLimits(() => slack.reactions.get({ ...where, full: true }));
    const ours = (got.message?.reactions ?? []).filter((r) => typeof r.name === 'string' && MANAGED_REACTIONS.has(r.name) && (me === undefined || r.users?.includes(me)));
    for (const r of ours) if (r.name !== wanted) await ignoring(['no_reaction'], () => slack.reactions.remove({ ...where, name: r.name! }));
  } catch (err) {
    log?.(`reactions on ${where.channel} ${where.timestamp} not settled: ${slackError(err) ?? (err as Error).message}`);
  }
}

/** Total wait for Slack's rate limits on one message's reactions, beyond what the client retried itself. */
const RATE_LIMIT_BUDGET_MS = 120_000;

/**
 * Seconds to wait when a call failed for a rate limit: refused at once (a one-shot client), or given up by the
 * client after its own retries (it says so in the message, with Retry-After).
 */
function rateLimitWait(err: unknown): number | undefined {
  const e = err as { code?: string; retryAfter?: number; original?: { message?: string } };
  if (e.code === 'slack_webapi_rate_limited_error') return e.retryAfter ?? 1;
  const m = e.code === 'slack_webapi_request_error' ? /A rate limit was exceeded.*retry-after: (\d+)/.exec(e.original?.message ?? '') : null;
  return m ? Number(m[1]) : undefined;
}

async function ignoring(codes: string[], call: () => Promise<unknown>): Promise<void> {
  await withRateLimits(async () => {
    try {
      await call();
    } catch (err) {
      if (!codes.includes(slackError(err) ?? '')) throw err;
    }
  });
}

/** Calls again after Slack's Retry-After, within the budget; any other failure is the caller's. */
async function withRateLimits<T>(call: () => Promise<T>): Promise<T> {
  let waited = 0;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      const wait = rateLimitWait(err);
      if (wait === undefined || waited + wait * 1000 > RATE_LIMIT_BUDGET_MS) throw err;
      waited += wait * 1000;
      await new Promise((r) => setTimeout(r, wait * 1000));
    }
  }
}
