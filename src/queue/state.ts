// Per-alert state shared by the Slack app and the workers, in Redis next to the queue.
import { createHash } from 'node:crypto';
import type { Redis, Cluster } from 'ioredis';
import type { Verdict } from '../flows/verdict.js';
import { readStoredVerdict, type StoredVerdict } from '../flows/stored-verdict.js';
import { SuppressionStore, type Suppression } from '../suppress/store.js';
import { MessageMarks } from './message-marks.js';
import { ALERT_ORIGINS, type AlertOrigin } from './origin.js';
import { AlertParseError, type Alert } from '../alerts/types.js';
import type { StoredAlert } from '../alerts/stored.js';
import { readStoredAlert } from '../flows/recognise.js';

/** A fixed-size key for any alert id, whatever characters it holds. */
export function alertKey(alertId: string): string {
  return createHash('sha256').update(alertId, 'utf8').digest('hex').slice(0, 32);
}

/** A stored JSON value, or undefined when it is not JSON (a cut write): unreadable, never an error for every reader. */
function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a value (a button's, a modal's metadata) is shaped like an alert key, before it is looked up. */
export const isAlertKey = (key: string): boolean => /^[0-9a-f]{32}$/.test(key);

export interface Decision {
  kind: 'escalated' | 'dismissed';
  by: string;
  at: string;
  reason?: string;
  note?: string;
  /** What happened when it was carried out, when something failed ("escalated; Slack post failed: not_in_channel"). */
  outcome?: string;
  /** A dismissal that also suppressed similar alerts: until when. */
  suppressedUntil?: string;
}

export interface AlertState {
  alertId: string;
  /** The alert as received (JSON text). */
  raw: string;
  /** The alert, typed: stored beside the body at claim (alerts/stored.ts, read by flows/recognise.ts); absent when the body no longer parses. */
  alert?: Alert;
  /** Why the body no longer parses, when it does not (a record of an older parser read by a stricter one). */
  unreadable?: string;
  channel: string;
  /** The alert's message (the thread parent); for /triage, the bot's own message. */
  threadTs: string;
  /** Who posted the body (absent in records older than origins: treated as an integration's). */
  origin?: AlertOrigin;
  /** The bot's message that shows "Investigating…" and then the verdict. */
  messageTs?: string;
  runs: number;
  /** The run's verdict, its facts checked with its flow's schema as it is read back (flows/stored-verdict.ts). */
  verdict?: StoredVerdict;
  /** A stored verdict that is no verdict at all (not even its flow, class and path read back): treated as none. */
  verdictUnreadable?: true;
  /** The run whose verdict `verdict` is. */
  verdictRun?: number;
  /** A post into the thread may exist that we never heard back about. */
  postUncertain?: boolean;
  decision?: Decision;
  /** When the bot received the alert (ISO): the start of its time to verdict and to decision. */
  arrivedAt?: string;
  /** The run that answers that arrival (0, or the run of a re-posted body); later runs are re-runs. */
  arrivalRun?: number;
  /** The suppression in force for similar alerts when this run's verdict was reached. */
  suppression?: Suppression;
}

/** One entry of the "last verdicts" list. */
export interface RecentVerdict {
  alertId: string;
  flow: string;
  verdict: string;
  score: number | null;
  at: string;
}

const TTL_SECONDS = 30 * 24 * 3600;

const storedFields = (stored: StoredAlert | undefined) => (stored ? { alert: stored.alert, parser: String(stored.parser) } : {});

/** The record's alert, typed (the stored one, or the body parsed again when that is older than the parser). */
function alertOf(body: Partial<StoredAlert> & { raw: string }): { alert: Alert } | { unreadable: string } {
  try {
    return { alert: readStoredAlert(body) };
  } catch (err) {
    if (err instanceof AlertParseError) return { unreadable: err.message };
    throw err;
  }
}

/** KEYS: the alert record, the open claims. ARGV: run, verdict JSON, suppression JSON or '', the alert key. */
const SET_VERDICT_IF_CURRENT = `
if redis.call('HGET', KEYS[1], 'runs') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'verdict', ARGV[2], 'verdictRun', ARGV[1])
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], 'suppression') else redis.call('HSET', KEYS[1], 'suppression', ARGV[3]) end
redis.call('ZREM', KEYS[2], ARGV[4])
return 1`;

