// The channel is the durable log of alerts: on start, after every Socket Mode reconnect, when Redis is back and
// every few minutes, each alert channel is read back from its checkpoint, and every alert message nobody handled
// (posted while the app was down, dropped while Redis was away, lost in a crash) goes through the live path's
// claim. Bounded per run, oldest first; the checkpoint moves only past messages that were handled.
import type { WebClient } from '@slack/web-api';
import { slackError } from '../../slack/errors.js';
import { IntakeUnavailableError, type AlertMessage, type BotIdentity, type MessageOutcome } from '../alert-message.js';
import type { Checkpoints } from './checkpoints.js';
import { compareTs, scanChannel, tsOf } from './history.js';

export interface CatchUpSettings {
  alertChannels: string[];
  /** Every how often a run starts by itself (CATCHUP_INTERVAL_SECONDS). */
  intervalMs: number;
  /** How far back a channel without a checkpoint is read (CATCHUP_LOOKBACK_HOURS). */
  lookbackMs: number;
  /** Alert messages handled per channel per run, oldest first (CATCHUP_MAX_MESSAGES). */
  maxMessages: number;
  /** conversations.history page size (CATCHUP_PAGE_SIZE). */
  pageSize: number;
  /** Pages read per channel per run. */
  maxPages?: number;
}

export interface CatchUpDeps {
  client: WebClient;
  checkpoints: Checkpoints;
  /** The live path's handling of one message (AlertMessageHandler.handle). */
  handle: (msg: AlertMessage, self: BotIdentity) => Promise<MessageOutcome>;
  /** Which messages may carry alerts (the live path's rules), given the bot's identity. */
  isCandidate: (msg: AlertMessage, self: BotIdentity) => boolean;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  now?: () => number;
}

/** What one run found in one channel. */
export interface ChannelReport {
  channel: string;
  checkpoint?: string;
  scanned: number;
  queued: number;
  alreadyClaimed: number;
  malformed: number;
  errors: number;
  /** Slack's error for the channel (not_in_channel …), or why the run stopped. */
  problem?: string;
  /** Alert messages remain for the next run (the per-run bound, or the page cap). */
  more: boolean;
}

export interface CatchUpReport {
  reason: string;
  startedAt: string;
  finishedAt: string;
  channels: ChannelReport[];
}

const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 60_000;
/** Runs a message may fail in before the checkpoint moves past it (logged as an error). */
const MAX_TRIES = 3;
const CHANNEL_ERRORS_REPORTED_ONCE = new Set(['not_in_channel', 'channel_not_found']);

export class CatchUp {
  private running: Promise<void> | undefined;
  private again: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = RETRY_MIN_MS;
  private stopped = false;
  private self: BotIdentity | undefined;
  /** Channels whose not_in_channel / channel_not_found was logged: once each, until it clears. */
  private readonly reportedProblems = new Map<string, string>();
  /** Messages whose handling failed, by channel/ts: how many runs in a row. */
  private readonly failures = new Map<string, number>();
  private readonly totals = { runs: 0, failedRuns: 0, scanned: 0, queued: 0, alreadyClaimed: 0, malformed: 0, errors: 0 };
  last: CatchUpReport | undefined;

  constructor(
    private readonly s: CatchUpSettings,
    private readonly deps: CatchUpDeps,
  ) {}

