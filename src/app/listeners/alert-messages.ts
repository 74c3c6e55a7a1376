// Alert messages in the alert channels (integrations' and bots' posts included): each alert a message carries
// (in its text or an attached JSON file) is claimed and queued; verdicts answer in the message's thread.
import type { App } from '@slack/bolt';
import { renderNotice } from '../../slack/render.js';
import { value } from '../../slack/rich-text.js';
import type { ListenerDeps } from '../deps.js';
import { attachedJson, fileOrigins, type SlackFile } from '../files.js';
import { alertCandidate, enqueueAlert, readAlertText } from '../intake.js';

const MESSAGE_SUBTYPES = new Set([undefined, 'bot_message', 'file_share']);

export interface AlertMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  subtype?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  bot_profile?: { app_id?: string };
  files?: SlackFile[];
}

/** Whether the message's sender may post alerts: any of its user, bot or app ids is listed (or no list is set). */
export function isAlertPoster(msg: AlertMessage, posters: string[]): boolean {
  if (posters.length === 0) return true;
  return [msg.user, msg.bot_id, msg.app_id, msg.bot_profile?.app_id].some((id) => typeof id === 'string' && posters.includes(id));
}

export function register(app: App, deps: ListenerDeps): void {
  const s = deps.settings;
  const { client } = deps;
  const allowedFileOrigins = fileOrigins(s.apiUrl);
  const enqueueDeps = { client, postClient: deps.interactive, queue: deps.queue, state: deps.state, audit: deps.audit, log: (m: string) => deps.log('warn', m) };

  app.event('message', async ({ event }) => {
    const msg = event as AlertMessage;
    if (!s.alertChannels.includes(msg.channel) || !MESSAGE_SUBTYPES.has(msg.subtype)) return;
    if (msg.thread_ts && msg.thread_ts !== msg.ts) return; // replies, ours included, are not alerts
    if (!isAlertPoster(msg, s.alertPosters)) return; // quietly: others' messages are conversation
    let intake = readAlertText(alertCandidate(msg.text));
    if (intake.kind === 'ignored' && msg.files?.length) {
      const file = await attachedJson(msg.files, { botToken: s.botToken, client, allowedOrigins: allowedFileOrigins, ...(s.fileTimeoutMs ? { timeoutMs: s.fileTimeoutMs } : {}) });
      if (file && 'refused' in file) deps.log('warn', `attached file in ${msg.channel} ${msg.ts} not downloaded: ${file.refused}`);
      else if (file && 'problem' in file) intake = { kind: 'malformed', problem: file.problem };
      else if (file) intake = readAlertText(file.text);
    }
    if (intake.kind === 'ignored') return;
    if (intake.kind === 'malformed') {
      await client.chat.postMessage({ channel: msg.channel, thread_ts: msg.ts, ...renderNotice(':warning: This looks like an alert but cannot be read:', [[value(intake.problem, 500)]]) });
      return;
    }
    // One investigation per alert the message carries, queued in order; verdicts answer in the same thread.
    for (const alert of intake.alerts) await enqueueAlert(enqueueDeps, alert, { channel: msg.channel, threadTs: msg.ts });
  });
}