export class AlertStateStore {
  /** Suppressions of similar alerts, under the same prefix. */
  readonly suppressions: SuppressionStore;
  /** Which alert-channel messages were handled, on this store's connection (the app uses a fail-fast one). */
  readonly marks: MessageMarks;

  constructor(
    private readonly redis: Redis | Cluster,
    /** Same hash-tagged prefix as the queue, so every key lives on one Redis Cluster slot. */
    private readonly prefix: string,
  ) {
    this.suppressions = new SuppressionStore(redis, prefix);
    this.marks = new MessageMarks(redis, prefix);
  }

  private key(k: string): string {
    return `${this.prefix}:alert:${k}`;
  }

  /** Claims an alert for investigation; false when it was claimed before (a re-post). */
  async claim(key: string, state: Pick<AlertState, 'alertId' | 'raw' | 'channel' | 'threadTs' | 'messageTs'> & { origin: AlertOrigin; stored?: StoredAlert }): Promise<boolean> {
    const created = await this.redis.hsetnx(this.key(key), 'alertId', state.alertId);
    if (created === 0) return false;
    await this.redis
      .multi()
      .hset(this.key(key), { raw: state.raw, ...storedFields(state.stored), channel: state.channel, threadTs: state.threadTs, origin: state.origin, runs: '0', arrivedAt: new Date().toISOString(), arrivalRun: '0', ...(state.messageTs ? { messageTs: state.messageTs } : {}) })
      .expire(this.key(key), TTL_SECONDS)
      .zadd(this.claimsKey, Date.now(), key)
      .exec();
    return true;
  }

  /** Claims still waiting for a verdict: the sweeper re-queues those whose job went missing. */
  private get claimsKey(): string {
    return `${this.prefix}:claims`;
  }

  /** Keys claimed before `before` (epoch ms) that have no verdict yet, oldest first. */
  async openClaims(before: number, limit = 100): Promise<string[]> {
    return this.redis.zrangebyscore(this.claimsKey, 0, before, 'LIMIT', 0, limit);
  }

  /** The alert needs no more watching (a verdict, or its state is gone). */
  async closeClaim(key: string): Promise<void> {
    await this.redis.zrem(this.claimsKey, key);
  }

  async get(key: string): Promise<AlertState | undefined> {
    const h = await this.redis.hgetall(this.key(key));
    // Own fields only: nothing inherited (a polluted prototype) may pass for stored state.
    const own = (name: string): string | undefined => (Object.hasOwn(h, name) && typeof h[name] === 'string' && h[name] !== '' ? h[name] : undefined);
    const alertId = own('alertId');
    const raw = own('raw');
    const channel = own('channel');
    const threadTs = own('threadTs');
    if (!alertId || !raw || !channel || !threadTs) return undefined;
    const messageTs = own('messageTs');
    const verdictJson = own('verdict');
    const verdict = verdictJson === undefined ? undefined : readStoredVerdict(jsonOrUndefined(verdictJson));
    const decision = own('decision');
    const arrivedAt = own('arrivedAt');
    const suppression = own('suppression');
    const origin = ALERT_ORIGINS.find((o) => o === own('origin'));
    const parser = own('parser');
    const typed = alertOf({ raw, ...(parser ? { parser: Number(parser) } : {}), ...(own('alert') ? { alert: own('alert') } : {}) });
    return {
      alertId,
      raw,
      ...typed,
      channel,
      threadTs,
      ...(origin ? { origin } : {}),
      ...(messageTs ? { messageTs } : {}),
      runs: Number(own('runs') ?? 0),
      ...(own('postUncertain') ? { postUncertain: true } : {}),
      ...(verdict ? { verdict, verdictRun: Number(own('verdictRun') ?? 0) } : verdictJson ? { verdictUnreadable: true } : {}),
      ...(decision ? { decision: JSON.parse(decision) as Decision } : {}),
      ...(arrivedAt ? { arrivedAt, arrivalRun: Number(own('arrivalRun') ?? 0) } : {}),
      ...(suppression ? { suppression: JSON.parse(suppression) as Suppression } : {}),
    };
  }