  /** The first run now, then one every interval. */
  start(): void {
    this.trigger('start');
    this.timer = setInterval(() => this.trigger('interval'), this.s.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
  }

  /** A run as soon as possible: one at a time; a trigger during a run starts one more after it. */
  trigger(reason: string): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = reason;
      return;
    }
    this.running = this.runOnce(reason)
      .then(
        () => undefined,
        (err: unknown) => this.failed(reason, err),
      )
      .finally(() => {
        this.running = undefined;
        const next = this.again;
        this.again = undefined;
        if (next) this.trigger(next);
      });
  }

  /** Resolves when no run is going on (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private failed(reason: string, err: unknown): void {
    this.totals.failedRuns++;
    this.deps.log('warn', `catch-up (${reason}) stopped: ${(err as Error).message}; trying again in ${this.retryMs / 1000} s`);
    // Redis or Slack away: sooner than the interval, backing off.
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.trigger('retry'), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  /** One pass over every alert channel. Throws when Redis is away (nothing was skipped: the checkpoints stay). */
  async runOnce(reason: string): Promise<CatchUpReport> {
    const startedAt = new Date(this.now()).toISOString();
    this.self ??= await this.identity();
    const channels: ChannelReport[] = [];
    try {
      for (const channel of this.s.alertChannels) channels.push(await this.runChannel(channel, this.self));
    } finally {
      this.totals.runs++;
      this.last = { reason, startedAt, finishedAt: new Date(this.now()).toISOString(), channels };
    }
    this.retryMs = RETRY_MIN_MS;
    return this.last;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** The bot's ids, so its own messages are never taken for alerts. */
  private async identity(): Promise<BotIdentity> {
    const me = await this.deps.client.auth.test();
    return { ...(me.user_id ? { userId: me.user_id } : {}), ...(me.bot_id ? { botId: me.bot_id } : {}) };
  }

  private async runChannel(channel: string, self: BotIdentity): Promise<ChannelReport> {
    const checkpoint = await this.deps.checkpoints.get(channel);
    const since = checkpoint ?? tsOf(this.now() - this.s.lookbackMs);
    const report: ChannelReport = { channel, ...(checkpoint ? { checkpoint } : {}), scanned: 0, queued: 0, alreadyClaimed: 0, malformed: 0, errors: 0, more: false };
    let scan;
    try {
      scan = await scanChannel(this.deps.client, channel, since, { pageSize: this.s.pageSize, maxPages: this.s.maxPages ?? 50, keep: this.s.maxMessages, isCandidate: (m) => this.deps.isCandidate(m, self) });
    } catch (err) {
      return this.channelError(report, err);
    }
    this.reportedProblems.delete(channel);
    report.scanned = scan.scanned;
    this.totals.scanned += scan.scanned;
    // The checkpoint follows the handled messages without a gap; a failure holds it just before the failed one.
    let handledUpTo = since;
    let gap = false;
    for (const msg of scan.candidates) {
      let outcome: MessageOutcome;
      try {
        outcome = await this.deps.handle(msg, self);
      } catch (err) {
        if (err instanceof IntakeUnavailableError) throw err;
        report.errors++;
        this.totals.errors++;
        // Tried again at the next runs; a message that fails every time must not hold the checkpoint for ever.
        const tries = (this.failures.get(`${channel}/${msg.ts}`) ?? 0) + 1;
        if (tries < MAX_TRIES) {
          this.failures.set(`${channel}/${msg.ts}`, tries);
          gap = true;
          this.deps.log('warn', `catch-up: message ${channel} ${msg.ts} not handled (try ${tries} of ${MAX_TRIES}): ${(err as Error).message}`);
        } else {
          this.failures.delete(`${channel}/${msg.ts}`);
          this.deps.log('error', `catch-up: message ${channel} ${msg.ts} given up after ${MAX_TRIES} tries: ${(err as Error).message}`);
          if (!gap) handledUpTo = msg.ts;
        }
        continue;
      }
      this.failures.delete(`${channel}/${msg.ts}`);
      this.count(report, outcome);
      if (!gap) handledUpTo = msg.ts;
    }
    report.more = scan.candidatesLeft || !scan.complete;
    // Every candidate handled, the scan complete: the checkpoint goes to the newest message read.
    const next = !gap && !report.more && scan.newestTs ? scan.newestTs : handledUpTo;
    if (scan.complete && compareTs(next, since) > 0) {
      await this.deps.checkpoints.set(channel, next);
      report.checkpoint = next;
    }
    if (!scan.complete) this.deps.log('warn', `catch-up: ${channel} has more than ${this.s.maxPages ?? 50} pages of messages since its checkpoint; the newest were handled, the checkpoint stays`);
    return report;
  }

  private count(report: ChannelReport, outcome: MessageOutcome): void {
    if (outcome.kind === 'already-handled') report.alreadyClaimed++;
    else if (outcome.kind === 'malformed') report.malformed++;
    else if (outcome.kind === 'alerts') {
      report.queued += outcome.queued;
      report.alreadyClaimed += outcome.claimedBefore;
    }
  }

  private channelError(report: ChannelReport, err: unknown): ChannelReport {
    const code = slackError(err) ?? (err as Error).message;
    report.errors++;
    report.problem = code;
    this.totals.errors++;
    // Not being in a channel is a setup problem: said once, not at every run.
    if (CHANNEL_ERRORS_REPORTED_ONCE.has(code)) {
      if (this.reportedProblems.get(report.channel) !== code) this.deps.log('error', `catch-up: cannot read ${report.channel}: ${code} (invite the bot, or fix SLACK_ALERT_CHANNELS)`);
      this.reportedProblems.set(report.channel, code);
    } else {
      this.deps.log('warn', `catch-up: reading ${report.channel} failed: ${code}`);
    }
    return report;
  }

  /** Counters since start, for /metrics. */
  get counters(): Readonly<typeof this.totals> {
    return { ...this.totals };
  }
}
