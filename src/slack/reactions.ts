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
    const got = await slack.reactions.get({ ...where, full: true });
    const ours = (got.message?.reactions ?? []).filter((r) => typeof r.name === 'string' && MANAGED_REACTIONS.has(r.name) && (me === undefined || r.users?.includes(me)));
    for (const r of ours) if (r.name !== wanted) await ignoring(['no_reaction'], () => slack.reactions.remove({ ...where, name: r.name! }));
  } catch (err) {
    log?.(`reactions on ${where.channel} ${where.timestamp} not settled: ${slackError(err) ?? (err as Error).message}`);
  }
}

async function ignoring(codes: string[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (!codes.includes(slackError(err) ?? '')) throw err;
  }
}
