// /metrics counts what its help text says, following real BullMQ workers through real Redis.
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/ops/metrics.js';
import { QUEUE_NAME, type InvestigationJob } from '../../src/queue/queue.js';
import { testRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const redis = testRedis('metrics', { attempts: 3, backoff: { type: 'fixed', delay: 50 } });
const metrics = new Metrics(redis.queue);
let worker: Worker<InvestigationJob> | undefined;

afterAll(async () => {
  await worker?.close();
  await metrics.close();
  await redis.cleanup();
});

function counter(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

describe('metrics', () => {
  it('triage_job_failures_total counts every failed attempt; triage_jobs_failed_total the jobs that gave up', async () => {
    metrics.listen(redis.connection, redis.prefix);
    await metrics.whenListening();
    const failuresBefore = new Map<string, number>();
    worker = new Worker<InvestigationJob>(
      QUEUE_NAME,
      async (job) => {
        const failed = failuresBefore.get(job.data.alertKey) ?? 0;
        failuresBefore.set(job.data.alertKey, failed + 1);
        if (job.data.alertKey === 'always-fails') throw new Error('Elasticsearch unreachable');
        if (job.data.alertKey === 'fails-once' && failed === 0) throw new Error('Elasticsearch unreachable');
        if (job.data.alertKey === 'unrecoverable') throw new UnrecoverableError('the alert no longer parses');
        return { flow: 'aws_instance_credentials', verdict: 'benign' };
      },
      { connection: redis.connection, prefix: redis.prefix },
    );
    // 3 failed attempts (gives up), 1 failed attempt then a verdict, 1 failed attempt (not retried), 1 clean run.
    await redis.queue.add('investigate', { alertKey: 'always-fails', run: 0 }, { jobId: 'm-always' });
    await redis.queue.add('investigate', { alertKey: 'fails-once', run: 0 }, { jobId: 'm-once' });
    await redis.queue.add('investigate', { alertKey: 'unrecoverable', run: 0 }, { jobId: 'm-unrecoverable' });
    await redis.queue.add('investigate', { alertKey: 'clean', run: 0 }, { jobId: 'm-clean' }); // never counted, even if delayed:
    await redis.queue.add('investigate', { alertKey: 'clean-later', run: 0 }, { jobId: 'm-delayed', delay: 20 });

    const text = await waitFor(
      'every job finished and counted',
      async () => {
        const counts = await redis.queue.getJobCounts('completed', 'failed');
        const t = await metrics.render();
        return counts['completed'] === 3 && counts['failed'] === 2 && counter(t, 'triage_jobs_failed_total') === 2 && counter(t, 'triage_job_failures_total') >= 5 && counter(t, 'triage_verdicts_total{flow="aws_instance_credentials",verdict="benign"}') === 3 ? t : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(text).toContain('# HELP triage_job_failures_total Failed investigation attempts, retried or not.');
    expect(counter(text, 'triage_job_failures_total')).toBe(5);
    expect(counter(text, 'triage_jobs_failed_total')).toBe(2);
  });
});
