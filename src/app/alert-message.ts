// One message of an alert channel, however it reached us (an event, a Slack retry, a redelivered Socket Mode
// envelope, the catch-up reading the channel's history): which messages are alerts, and handling each once.
import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { MessageMarks } from '../queue/message-marks.js';
import { attachedJson, fileOrigins, type SlackFile } from './files.js';
import { alertCandidate, enqueueAlert, readAlertText, type EnqueueDeps, type Intake, type Poster } from './intake.js';
import { isAlertPoster, isIntegrationPost, type MessageSender } from './posters.js';
import { renderNotice } from '../slack/render.js';
import { problemWithHint } from '../slack/rich-text.js';

export interface AlertMessage extends MessageSender {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  files?: SlackFile[];
}

/** Plain messages, integrations' posts and messages with files; edits, joins and the like are not alerts. */
export const MESSAGE_SUBTYPES = new Set([undefined, 'bot_message', 'file_share']);

export { isAlertPoster } from './posters.js';

/** The bot's own ids (auth.test): its messages are never alerts. */
export interface BotIdentity {
  userId?: string;
  botId?: string;
}

export interface AlertMessageSettings {
  botToken: string;
  apiUrl?: string;
  alertChannels: string[];
  alertPosters: string[];
  fileTimeoutMs?: number;
}

/**
 * Whether a message may carry alerts: in an alert channel, a plain message (not an edit or a join), not a reply
 * (replies, ours included, are conversation), from an allowed poster, not the bot's own. Quietly no otherwise.
 */
export function mayCarryAlerts(msg: AlertMessage, s: Pick<AlertMessageSettings, 'alertChannels' | 'alertPosters'>, self: BotIdentity = {}): boolean {
  if (!s.alertChannels.includes(msg.channel) || !MESSAGE_SUBTYPES.has(msg.subtype)) return false;
  if (msg.thread_ts && msg.thread_ts !== msg.ts) return false;
  if ((self.botId && msg.bot_id === self.botId) || (self.userId && msg.user === self.userId)) return false;
  return isAlertPoster(msg, s.alertPosters);
}

/** Redis did not answer the message's mark: nothing was done, the message can be handled again later. */
export class IntakeUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`alert intake unavailable: ${(cause as Error).message ?? String(cause)}`, { cause });
    this.name = 'IntakeUnavailableError';
  }
}

/** What became of a message. */
export type MessageOutcome =
  | { kind: 'not-an-alert' }
  /** Handled before (a retry, a redelivery, the catch-up seeing a message the live path took), or being handled now. */
  | { kind: 'already-handled' }
  | { kind: 'malformed' }
  /** Alerts it carries: how many were newly claimed and queued, and how many had a claim already. */
  | { kind: 'alerts'; queued: number; claimedBefore: number };

export interface AlertMessageDeps extends EnqueueDeps {
  marks: MessageMarks;
  log: (msg: string) => void;
}

export class AlertMessageHandler {
  private readonly fileOrigins: string[];

  constructor(
    private readonly s: AlertMessageSettings,
    private readonly deps: AlertMessageDeps,
  ) {
    this.fileOrigins = fileOrigins(s.apiUrl);
  }

  get client(): WebClient {
    return this.deps.client;
  }

  /**
   * Handles the message once: a lease on it first (Redis away: IntakeUnavailableError, nothing done), then its
   * alerts are claimed and queued through the live path's claim, or the malformed answer given; then the message is
   * marked handled. A handler that fails gives the lease back; one that dies leaves it to lapse (the catch-up then
   * finds the message). `token` is the caller's for this message: a retry with it may take its own lease again.
   */
  async handle(msg: AlertMessage, self: BotIdentity = {}, token: string = randomUUID()): Promise<MessageOutcome> {
    if (!mayCarryAlerts(msg, this.s, self)) return { kind: 'not-an-alert' };
    let lease;
    try {
      lease = await this.deps.marks.begin(msg.channel, msg.ts, token);
    } catch (err) {
      throw new IntakeUnavailableError(err);
    }
    if (lease !== 'mine') return { kind: 'already-handled' };
    try {
      const outcome = await this.act(msg);
      await this.deps.marks.done(msg.channel, msg.ts);
      return outcome;
    } catch (err) {
      await this.deps.marks.release(msg.channel, msg.ts, token).catch(() => undefined);
      throw err;
    }
  }

  private async act(msg: AlertMessage): Promise<MessageOutcome> {
    const intake = await this.read(msg);
    if (intake.kind === 'ignored') return { kind: 'not-an-alert' };
    if (intake.kind === 'malformed') {
      await this.deps.client.chat.postMessage({ channel: msg.channel, thread_ts: msg.ts, ...renderNotice(':warning: This looks like an alert but cannot be read:', [problemWithHint(intake.problem, 500, intake.hint)]) });
      return { kind: 'malformed' };
    }
    // One investigation per alert the message carries, queued in order; verdicts answer in the same thread.
    let queued = 0;
    const poster: Poster = isIntegrationPost(msg) ? { origin: 'integration' } : { origin: 'person', ...(msg.user ? { id: msg.user } : {}) };
    for (const alert of intake.alerts) {
      const r = await enqueueAlert(this.deps, alert, { channel: msg.channel, threadTs: msg.ts }, poster);
      if (r === 'queued' || r === 'replaced') queued++;
    }
    return { kind: 'alerts', queued, claimedBefore: intake.alerts.length - queued };
  }

  /** The alert JSON in the text, else in an attached file. */
  private async read(msg: AlertMessage): Promise<Intake> {
    const intake = readAlertText(alertCandidate(msg.text));
    if (intake.kind !== 'ignored' || !msg.files?.length) return intake;
    const file = await attachedJson(msg.files, { botToken: this.s.botToken, client: this.deps.client, allowedOrigins: this.fileOrigins, ...(this.s.fileTimeoutMs ? { timeoutMs: this.s.fileTimeoutMs } : {}) });
    if (file && 'refused' in file) this.deps.log(`attached file in ${msg.channel} ${msg.ts} not downloaded: ${file.refused}`);
    else if (file && 'problem' in file) return { kind: 'malformed', problem: file.problem };
    else if (file) return readAlertText(file.text);
    return intake;
  }
}
