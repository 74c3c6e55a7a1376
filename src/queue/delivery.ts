// Putting a message where the alert's state says, as Slack really behaves: the status message may have been
// deleted (post anew in the thread), reactions are a courtesy (never fail a job over one).
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../slack/render.js';
import type { AlertState, AlertStateStore } from './state.js';

export const slackError = (err: unknown): string | undefined => (err as { data?: { error?: string } }).data?.error;

/** Updates the alert's status message, or posts a new one in its thread when there is none (or it was deleted). */
export async function deliver(slack: WebClient, states: AlertStateStore, key: string, state: AlertState, message: SlackMessage): Promise<void> {
  const blocks = message.blocks as never;
  if (state.messageTs) {
    try {
      await slack.chat.update({ channel: state.channel, ts: state.messageTs, text: message.text, blocks });
      return;
    } catch (err) {
      if (slackError(err) !== 'message_not_found' && slackError(err) !== 'cant_update_message') throw err;
    }
  }
  const posted = await slack.chat.postMessage({ channel: state.channel, thread_ts: state.threadTs, text: message.text, blocks });
  if (posted.ts) await states.setMessage(key, posted.ts);
}

/** A reaction on the alert message; failures are logged, never thrown. */
export async function react(slack: WebClient, how: 'add' | 'remove', where: { channel: string; timestamp: string; name: string }, log?: (m: string) => void): Promise<void> {
  try {
    await (how === 'add' ? slack.reactions.add(where) : slack.reactions.remove(where));
  } catch (err) {
    const code = slackError(err);
    // Re-runs react again (already_reacted); the eyes may be gone already (no_reaction).
    if (code !== 'already_reacted' && code !== 'no_reaction') log?.(`reaction ${how} ${where.name} failed: ${code ?? (err as Error).message}`);
  }
}
