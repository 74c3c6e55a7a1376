// Suppressions in Redis, next to the queue (the same hash-tagged prefix: one Redis Cluster slot). Each lives
// under its similarity key until it expires (Redis drops it then); a sorted set by expiry lists them.
import type { Cluster, Redis } from 'ioredis';
import { z } from 'zod';
import { SLACK_ID } from '../config.js';
import { FLOWS, type FlowName, type VerdictClass } from '../flows/verdict.js';
import type { SimilarityKind } from './key.js';

export interface Suppression {
  /** The similarity key (32 hex characters). */
  id: string;
  flow: FlowName;
  kind: SimilarityKind;
  /** What similar alerts share (values from the alert or evidence). */
  parts: string[];
  /** Slack user id of the responder who suppressed. */
  by: string;
  /** The dismissal reason it came with (false_positive …). */
  reason: string;
  /** The alert whose dismissal created it. */
  alertId: string;
  createdAt: string;
  until: string;
  /**
   * The verdict dismissed with it: only verdicts no more severe are quieted (answer.ts). Absent in suppressions
   * made before it was kept: those quiet benign verdicts only.
   */
  verdict?: VerdictClass;
  score?: number | null;
}

/** How long a responder may suppress similar alerts for. */
export const SUPPRESSION_DAYS = [1, 7, 30] as const;
export type SuppressionDays = (typeof SUPPRESSION_DAYS)[number];

const schema = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  flow: z.enum(FLOWS),
  kind: z.string() as z.ZodType<SimilarityKind>,
  parts: z.array(z.string()),
  // Shown in our own mrkdwn lines (a mention, a time): held to their shapes.
  by: z.string().regex(SLACK_ID),
  reason: z.string(),
  alertId: z.string(),
  createdAt: z.string().datetime(),
  until: z.string().datetime(),
  verdict: z.enum(['malicious', 'suspicious', 'inconclusive', 'benign']).optional(),
  score: z.number().min(0).max(100).nullable().optional(),
});

/** A stored suppression, or undefined for anything that is not one (never trusted blindly, even from our Redis). */
function parse(text: string | null | undefined): Suppression | undefined {
  if (!text) return undefined;
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** Listing stops here: the Home tab and /triage show at most this many (the soonest to expire first). */
const LIST_LIMIT = 200;

export class SuppressionStore {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:suppression:${id}`;
  }

  private get index(): string {
    return `${this.prefix}:suppressions`;
  }

  /** Stores a suppression until its expiry, replacing one of the same key; returns the one it replaced. */
  async create(s: Suppression): Promise<Suppression | undefined> {
    const until = Date.parse(s.until);
    if (!Number.isFinite(until) || until <= Date.now()) throw new Error('a suppression must end in the future');
    const res = await this.redis.multi().set(this.key(s.id), JSON.stringify(s), 'PXAT', until, 'GET').zadd(this.index, until, s.id).exec();
    const [err, previous] = res?.[0] ?? [null, null];
    if (err) throw err;
    return parse(previous as string | null);
  }

  /** The suppression in force for a similarity key, if any. */
  async active(id: string, now = Date.now()): Promise<Suppression | undefined> {
    if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
    const s = parse(await this.redis.get(this.key(id)));
    return s && Date.parse(s.until) > now ? s : undefined;
  }

  /** Suppressions in force, the soonest to expire first; expired entries of the list are dropped on the way. */
  async list(now = Date.now()): Promise<Suppression[]> {
    await this.redis.zremrangebyscore(this.index, '-inf', now);
    const ids = await this.redis.zrange(this.index, 0, LIST_LIMIT - 1);
    if (ids.length === 0) return [];
    const values = await this.redis.mget(...ids.map((id) => this.key(id)));
    return values.map(parse).filter((s): s is Suppression => s !== undefined && Date.parse(s.until) > now);
  }

  /** Lifts a suppression; returns it when this call lifted it (undefined: it had expired or was lifted already). */
  async lift(id: string): Promise<Suppression | undefined> {
    if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
    const res = await this.redis.multi().getdel(this.key(id)).zrem(this.index, id).exec();
    const [err, value] = res?.[0] ?? [null, null];
    if (err) throw err;
    return parse(value as string | null);
  }
}
