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
import { QUEUE_NAME, type InvestigationJob } from './queue.js';
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
  const verdict = await investigate(alert, deps.engine);
  await deps.audit.verdict(verdict, { alertType: alert.type, jobId: job.id ?? '', attempt: job.attemptsMade + 1 });
  await deps.state.setVerdict(job.data.alertKey, verdict);
  const fresh = await deps.state.get(job.data.alertKey);
  const message = renderVerdict({ verdict, ...(alert.title ? { alertTitle: alert.title } : {}), alertKey: job.data.alertKey, ...(fresh?.decision ? { decision: fresh.decision } : {}) });
  if (state.messageTs) {
    await deps.slack.chat.update({ channel: state.channel, ts: state.messageTs, text: message.text, blocks: message.blocks });
  } else {
    const posted = await deps.slack.chat.postMessage({ channel: state.channel, thread_ts: state.threadTs, text: message.text, blocks: message.blocks });
    if (posted.ts) await deps.state.setMessage(job.data.alertKey, posted.ts);
  }
  try {
    await deps.slack.reactions.add({ channel: state.channel, timestamp: state.threadTs, name: VERDICT_STYLE[verdict.verdict].reaction });
  } catch (err) {
    // A re-run adds the same reaction again: Slack says already_reacted, which is fine.
    if ((err as { data?: { error?: string } }).data?.error !== 'already_reacted') throw err;
  }
  // The "being investigated" eyes give way to the verdict's reaction.
  await deps.slack.reactions.remove({ channel: state.channel, timestamp: state.threadTs, name: 'eyes' }).catch(() => undefined);
  await deps.state.recordVerdictSummary({ alertId: verdict.alert_id, flow: verdict.flow, verdict: verdict.verdict, score: verdict.score, at: new Date().toISOString() });
  return verdict;
}

/** The last attempt failed: the "Investigating…" message says so instead of waiting forever. */
async function reportFailure(job: Job<InvestigationJob>, err: Error, deps: WorkerDeps): Promise<void> {
  try {
    const state = await deps.state.get(job.data.alertKey);
    if (!state?.messageTs) return;
    const message = renderFailure(state.alertId, publicReason(err), job.data.alertKey, job.attemptsMade);
    await deps.slack.chat.update({ channel: state.channel, ts: state.messageTs, text: message.text, blocks: message.blocks });
  } catch (reportErr) {
    deps.log?.(`could not report the failure of job ${job.id ?? '?'}: ${(reportErr as Error).message}`);
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
