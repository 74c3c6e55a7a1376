// Prometheus text metrics: queue depth, job latency histogram, verdicts by flow and class, failed attempts and
// investigations that failed for good.
import { QueueEvents, type Queue } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import { QUEUE_NAME, type InvestigationJob } from '../queue/queue.js';

const BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300];

export class Metrics {
  private readonly latency = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
  private readonly verdicts = new Map<string, number>();
  /** Every failed attempt, retried or not. */
  private failedAttempts = 0;
  /** Jobs that gave up: attempts used up, or an error not worth retrying. */
  private failedJobs = 0;
  private events?: QueueEvents;

  constructor(private readonly queue: Queue<InvestigationJob>) {}

  observeLatency(seconds: number): void {
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.latency.buckets[i]!++;
    });
    this.latency.sum += seconds;
    this.latency.count++;
  }

  countVerdict(flow: string, verdict: string): void {
    const key = `flow="${flow}",verdict="${verdict}"`;
    this.verdicts.set(key, (this.verdicts.get(key) ?? 0) + 1);
  }

  countFailedAttempt(): void {
    this.failedAttempts++;
  }

  countFailedJob(): void {
    this.failedJobs++;
  }

  /**
   * Follows every worker's results through Redis, wherever the workers run. BullMQ's 'failed' event is a job's
   * last attempt only; an attempt that will be retried shows as 'delayed' (our jobs always back off), which a
   * job queued with a delay also emits, so only a job with attempts made counts.
   */
  listen(connection: ConnectionOptions, prefix: string, onError: (err: Error) => void = () => undefined): void {
    this.events = new QueueEvents(QUEUE_NAME, { connection, prefix });
    this.events.on('error', onError);
    this.events.on('completed', ({ jobId, returnvalue }) => {
      void this.onCompleted(jobId, returnvalue).catch(onError);
    });
    this.events.on('failed', () => {
      this.countFailedAttempt();
      this.countFailedJob();
    });
    this.events.on('delayed', ({ jobId }) => {
      void this.onDelayed(jobId).catch(onError);
    });
  }

  /** Resolves once events are being followed (events from before are not seen). */
  async whenListening(): Promise<void> {
    await this.events?.waitUntilReady();
  }

  private async onDelayed(jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (job && job.attemptsMade > 0 && job.failedReason) this.countFailedAttempt();
  }

  private async onCompleted(jobId: string, returnvalue: unknown): Promise<void> {
    const v = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as { flow?: string; verdict?: string } | null;
    if (v?.flow && v.verdict) this.countVerdict(v.flow, v.verdict);
    const job = await this.queue.getJob(jobId);
    if (job?.finishedOn) this.observeLatency((job.finishedOn - job.timestamp) / 1000);
  }

  async close(): Promise<void> {
    await this.events?.close();
  }

  async render(): Promise<string> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    const lines = [
      '# HELP triage_queue_jobs Jobs in the investigation queue by state.',
      '# TYPE triage_queue_jobs gauge',
      ...Object.entries(counts).map(([state, n]) => `triage_queue_jobs{state="${state}"} ${n}`),
      '# HELP triage_job_latency_seconds Time from queueing to verdict.',
      '# TYPE triage_job_latency_seconds histogram',
      ...BUCKETS.map((b, i) => `triage_job_latency_seconds_bucket{le="${b}"} ${this.latency.buckets[i]}`),
      `triage_job_latency_seconds_bucket{le="+Inf"} ${this.latency.count}`,
      `triage_job_latency_seconds_sum ${this.latency.sum}`,
      `triage_job_latency_seconds_count ${this.latency.count}`,
      '# HELP triage_verdicts_total Verdicts by flow and class.',
      '# TYPE triage_verdicts_total counter',
      ...[...this.verdicts.entries()].map(([labels, n]) => `triage_verdicts_total{${labels}} ${n}`),
      '# HELP triage_job_failures_total Failed investigation attempts, retried or not.',
      '# TYPE triage_job_failures_total counter',
      `triage_job_failures_total ${this.failedAttempts}`,
      '# HELP triage_jobs_failed_total Investigations that failed for good (every attempt used, or an error not worth retrying).',
      '# TYPE triage_jobs_failed_total counter',
      `triage_jobs_failed_total ${this.failedJobs}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
