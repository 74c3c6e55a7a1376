// Who may post alerts in the alert channels (SLACK_ALERT_POSTERS), and whether a post is an integration's.
import { ANYONE } from '../config.js';

/** The sender fields of a Slack message event. */
export interface MessageSender {
  user?: string;
  subtype?: string;
  bot_id?: string;
  app_id?: string;
  bot_profile?: { app_id?: string };
}

/**
 * A bot's or app's post (an integration): Slack sets `bot_id` on those, and only those carry the `bot_message`
 * subtype. A person's message never does — not even one posted through an app with the person's token.
 */
export function isIntegrationPost(msg: MessageSender): boolean {
  return (typeof msg.bot_id === 'string' && msg.bot_id !== '') || msg.subtype === 'bot_message';
}

/** Whether the message's sender may post alerts: no list, integrations only; `*`, anyone; else any of its user, bot or app ids listed. */
export function isAlertPoster(msg: MessageSender, posters: readonly string[]): boolean {
  if (posters.length === 0) return isIntegrationPost(msg);
  if (posters.includes(ANYONE)) return true;
  return [msg.user, msg.bot_id, msg.app_id, msg.bot_profile?.app_id].some((id) => typeof id === 'string' && posters.includes(id));
}
