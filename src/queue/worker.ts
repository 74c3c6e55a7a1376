// The worker: runs one investigation per job, writes the audit record, and turns the job's
// "Investigating…" message into the verdict (a retried job updates the same message).
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { WebClient } from '@slack/web-api';
import { AlertParseError, parseAlertStrict } from '../alerts/parse.js';
import { investigate, type EngineDeps } from '../engine.js';
import type { Audit } from '../audit.js';
import { renderFailure, renderVerdict, VERDICT_STYLE } from '../slack/render.js';
import type { Verdict } from '../verdict.js';
import { publicReason } from '../ops/public-error.js';
import { jobIdFor, QUEUE_NAME, type InvestigationJob } from './queue.js';
import { deliver, react } from './delivery.js';
import type { AlertStateStore } from './state.js';

export interface WorkerDeps {
  engine: EngineDeps;
  slack: WebClient;
  state: AlertStateStore;
  audit: Audit;
  log?: (msg: string) => void;
}

export async function processInvestigation(job: Job<InvestigationJob>, deps: WorkerDeps): Promise<Verdict> {
  const state = await deps.state.get(job.data.alertKey);
  if (!state) throw new UnrecoverableError(`no state for alert key ${job.data.alertKey}`);
  let alert;
  try {
    alert = parseAlertStrict(state.raw);
  } catch (err) {
    if (err instanceof AlertParseError) throw Object.assign(new UnrecoverableError(`the alert no longer parses (${err.message})`), { cause: err });
    throw err;
  }
  // Evidence errors propagate: BullMQ retries the job with exponential backoff.
  const key = job.data.alertKey;
  const verdict = await investigate(alert, deps.engine);
  // The audit id is the job's (one per alert run): a retried job rewrites its record, never adds another.
  await deps.audit.verdict(verdict, { alertType: alert.type, jobId: job.id ?? jobIdFor(key, job.data.run), attempt: job.attemptsMade + 1 });
  await deps.state.setVerdict(key, verdict, job.data.run);
  const fresh = (await deps.state.get(key)) ?? state;
  const message = renderVerdict({ verdict, ...(alert.title ? { alertTitle: alert.title } : {}), alertKey: key, ...(fresh.decision ? { decision: fresh.decision } : {}) });
  await deliver(deps.slack, deps.state, key, fresh, message);
  await react(deps.slack, 'add', { channel: state.channel, timestamp: state.threadTs, name: VERDICT_STYLE[verdict.verdict].reaction }, deps.log);
  // The "being investigated" eyes give way to the verdict's reaction.
  await react(deps.slack, 'remove', { channel: state.channel, timestamp: state.threadTs, name: 'eyes' }, deps.log);
  await deps.state.recordVerdictSummary({ alertId: verdict.alert_id, flow: verdict.flow, verdict: verdict.verdict, score: verdict.score, at: new Date().toISOString() });
  return verdict;
}

/**
 * The last attempt failed. Without any verdict the status message says why, with Re-run; a verdict already
 * delivered by this run is left alone; a failed re-run puts the previous verdict back, with a one-line note.
 */
async function reportFailure(job: Job<InvestigationJob>, err: Error, deps: WorkerDeps): Promise<void> {
  try {
    const key = job.data.alertKey;
    const state = await deps.state.get(key);
    if (!state) return;
    if (state.verdict && state.verdictRun === job.data.run) return;
    const reason = publicReason(err);
    let message;
    if (state.verdict) {
      const parsed = recogniseAlertText(state.raw);
      message = renderVerdict({
        verdict: state.verdict,
        alertKey: key,
        ...(parsed?.title ? { alertTitle: parsed.title } : {}),
        ...(state.decision ? { decision: state.decision } : {}),
        note: `⚠️ The re-run failed (${reason}); this is the previous verdict.`,
      });
    } else {
      message = renderFailure(state.alertId, reason, key, job.attemptsMade);
    }
    await deliver(deps.slack, deps.state, key, state, message);
  } catch (reportErr) {
    deps.log?.(`could not report the failure of job ${job.id ?? '?'}: ${(reportErr as Error).message}`);
  }
}

/** The stored alert, if it still parses (for its title). */
function recogniseAlertText(raw: string) {
  try {
    return parseAlertStrict(raw);
  } catch {
    return undefined;
  }
}

export function startWorker(connection: ConnectionOptions, prefix: string, concurrency: number, deps: WorkerDeps): Worker<InvestigationJob, Verdict> {
  const worker = new Worker<InvestigationJob, Verdict>(QUEUE_NAME, (job) => processInvestigation(job, deps), {
    connection,
    prefix,
    concurrency,
    // A worker that dies mid-job loses its lock; another picks the job up.
    lockDuration: 60_000,
    stalledInterval: 30_000,
  });
  worker.on('failed', (job, err) => {
    deps.log?.(`job ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${err.message}`);
    if (job && (job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError)) void reportFailure(job, err, deps);
  });
  return worker;
}
