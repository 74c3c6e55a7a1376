// Putting a message where the alert's state says, as Slack really behaves: the status message may have been
// deleted (post anew in the thread), the intake's status post may land after the verdict (one message stays),
// reactions are a courtesy (never fail a job over one).
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from './render.js';
import type { AlertState, AlertStateStore } from '../queue/state.js';
import { mayHaveTakenEffect } from './client.js';
import { slackError } from './errors.js';

/** Marks our posts in an alert's thread, so a post we never heard back about can be found again. */
export const reportMetadata = (key: string) => ({ event_type: 'triage_report', event_payload: { alert_key: key } });

/** Our report of this alert in its thread, if one exists that we lost track of (a post answered too late). */
export async function findReport(slack: WebClient, channel: string, threadTs: string, key: string): Promise<string | undefined> {
  const replies = await slack.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 });
  const mine = (replies.messages ?? []).filter((m) => {
    const meta = m.metadata as { event_type?: string; event_payload?: { alert_key?: unknown } } | undefined;
    return m.ts !== threadTs && meta?.event_type === 'triage_report' && meta.event_payload?.alert_key === key;
  });
  return mine.at(-1)?.ts;
}

/**
 * Updates the alert's status message, or posts a new one in its thread when there is none (or it was deleted).
 * Posts are made once (a one-shot client): a post that may have reached Slack unanswered is marked, and the
 * next attempt adopts it from the thread instead of posting a second message.
 */
export async function deliver(slack: WebClient, states: AlertStateStore, key: string, state: AlertState, message: SlackMessage): Promise<void> {
  const blocks = message.blocks as never;
  const update = (ts: string) => slack.chat.update({ channel: state.channel, ts, text: message.text, blocks });
  let deleted = false;
  if (state.messageTs) {
    try {
      await update(state.messageTs);
      return;
    } catch (err) {
      if (slackError(err) !== 'message_not_found' && slackError(err) !== 'cant_update_message') throw err;
      deleted = true;
    }
  }
  if (state.postUncertain) {
    const lost = await findReport(slack, state.channel, state.threadTs, key);
    if (lost && lost !== state.messageTs) {
      await update(lost);
      await states.setMessage(key, lost);
      await states.markPostUncertain(key, false);
      return;
    }
  }
  // Marked before the post: should we never hear back, the next attempt looks in the thread first.
  await states.markPostUncertain(key, true);
  let posted;
  try {
    posted = await slack.chat.postMessage({ channel: state.channel, thread_ts: state.threadTs, text: message.text, blocks, metadata: reportMetadata(key) });
  } catch (err) {
    if (!mayHaveTakenEffect(err)) await states.markPostUncertain(key, false);
    throw err;
  }
  await states.markPostUncertain(key, false);
  if (!posted.ts) return;
  if (deleted) return void (await states.setMessage(key, posted.ts));
  if (await states.setMessageIfAbsent(key, posted.ts)) return;
  // The status post landed meanwhile: it becomes the verdict, and ours goes.
  const now = await states.get(key);
  if (now?.messageTs && now.messageTs !== posted.ts) {
    await update(now.messageTs);
    await slack.chat.delete({ channel: state.channel, ts: posted.ts }).catch(() => undefined);
  }
}
