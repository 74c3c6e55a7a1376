// Prometheus text metrics: queue depth, job latency histogram, verdicts by flow and class, failed attempts and
// investigations that failed for good, and the bot's track record (read from the audit at most once a minute).
import { QueueEvents, type Queue } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import { QUEUE_NAME, type InvestigationJob } from '../queue/queue.js';
import type { TrackRecord } from '../audit/track-record.js';

const BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300];
/** Within /metrics' own bound (4 s), with room for the queue counts. */
const TRACK_RECORD_TIMEOUT_MS = 2000;

/** A gauge's HELP and TYPE, then its samples (Prometheus' text format keeps a metric's lines together). */
const gauge = (name: string, help: string, samples: string[]): string[] => [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...samples];

export class Metrics {
  private readonly latency = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
  private readonly verdicts = new Map<string, number>();
  /** Every failed attempt, retried or not. */
  private failedAttempts = 0;
  /** Jobs that gave up: attempts used up, or an error not worth retrying. */
  private failedJobs = 0;
  /** Side effects of buttons by action, effect and outcome (labels are our own words). */
  private readonly buttonEffects = new Map<string, number>();
  private events?: QueueEvents;
  private trackRecord?: { read: () => Promise<TrackRecord>; ttlMs: number; last?: { at: number; record: TrackRecord }; pending?: Promise<TrackRecord> };

  /** More samples from parts that keep their own counts (the catch-up, the intake buffer). */
  private readonly sections: Array<() => string[]> = [];

  constructor(private readonly queue: Queue<InvestigationJob>) {}

  addSection(lines: () => string[]): void {
    this.sections.push(lines);
  }

  /** Adds the track record's gauges, read through `read` at most once per `ttlMs` (scrapes come often). */
  followTrackRecord(read: () => Promise<TrackRecord>, ttlMs = 60_000): void {
    this.trackRecord = { read, ttlMs };
  }

  /** The track record's gauges; Elasticsearch being away leaves them out (and says so), never the queue's lines. */
  private async trackRecordLines(): Promise<string[]> {
    const t = this.trackRecord;
    if (!t) return [];
    const up = (ok: boolean) => gauge('triage_track_record_up', '1 when the track record could be read from the audit indices.', [`triage_track_record_up ${ok ? 1 : 0}`]);
    let record: TrackRecord;
    try {
      if (!t.last || Date.now() - t.last.at >= t.ttlMs) {
        // One read at a time, bounded: a slow Elasticsearch must not take the queue's metrics down with it.
        t.pending ??= t.read().finally(() => (t.pending = undefined));
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('track record: no answer in time')), TRACK_RECORD_TIMEOUT_MS)));
        t.last = { at: Date.now(), record: await Promise.race([t.pending, timeout]).finally(() => clearTimeout(timer)) };
      }
      record = t.last.record;
    } catch {
      return up(false);
    }
    const agreement: string[] = [];
    const flagged: string[] = [];
    const alerts: string[] = [];
    const medians: string[] = [];
    for (const w of record.windows) {
      const window = `window="${w.days}d"`;
      for (const f of w.flows) {
        const flow = `flow="${f.flow}"`;
        if (f.agreement !== null) agreement.push(`triage_track_record_agreement{${flow},${window}} ${f.agreement}`);
        flagged.push(`triage_track_record_flagged{${flow},${window}} ${f.flagged ? 1 : 0}`);
        for (const c of f.classes) {
          const labels = `${flow},verdict="${c.verdict}"`;
          for (const outcome of ['agreed', 'overruled', 'excluded'] as const) alerts.push(`triage_track_record_alerts{${labels},outcome="${outcome}",${window}} ${c[outcome]}`);
          if (c.medianToVerdict !== null) medians.push(`triage_track_record_median_seconds{${labels},until="verdict",${window}} ${c.medianToVerdict}`);
          if (c.medianToDecision !== null) medians.push(`triage_track_record_median_seconds{${labels},until="decision",${window}} ${c.medianToDecision}`);
        }
      }
    }
    return [
      ...up(true),
      ...gauge('triage_track_record_agreement', 'Share of judged verdicts responders agreed with, agreed / (agreed + overruled), by flow and window (alerts arrived in the last 7 or 30 days); absent when none was judged.', agreement),
      ...gauge('triage_track_record_flagged', `1 when the flow's agreement is below the minimum (TRACK_RECORD_MIN_AGREEMENT, now ${record.minAgreement}).`, flagged),
      ...gauge('triage_track_record_alerts', 'Alerts by flow, verdict class and outcome of the human decision (agreed, overruled, excluded), by window.', alerts),
      ...gauge('triage_track_record_median_seconds', "Median seconds from the alert's arrival to the verdict or to a human decision, by flow, verdict class and window.", medians),
    ];
  }

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

  countButtonEffect(action: string, effect: string, outcome: 'ok' | 'failed'): void {
    const key = `action="${action}",effect="${effect}",outcome="${outcome}"`;
    this.buttonEffects.set(key, (this.buttonEffects.get(key) ?? 0) + 1);
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
      '# HELP triage_button_effects_total Side effects of buttons (Slack posts and updates, PagerDuty, audit, suppressions) by action, effect and outcome.',
      '# TYPE triage_button_effects_total counter',
      ...[...this.buttonEffects.entries()].map(([labels, n]) => `triage_button_effects_total{${labels}} ${n}`),
      ...this.sections.flatMap((lines) => lines()),
      ...(await this.trackRecordLines()),
    ];
    return `${lines.join('\n')}\n`;
  }
}
