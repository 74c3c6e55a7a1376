// Alert messages in the alert channels (integrations' only by default, SLACK_ALERT_POSTERS widens it): each alert a message carries
// (in its text or an attached JSON file) is claimed and queued; verdicts answer in the message's thread.
import type { App } from '@slack/bolt';
import { renderNotice } from '../../slack/render.js';
import { value } from '../../slack/rich-text.js';
import type { ListenerDeps } from '../deps.js';
import { attachedJson, fileOrigins, type SlackFile } from '../files.js';
import { alertCandidate, enqueueAlert, readAlertText, type Poster } from '../intake.js';
import { isAlertPoster, isIntegrationPost, type MessageSender } from '../posters.js';

const MESSAGE_SUBTYPES = new Set([undefined, 'bot_message', 'file_share']);

export interface AlertMessage extends MessageSender {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  files?: SlackFile[];
}

export { isAlertPoster } from '../posters.js';

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
    const poster: Poster = isIntegrationPost(msg) ? { origin: 'integration' } : { origin: 'person', ...(msg.user ? { id: msg.user } : {}) };
    for (const alert of intake.alerts) await enqueueAlert(enqueueDeps, alert, { channel: msg.channel, threadTs: msg.ts }, poster);
  });
}
