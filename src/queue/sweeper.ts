// No alert lost between claim and queue: a claim older than a few minutes with neither a job nor a verdict
// (the app died, or Redis refused the job, right after claiming) is queued again. Job ids are derived from the
// alert, so two sweepers, or a sweeper racing the intake, can only ever add the same job once.
import type { Queue } from 'bullmq';
import { jobIdFor, runBody, type InvestigationJob } from './queue.js';
import type { AlertStateStore } from './state.js';

export const SWEEP_AFTER_MS = 3 * 60_000;

/** One pass; returns the keys it queued again. */
export async function sweepClaims(queue: Queue<InvestigationJob>, state: AlertStateStore, olderThanMs = SWEEP_AFTER_MS, now = Date.now()): Promise<string[]> {
  const requeued: string[] = [];
  for (const key of await state.openClaims(now - olderThanMs)) {
    const s = await state.get(key);
    if (!s || s.verdict) {
      await state.closeClaim(key);
      continue;
    }
    const jobId = jobIdFor(key, s.runs);
    // A job that exists (waiting, active, retrying, even failed) is the queue's to finish or report.
    if (await queue.getJob(jobId)) {
      await state.closeClaim(key);
      continue;
    }
    await queue.add('investigate', { alertKey: key, run: s.runs, body: runBody(s) }, { jobId });
    await state.closeClaim(key);
    requeued.push(key);
  }
  return requeued;
}

export function startSweeper(queue: Queue<InvestigationJob>, state: AlertStateStore, log: (msg: string) => void, everyMs = 60_000): () => void {
  const timer = setInterval(() => {
    sweepClaims(queue, state).then(
      (keys) => keys.length && log(`re-queued ${keys.length} alert(s) claimed without a job: ${keys.join(', ')}`),
      (err: unknown) => log(`claim sweep failed: ${(err as Error).message}`),
    );
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