  /**
   * A fresh body for a known alert (re-posted with other content, or looked up again by /triage): the alert is
   * investigated anew where it was asked for, and arrives anew. The old run's verdict and suppression were about the
   * old body and go; the decision stays unless `keepDecision` is false (origin.ts, decisionCarriesOver). Who may
   * replace whom is the caller's check (origin.ts, mayReplace). Returns the new run number.
   */
  async replace(key: string, next: { raw: string; stored?: StoredAlert; channel: string; threadTs: string; messageTs?: string; origin: AlertOrigin }, opts: { keepDecision: boolean }): Promise<number> {
    const gone = ['verdict', 'verdictRun', 'suppression', ...(next.stored ? [] : ['alert', 'parser']), ...(opts.keepDecision ? [] : ['decision']), ...(next.messageTs ? [] : ['messageTs'])];
    const res = await this.redis
      .multi()
      .hset(this.key(key), { raw: next.raw, ...storedFields(next.stored), channel: next.channel, threadTs: next.threadTs, origin: next.origin, arrivedAt: new Date().toISOString(), ...(next.messageTs ? { messageTs: next.messageTs } : {}) })
      .hdel(this.key(key), ...gone)
      .hincrby(this.key(key), 'runs', 1)
      .expire(this.key(key), TTL_SECONDS)
      .zadd(this.claimsKey, Date.now(), key)
      .exec();
    const run = Number(res?.[2]?.[1] ?? 0);
    await this.redis.hset(this.key(key), 'arrivalRun', String(run));
    return run;
  }

  async setMessage(key: string, messageTs: string): Promise<void> {
    await this.redis.hset(this.key(key), 'messageTs', messageTs);
  }

  /**
   * A post into the alert's thread may have reached Slack without our hearing back (a timeout): the next
   * delivery looks in the thread for it before posting, so it becomes the report instead of a second message.
   */
  async markPostUncertain(key: string, uncertain: boolean): Promise<void> {
    if (uncertain) await this.redis.hset(this.key(key), 'postUncertain', '1');
    else await this.redis.hdel(this.key(key), 'postUncertain');
  }

  /** Records the alert's message unless one is recorded already (the intake's status post and the worker's verdict may race). */
  async setMessageIfAbsent(key: string, messageTs: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.key(key), 'messageTs', messageTs)) === 1;
  }

  /**
   * The run's verdict, and the suppression of similar alerts in force when it was reached (or none) — only while the
   * run is the alert's latest: checked and written in one step, so a run overtaken by a re-post or a re-run never
   * lands over the newer one. Returns whether it landed.
   */
  async setVerdict(key: string, verdict: Verdict, run: number, suppression?: Suppression): Promise<boolean> {
    const landed = await this.redis.eval(SET_VERDICT_IF_CURRENT, 2, this.key(key), this.claimsKey, String(run), JSON.stringify(verdict), suppression ? JSON.stringify(suppression) : '', key);
    return landed === 1;
  }

  /** Records the first human decision only; returns the one that stands. */
  async decide(key: string, decision: Decision): Promise<{ recorded: boolean; decision: Decision }> {
    const set = await this.redis.hsetnx(this.key(key), 'decision', JSON.stringify(decision));
    if (set === 1) return { recorded: true, decision };
    const existing = await this.redis.hget(this.key(key), 'decision');
    return { recorded: false, decision: typeof existing === 'string' && existing !== '' ? (JSON.parse(existing) as Decision) : decision };
  }

  /** Adds what happened to the standing decision and returns it. */
  async setDecisionOutcome(key: string, outcome: string): Promise<Decision> {
    const existing = await this.redis.hget(this.key(key), 'decision');
    const decision = { ...(JSON.parse(existing ?? '{}') as Decision), outcome };
    await this.redis.hset(this.key(key), 'decision', JSON.stringify(decision));
    return decision;
  }

  async nextRun(key: string): Promise<number> {
    return this.redis.hincrby(this.key(key), 'runs', 1);
  }

  async recordVerdictSummary(entry: RecentVerdict): Promise<void> {
    await this.redis.multi().lpush(`${this.prefix}:recent`, JSON.stringify(entry)).ltrim(`${this.prefix}:recent`, 0, 19).exec();
  }

  async recentVerdicts(n = 5): Promise<RecentVerdict[]> {
    return (await this.redis.lrange(`${this.prefix}:recent`, 0, n - 1)).map((s) => JSON.parse(s) as RecentVerdict);
  }
}
