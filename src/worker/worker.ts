// The worker: runs one investigation per job and writes the audit record; the verdict message then goes out
// through the delivery queue, most urgent first, at the pace Slack allows (deliveries.ts).
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { investigate } from '../flows/engine.js';
import { renderFailure, renderVerdict } from '../slack/render.js';
import type { Verdict } from '../flows/verdict.js';
import { publicReason } from '../ops/public-error.js';
import { createDeliveryQueue, deliveryJobId, deliveryPriority, jobIdFor, QUEUE_NAME, runBody, runBodyOf, type DeliveryJob, type InvestigationJob } from '../queue/queue.js';
import { deliver } from '../slack/delivery.js';
import { startDeliveryWorker, startPictures } from './deliveries.js';
import type { PictureLane } from '../slack/picture-upload.js';
import type { PicturePool } from '../pictures/pool.js';
import type { Queue } from 'bullmq';
import { storedAlert, type WorkerDeps } from './deps.js';
import { similarityKey } from '../suppress/key.js';

export async function processInvestigation(job: Job<InvestigationJob>, deps: WorkerDeps, deliveries: Queue<DeliveryJob>): Promise<Verdict> {
  const key = job.data.alertKey;
  const run = job.data.run;
  const state = await deps.state.get(key);
  if (!state) throw new UnrecoverableError(`no state for alert key ${key}`);
  // The body the run was queued with; the record's only for jobs queued before bodies were carried.
  const carried = runBodyOf(job.data);
  if (job.data.body !== undefined && !carried) throw new UnrecoverableError(`job ${job.id ?? '?'} carries a body that is not one`);
  const body = carried ?? runBody(state);
  const alert = storedAlert(body);
  // Evidence errors propagate: BullMQ retries the job with exponential backoff.
  const verdict = await investigate(alert, deps.engine);
  const reachedAt = new Date().toISOString();
  // Suppressed or not, the alert is investigated and recorded; the delivery decides how it is answered.
  const similar = similarityKey(alert, verdict);
  const suppression = similar ? await deps.state.suppressions.active(similar.id) : undefined;
  const landed = await deps.state.setVerdict(key, verdict, run, suppression);
  // A run overtaken by a newer one (re-posted, re-run) is not shown — unless malicious: then in its own thread.
  if (landed || verdict.verdict === 'malicious') {
    await deliveries.add('deliver', { alertKey: key, run, verdict, where: { channel: body.channel, threadTs: body.threadTs } }, { jobId: deliveryJobId(key, run), priority: deliveryPriority(verdict.verdict, verdict.score) });
  }
  // After the delivery is queued, so an audit failure never holds the verdict back; the job's retry writes it
  // again. The audit id is the job's (one per alert run): a retry rewrites its record, never adds another.
  await deps.audit.verdict(verdict, {
    alertType: alert.type,
    jobId: job.id ?? jobIdFor(key, run),
    attempt: job.attemptsMade + 1,
    ...(state.arrivedAt ? { arrivedAt: state.arrivedAt } : {}),
    answersArrival: landed && run === (state.arrivalRun ?? 0),
    reachedAt,
    ...(suppression ? { suppression } : {}),
  });
  if (landed) await deps.state.recordVerdictSummary({ alertId: verdict.alert_id, flow: verdict.flow, verdict: verdict.verdict, score: verdict.score, at: new Date().toISOString() });
  return verdict;
}

/**
 * The last attempt failed. Without any verdict the status message says why, with Re-run; a verdict of this run
 * is left to its delivery; a failed re-run puts the previous verdict back, with a one-line note.
 */
async function reportFailure(job: Job<InvestigationJob>, err: Error, deps: WorkerDeps): Promise<void> {
  try {
    const key = job.data.alertKey;
    const state = await deps.state.get(key);
    if (!state) return;
    // A newer run answers for the alert; this run's verdict, if any, is left to its delivery.
    if (job.data.run !== state.runs || (state.verdict && state.verdictRun === job.data.run)) return;
    const reason = publicReason(err);
    let message;
    if (state.verdict) {
      const title = state.alert?.title;
      message = renderVerdict({
        verdict: state.verdict,
        alertKey: key,
        ...(title ? { alertTitle: title } : {}),
        ...(state.alert ? { alertTime: state.alert.time } : {}),
        ...(state.decision ? { decision: state.decision } : {}),
        note: `⚠️ The re-run failed (${reason}); this is the previous verdict.`,
        contain: deps.offerContainment ?? false,
        ...(deps.kibana ? { kibana: deps.kibana } : {}),
      });
    } else {
      message = renderFailure(state.alertId, reason, key, job.attemptsMade);
    }
    await deliver(deps.slack, deps.state, key, state, message);
  } catch (reportErr) {
    deps.log?.(`could not report the failure of job ${job.id ?? '?'}: ${(reportErr as Error).message}`);
  }
}

export interface Workers {
  investigations: Worker<InvestigationJob, Verdict>;
  deliveries: Worker<DeliveryJob, void>;
  /** The pictures after the verdicts: the lane that uploads them, the pool of renderer processes that draws them. */
  pictures: { lane: PictureLane; pool: PicturePool };
  close(): Promise<void>;
}

/** Job locks: a worker that dies mid-job loses its lock, and another picks the job up after about their sum. */
export interface LockTiming {
  lockDurationMs: number;
  stalledIntervalMs: number;
}

export function startWorker(connection: ConnectionOptions, prefix: string, concurrency: number, deps: WorkerDeps, locks: LockTiming = { lockDurationMs: 60_000, stalledIntervalMs: 30_000 }): Workers {
  const deliveryQueue = createDeliveryQueue(connection, prefix);
  const investigations = new Worker<InvestigationJob, Verdict>(QUEUE_NAME, (job) => processInvestigation(job, deps, deliveryQueue), {
    connection,
    prefix,
    concurrency,
    lockDuration: locks.lockDurationMs,
    stalledInterval: locks.stalledIntervalMs,
  });
  investigations.on('failed', (job, err) => {
    deps.log?.(`job ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${err.message}`);
    if (job && (job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError)) void reportFailure(job, err, deps);
  });
  const pictures = startPictures(deps);
  const deliveries = startDeliveryWorker(connection, prefix, deps, locks, pictures.lane);
  return {
    investigations,
    deliveries,
    pictures,
    close: async () => {
      await Promise.all([investigations.close(), deliveries.close()]);
      await Promise.all([deliveryQueue.close(), pictures.pool.close()]);
    },
  };
}
