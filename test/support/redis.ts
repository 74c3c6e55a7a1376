// Real Redis for tests: each suite gets its own hash-tagged prefix and removes its keys afterwards.
import { randomBytes } from 'node:crypto';
import type { DefaultJobOptions } from 'bullmq';
import { createQueue, redisConnection } from '../../src/queue/queue.js';
import { AlertStateStore } from '../../src/queue/state.js';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Tests retry fast: two attempts, 100 ms apart, unless a suite asks for the production options. */
export const TEST_JOB_OPTIONS = { attempts: 2, backoff: { type: 'fixed', delay: 100 } } as const;

export function testRedis(name: string, jobOptions: DefaultJobOptions = TEST_JOB_OPTIONS) {
  const prefix = `{triage-${name}-${randomBytes(3).toString('hex')}}`;
  const connection = redisConnection(REDIS_URL);
  const queue = createQueue(connection, prefix, jobOptions);
  const state = new AlertStateStore(connection, prefix);
  return {
    prefix,
    connection,
    queue,
    state,
    async cleanup(): Promise<void> {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      const keys = await connection.keys(`${prefix}*`);
      if (keys.length) await connection.del(...keys);
      await connection.quit();
    },
  };
}
