// The investigation queue (BullMQ on Redis): one job per alert run, ids derived from the alert id.
import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';

export const QUEUE_NAME = 'investigations';

export interface InvestigationJob {
  alertKey: string;
  run: number;
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
} as const;

export function redisConnection(url: string): Redis {
  // BullMQ needs blocking commands to wait forever.
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

export function createQueue(connection: ConnectionOptions, prefix: string): Queue<InvestigationJob> {
  return new Queue<InvestigationJob>(QUEUE_NAME, { connection, prefix });
}
