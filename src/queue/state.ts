// Per-alert state shared by the Slack app and the workers, in Redis next to the queue.
import { createHash } from 'node:crypto';
import type { Redis, Cluster } from 'ioredis';
import type { Verdict } from '../verdict.js';

/** A fixed-size key for any alert id, whatever characters it holds. */
export function alertKey(alertId: string): string {
  return createHash('sha256').update(alertId, 'utf8').digest('hex').slice(0, 32);
}

export interface Decision {
  kind: 'escalated' | 'dismissed';
  by: string;
  at: string;
  reason?: string;
  note?: string;
}

export interface AlertState {
  alertId: string;
  /** The alert as received (JSON text): the worker parses it again. */
  raw: string;
  channel: string;
  /** The alert's message (the thread parent); for /triage, the bot's own message. */
  threadTs: string;
  /** The bot's message that shows "Investigating…" and then the verdict. */
  messageTs?: string;
  runs: number;
  verdict?: Verdict;
  decision?: Decision;
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

export class AlertStateStore {
  constructor(
    private readonly redis: Redis | Cluster,
    /** Same hash-tagged prefix as the queue, so every key lives on one Redis Cluster slot. */
    private readonly prefix: string,
  ) {}

  private key(k: string): string {
    return `${this.prefix}:alert:${k}`;
  }

  /** Claims an alert for investigation; false when it was claimed before (a re-post). */
  async claim(key: string, state: Omit<AlertState, 'runs'>): Promise<boolean> {
    const created = await this.redis.hsetnx(this.key(key), 'alertId', state.alertId);
    if (created === 0) return false;
    await this.redis
      .multi()
      .hset(this.key(key), { raw: state.raw, channel: state.channel, threadTs: state.threadTs, runs: '0', ...(state.messageTs ? { messageTs: state.messageTs } : {}) })
      .expire(this.key(key), TTL_SECONDS)
      .exec();
    return true;
  }

  async get(key: string): Promise<AlertState | undefined> {
    const h = await this.redis.hgetall(this.key(key));
    if (!h['alertId'] || !h['raw'] || !h['channel'] || !h['threadTs']) return undefined;
    return {
      alertId: h['alertId'],
      raw: h['raw'],
      channel: h['channel'],
      threadTs: h['threadTs'],
      ...(h['messageTs'] ? { messageTs: h['messageTs'] } : {}),
      runs: Number(h['runs'] ?? 0),
      ...(h['verdict'] ? { verdict: JSON.parse(h['verdict']) as Verdict } : {}),
      ...(h['decision'] ? { decision: JSON.parse(h['decision']) as Decision } : {}),
    };
  }

  /** Points a known alert at a new message (a /triage re-investigation answered elsewhere). */
  async relocate(key: string, where: { channel: string; threadTs: string; messageTs: string }): Promise<void> {
    await this.redis.hset(this.key(key), { ...where });
  }

  async setMessage(key: string, messageTs: string): Promise<void> {
    await this.redis.hset(this.key(key), 'messageTs', messageTs);
  }

  async setVerdict(key: string, verdict: Verdict): Promise<void> {
    await this.redis.hset(this.key(key), 'verdict', JSON.stringify(verdict));
  }

  /** Records the first human decision only; returns the one that stands. */
  async decide(key: string, decision: Decision): Promise<{ recorded: boolean; decision: Decision }> {
    const set = await this.redis.hsetnx(this.key(key), 'decision', JSON.stringify(decision));
    if (set === 1) return { recorded: true, decision };
    const existing = await this.redis.hget(this.key(key), 'decision');
    return { recorded: false, decision: existing ? (JSON.parse(existing) as Decision) : decision };
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
