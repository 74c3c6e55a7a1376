// Verdict messages to Slack, one at a time per worker process, most urgent first. When Slack's rate limit
// holds them back, the whole delivery queue pauses for Retry-After and then resumes with the highest priority
// (flows.md: malicious, inconclusive, suspicious, benign; score descending), not with whichever waited longest.
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { readStoredVerdict, type StoredVerdict } from '../flows/stored-verdict.js';
import { PictureLane } from '../slack/picture-upload.js';
import { DEFAULT_PICTURE_POOL, PicturePool } from '../pictures/pool.js';
import { renderSuppressed, renderVerdict, VERDICT_STYLE } from '../slack/render.js';
import { answerFor } from '../suppress/answer.js';
import { DELIVERY_QUEUE, type DeliveryJob } from '../queue/queue.js';
import { deliver } from '../slack/delivery.js';
import { settleReactions } from '../slack/reactions.js';
import { rateLimitedFor } from '../slack/errors.js';
import type { WorkerDeps } from './deps.js';

async function deliverVerdict(job: Job<DeliveryJob>, deps: WorkerDeps, worker: Worker<DeliveryJob, void>, pictures: PictureLane): Promise<void> {
  const key = job.data.alertKey;
  const state = await deps.state.get(key);
  if (!state?.verdict || state.verdictRun !== job.data.run) {
    // A newer run (or a replaced alert) has its own delivery; a malicious verdict of this one is still said.
    // The job's copy came back from Redis: checked like the alert record's.
    const carried = job.data.verdict === undefined ? undefined : readStoredVerdict(job.data.verdict);
    if (carried?.verdict === 'malicious' && job.data.where) await deliverOvertaken(carried, job.data.where, key, deps, worker);
    return;
  }
  const alert = state.alert;
  const title = alert?.title;
  // Suppressed similar alerts are answered with one quiet line, unless malicious (then in full, naming the suppression).
  const answer = await answerFor(state, deps.state.suppressions);
  const message = answer.quiet
    ? renderSuppressed(state.verdict, answer.suppression)
    : renderVerdict({ verdict: state.verdict, alertKey: key, ...(title ? { alertTitle: title } : {}), ...(state.alert ? { alertTime: state.alert.time } : {}), ...(state.decision ? { decision: state.decision } : {}), ...(answer.suppression ? { suppression: answer.suppression } : {}), contain: deps.offerContainment ?? false, ...(deps.kibana ? { kibana: deps.kibana } : {}) });
  await holdingBackOnRateLimit(worker, () => deliver(deps.slackDelivery ?? deps.slack, deps.state, key, state, message));
  // Reactions are a courtesy: they wait out their own limits without holding the next verdict back. They settle on
  // what the message carries (the intake's eyes may land late): exactly the verdict's, or none for a quiet answer.
  void (async () => {
    const now = await deps.state.get(key);
    if (now?.verdictRun !== job.data.run) return; // a newer run settles them
    await settleReactions(deps.slack, { channel: state.channel, timestamp: state.threadTs }, answer.quiet ? undefined : VERDICT_STYLE[state.verdict!.verdict].reaction, deps.log);
  })().catch((err: unknown) => deps.log?.(`reactions not settled: ${(err as Error).message}`));
  // The evidence as a picture follows a full verdict in its thread (a quiet suppressed answer gets none): queued,
  // never awaited here, drawn by a renderer process once verdicts pause (src/slack/picture-upload.ts).
  if (!answer.quiet) pictures.post({ verdict: state.verdict, ...(alert ? { alertTime: alert.time } : {}) }, { channel: state.channel, threadTs: state.threadTs });
}

/** Waits out Slack's rate limit through the queue (the next verdict taken is then the most urgent). */
async function holdingBackOnRateLimit(worker: Worker<DeliveryJob, void>, send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (err) {
    const wait = rateLimitedFor(err);
    if (wait === undefined) throw err;
    await worker.rateLimit(wait * 1000);
    throw Worker.RateLimitError();
  }
}

/** A malicious verdict of a run a newer one overtook: posted in that run's thread, saying so; the report stays the newer run's. */
async function deliverOvertaken(verdict: StoredVerdict, where: { channel: string; threadTs: string }, key: string, deps: WorkerDeps, worker: Worker<DeliveryJob, void>): Promise<void> {
  const message = renderVerdict({ verdict, alertKey: key, note: '⚠️ The verdict of an earlier run of this alert (it was posted again or re-run since), shown because it is malicious. Act on the latest report.' });
  await holdingBackOnRateLimit(worker, () => (deps.slackDelivery ?? deps.slack).chat.postMessage({ channel: where.channel, thread_ts: where.threadTs, text: message.text, blocks: message.blocks as never }));
}

/** Pictures drawn in a pool of renderer processes, uploaded after their verdict (deps.slack waits out Slack's rate limits: no verdict is held back). */
export function startPictures(deps: WorkerDeps): { lane: PictureLane; pool: PicturePool } {
  const pool = new PicturePool({ ...deps.pictures, ...(deps.log ? { log: deps.log } : {}) });
  const options = { ...DEFAULT_PICTURE_POOL, ...deps.pictures };
  const lane = new PictureLane(deps.slack, deps.log, { render: (input) => pool.render(input), parallel: pool.size, maxWaiting: options.renderers + options.maxQueued });
  return { lane, pool };
}

export function startDeliveryWorker(connection: ConnectionOptions, prefix: string, deps: WorkerDeps, locks: { lockDurationMs: number; stalledIntervalMs: number }, pictures: PictureLane): Worker<DeliveryJob, void> {
  const worker: Worker<DeliveryJob, void> = new Worker<DeliveryJob, void>(DELIVERY_QUEUE, (job) => deliverVerdict(job, deps, worker, pictures), {
    connection,
    prefix,
    concurrency: 1,
    lockDuration: locks.lockDurationMs,
    stalledInterval: locks.stalledIntervalMs,
  });
  worker.on('failed', (job, err) => deps.log?.(`delivery ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${err.message}`));
  return worker;
}
