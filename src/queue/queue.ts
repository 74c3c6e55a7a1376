// The investigation queue (BullMQ on Redis): one job per alert run, ids derived from the alert id.
import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { z } from 'zod';
import { Cluster, Redis } from 'ioredis';
import type { Verdict, VerdictClass } from '../flows/verdict.js';
import { storeAlert } from '../alerts/stored.js';
import type { Alert } from '../alerts/types.js';

export const QUEUE_NAME = 'investigations';

/** The body a run investigates and the thread it answers in, as they were when the run was queued. */
export interface RunBody {
  raw: string;
  /** The canonical alert stored beside it (alerts/stored.ts); absent in older jobs (the body is parsed then). */
  alert?: string;
  parser?: number;
  channel: string;
  threadTs: string;
}

const runBodySchema = z.object({ raw: z.string().min(2), alert: z.string().optional(), parser: z.number().int().optional(), channel: z.string().min(1).max(64), threadTs: z.string().min(1).max(64) }).strict();

/** A job's body as it comes back from Redis: checked, or undefined (an older job without one, or a damaged one). */
export function runBodyOf(job: Pick<InvestigationJob, 'body'>): RunBody | undefined {
  const parsed = runBodySchema.safeParse(job.body);
  return parsed.success ? parsed.data : undefined;
}

/** A run of the record's current body (a re-run, a sweep, a redelivery): what the record holds now. */
export function runBody(record: { raw: string; alert?: Alert; channel: string; threadTs: string }): RunBody {
  return { raw: record.raw, ...(record.alert ? storeAlert(record.alert) : {}), channel: record.channel, threadTs: record.threadTs };
}

export interface InvestigationJob {
  alertKey: string;
  run: number;
  /**
   * Carried, never read from the record when the job runs: a re-post while the job waits must not change what it
   * investigates. Absent in jobs queued by older versions (the record's body is read then).
   */
  body?: RunBody;
}

/** The first run's id is the alert's: a re-posted alert maps to the same job. Re-runs get their own. */
export function jobIdFor(alertKey: string, run: number): string {
  return run === 0 ? `alert-${alertKey}` : `alert-${alertKey}-run-${run}`;
}

export const JOB_OPTIONS = {
  // Evidence sources fail transiently: 2 s, 4 s, 8 s, 16 s.
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} satisfies DefaultJobOptions;

/**
 * One Redis, or a Redis Cluster reached through its seed nodes (comma-separated URLs).
 * Every key carries the hash-tagged prefix, so BullMQ's multi-key scripts stay on one slot.
 */
export function redisConnection(url: string, cluster = false): Redis | Cluster {
  // BullMQ needs blocking commands to wait forever.
  const options = { maxRetriesPerRequest: null, enableReadyCheck: true } as const;
  if (!cluster) return new Redis(url.split(',')[0]!.trim(), options);
  const nodes = url.split(',').map((u) => {
    const parsed = new URL(u.trim());
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
  return new Cluster(nodes, { redisOptions: options });
}

/**
 * A connection whose commands fail at once while Redis is away (no offline queue, one retry, a command timeout),
 * for what must never wait on Redis: the alert intake's first step, whose failure sends a message to the buffer.
 */
export function failFastRedisConnection(url: string, cluster = false, commandTimeoutMs = 2000): Redis | Cluster {
  const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: commandTimeoutMs } as const;
  if (!cluster) return new Redis(url.split(',')[0]!.trim(), options);
  const nodes = url.split(',').map((u) => {
    const parsed = new URL(u.trim());
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
  return new Cluster(nodes, { redisOptions: options, enableOfflineQueue: false });
}

/** Verdict messages waiting for Slack: the most urgent first when Slack's rate limit holds them back. */
export const DELIVERY_QUEUE = 'deliveries';

export interface DeliveryJob {
  alertKey: string;
  run: number;
  /**
   * The run's verdict and thread, carried so a run overtaken by a newer one can still be shown when it is
   * malicious (a malicious verdict is never skipped as stale). Absent in jobs queued by older versions.
   */
  verdict?: Verdict;
  where?: { channel: string; threadTs: string };
}

export const deliveryJobId = (alertKey: string, run: number) => `deliver-${alertKey}-${run}`;

export const DELIVERY_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} satisfies DefaultJobOptions;

/**
 * BullMQ priority of a verdict's delivery (1 is first): flows.md's order — malicious, inconclusive, suspicious,
 * benign, then score descending. Within one priority BullMQ keeps arrival order, which follows alert order.
 */
export function deliveryPriority(verdict: VerdictClass, score: number | null): number {
  const rank = { malicious: 0, inconclusive: 1, suspicious: 2, benign: 3 }[verdict];
  return 1 + rank * 1000 + (score === null ? 0 : 100 - Math.max(0, Math.min(100, score)));
}

export function createDeliveryQueue(connection: ConnectionOptions, prefix: string): Queue<DeliveryJob> {
  return new Queue<DeliveryJob>(DELIVERY_QUEUE, { connection, prefix, defaultJobOptions: DELIVERY_JOB_OPTIONS });
}

/** The queue; every job gets JOB_OPTIONS (retries, backoff, retention) unless the caller says otherwise (tests). */
export function createQueue(connection: ConnectionOptions, prefix: string, jobOptions: DefaultJobOptions = JOB_OPTIONS): Queue<InvestigationJob> {
  return new Queue<InvestigationJob>(QUEUE_NAME, { connection, prefix, defaultJobOptions: jobOptions });
}
