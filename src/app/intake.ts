// Alert messages: find the alert JSON in a message's text or code block and queue it (attached files: files.ts).
import type { Queue } from 'bullmq';
import type { WebClient } from '@slack/web-api';
import { parseAlertsText, type AlertsOutcome } from '../flows/recognise.js';
import { AlertParseError, type Alert } from '../alerts/types.js';
import { jobIdFor, runBody, type InvestigationJob } from '../queue/queue.js';
import { storeAlert } from '../alerts/stored.js';
import { alertKey, type AlertState, type AlertStateStore } from '../queue/state.js';
import { decisionCarriesOver, mayReplace } from '../queue/origin.js';
import type { Audit } from '../audit/audit.js';
import { isSlackId } from '../config.js';
import { findReport, reportMetadata } from '../slack/delivery.js';
import { mayHaveTakenEffect, postWaitingOutRateLimits } from '../slack/client.js';
import { slackTextToPlain } from '../slack/escape.js';
import { renderInvestigating, renderNotice } from '../slack/render.js';
import { label, value } from '../slack/rich-text.js';
import { INVESTIGATING_REACTION } from '../slack/reactions.js';

/** The JSON-looking part of a message text: a code block's content (a JSON list there whole), else from the first { to the last }. */
export function alertCandidate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const plain = slackTextToPlain(text);
  // The first closed ``` block ("json" tag and leading whitespace skipped), found with indexOf:
  // linear in the text, where a lazy regex backtracked quadratically on ``` + whitespace.
  let body = plain;
  let inBlock = false;
  const open = plain.indexOf('```');
  if (open >= 0) {
    let from = open + 3;
    if (plain.startsWith('json', from)) from += 4;
    while (from < plain.length && /\s/.test(plain[from]!)) from++;
    const close = plain.indexOf('```', from);
    if (close >= 0) {
      body = plain.slice(from, close);
      inBlock = true;
    }
  }
  // A code block holding a JSON list of alerts is taken whole; elsewhere brackets are too common in chatter.
  if (inBlock && body.startsWith('[')) {
    const close = body.lastIndexOf(']');
    if (close > 0) return body.slice(0, close + 1);
  }
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  return start >= 0 && end > start ? body.slice(start, end + 1) : undefined;
}

/** A message carries one alert or several (a list, get-findings output, an Event Hook delivery): one investigation each. */
export type Intake = { kind: 'alerts'; alerts: Alert[] } | { kind: 'malformed'; problem: string; hint?: string } | { kind: 'ignored' };

export function readAlertText(candidate: string | undefined): Intake {
  if (candidate === undefined) return { kind: 'ignored' };
  let outcome: AlertsOutcome;
  try {
    outcome = parseAlertsText(candidate);
  } catch (err) {
    if (err instanceof AlertParseError) {
      // Only something that looks like JSON of ours earns a reply; other braces are chatter.
      if (err.field === '(input)' && !/"(id|type|uuid|eventType|threat_indicators|detail-type|Findings|incident_id)"\s*:/.test(candidate.slice(0, 4000))) return { kind: 'ignored' };
      return { kind: 'malformed', problem: err.problem, ...(err.hint ? { hint: err.hint } : {}) };
    }
    throw err;
  }
  return outcome.kind === 'alerts' ? { kind: 'alerts', alerts: outcome.alerts } : { kind: 'ignored' };
}

export interface EnqueueDeps {
  client: WebClient;
  queue: Queue<InvestigationJob>;
  state: AlertStateStore;
  audit?: Audit;
  /** Makes each post once (see oneShotClientOptions); defaults to `client`. */
  postClient?: WebClient;
  log?: (msg: string) => void;
}

/** Who posted the message an alert came in: an integration, or a person (their Slack user id, when the event names one). */
export type Poster = { origin: 'integration' } | { origin: 'person'; id?: string };

/**
 * Claims the alert, posts "Investigating…" in its thread and queues it. The post is a courtesy (without it the
 * worker answers in the thread); the job is what counts, and a claim left without one (a crash or a Redis
 * error in between) is queued again by the sweeper, or by the next delivery of the same message.
 *
 * - the same message delivered again (Slack's retries, Socket Mode redelivery) is queued only if its job is missing;
 * - the same alert posted again with the same body gets a pointer to the first report;
 * - posted again with another body: by a person over an integration's alert, refused (queue/origin.ts); otherwise
 *   (the first post may have been a forgery claiming the id) it replaces the stored body and is investigated afresh
 *   in the new thread, and the decision carries over unless it was taken on a person's post an integration replaces.
 */
export async function enqueueAlert(deps: EnqueueDeps, alert: Alert, where: { channel: string; threadTs: string }, poster: Poster): Promise<'queued' | 'duplicate' | 'replaced' | 'redelivered' | 'refused'> {
  const key = alertKey(alert.id);
  const raw = JSON.stringify(alert.raw);
  // Parsed once, here: the record and the job keep the typed alert beside the body (alerts/stored.ts).
  const stored = storeAlert(alert);
  const body = { raw, ...stored, ...where };
  const claimed = await deps.state.claim(key, { alertId: alert.id, raw, stored, channel: where.channel, threadTs: where.threadTs, origin: poster.origin });
  const first = claimed ? undefined : await deps.state.get(key);
  if (first && first.channel === where.channel && first.threadTs === where.threadTs) {
    const jobId = jobIdFor(key, first.runs);
    if (first.verdict || (await deps.queue.getJob(jobId))) return 'redelivered';
    await deps.queue.add('investigate', { alertKey: key, run: first.runs, body: runBody(first) }, { jobId });
    return 'redelivered';
  }
  if (first && first.raw === raw) {
    // A copy of an alert under investigation is a pointer; one whose job went missing is picked up here.
    if (first.verdict || (await deps.queue.getJob(jobIdFor(key, first.runs)))) {
      const link = await deps.client.chat.getPermalink({ channel: first.channel, message_ts: first.messageTs ?? first.threadTs }).catch(() => undefined);
      const pointer = link?.permalink ? `see <${link.permalink}|the first report>` : 'it was investigated before';
      await deps.client.chat.postMessage({ channel: where.channel, thread_ts: where.threadTs, ...renderNotice(`:repeat: This alert was already posted: ${pointer}.`, [[label('Alert: '), value(alert.id, 200)]]) });
      return 'duplicate';
    }
  }
  if (first && !mayReplace(first.origin, poster.origin)) return refuseRepost(deps, first, alert.id, where, poster);
  const keepDecision = decisionCarriesOver(first?.origin, poster.origin);
  // The job first: the queue is the source of truth, and a post held back by Slack's rate limit never delays it.
  const run = claimed ? 0 : await deps.state.replace(key, { raw, stored, ...where, origin: poster.origin }, { keepDecision });
  if (first && (first.verdict || first.decision)) await supersede(deps, first, where, keepDecision);
  await deps.queue.add('investigate', { alertKey: key, run, body }, { jobId: jobIdFor(key, run) });
  await postStatus(deps, key, alert.id, where);
  await deps.client.reactions.add({ channel: where.channel, timestamp: where.threadTs, name: INVESTIGATING_REACTION }).catch(() => undefined);
  // The verdict may have been delivered while the eyes were on their way (its reactions settled before they landed).
  if ((await deps.state.get(key))?.verdict) await settleWithoutEyes(deps, where);
  return claimed ? 'queued' : 'replaced';
}

/** Takes our eyes back; the delivery has put the verdict's reaction (or none, for a quiet answer). */
async function settleWithoutEyes(deps: EnqueueDeps, where: { channel: string; threadTs: string }): Promise<void> {
  await deps.client.reactions.remove({ channel: where.channel, timestamp: where.threadTs, name: INVESTIGATING_REACTION }).catch(() => undefined);
}

/** A person's post of an integration's alert id with another body: nothing changes; the poster is told, the attempt audited. */
async function refuseRepost(deps: EnqueueDeps, stored: AlertState, alertId: string, where: { channel: string; threadTs: string }, poster: Poster): Promise<'refused'> {
  const lead = ':no_entry: An integration posted the alert with this id, and a post by a person never replaces it: nothing was changed. A responder can look the stored alert up with `/triage <alert-id>`.';
  await deps.client.chat
    .postMessage({ channel: where.channel, thread_ts: where.threadTs, ...renderNotice(lead, [[label('Alert: '), value(alertId, 200)]]) })
    .catch((err: unknown) => deps.log?.(`could not answer a refused re-post of ${alertId}: ${(err as Error).message}`));
  await deps.audit
    ?.disposition({
      alertId: stored.alertId,
      action: 'repost_refused',
      actor: poster.origin === 'person' && poster.id && isSlackId(poster.id) ? poster.id : 'unknown',
      outcome: `a person posted this id with another body in ${where.channel} ${where.threadTs}; the integration's alert stands`,
    })
    .catch((err: unknown) => deps.log?.(`could not audit a refused re-post of ${alertId}: ${(err as Error).message}`));
  return 'refused';
}

/** "Investigating…" in the thread; if the verdict got there first, the status post is withdrawn. */
async function postStatus(deps: EnqueueDeps, key: string, alertId: string, where: { channel: string; threadTs: string }): Promise<void> {
  // Made once (Slack cannot de-duplicate posts) and marked before it is made: should it land unanswered, the
  // verdict's delivery adopts it from the thread, and so do we below.
  await deps.state.markPostUncertain(key, true);
  try {
    const posted = await postWaitingOutRateLimits(deps.postClient ?? deps.client, { channel: where.channel, thread_ts: where.threadTs, ...renderInvestigating(alertId), metadata: reportMetadata(key) });
    await deps.state.markPostUncertain(key, false);
    if (posted.ts && !(await deps.state.setMessageIfAbsent(key, posted.ts))) {
      await deps.client.chat.delete({ channel: where.channel, ts: posted.ts }).catch(() => undefined);
    }
  } catch (err) {
    // A courtesy: without it the verdict is posted in the thread.
    deps.log?.(`could not post "Investigating…" for ${alertId}: ${(err as Error).message}`);
    if (!mayHaveTakenEffect(err)) return void (await deps.state.markPostUncertain(key, false));
    await adoptLostStatus(deps, key, where).catch((e: unknown) => deps.log?.(`could not look for a lost status post of ${alertId}: ${(e as Error).message}`));
  }
}

/** A status post that landed unanswered: it becomes the alert's message, or goes if the verdict has one already. */
async function adoptLostStatus(deps: EnqueueDeps, key: string, where: { channel: string; threadTs: string }): Promise<void> {
  const lost = await findReport(deps.client, where.channel, where.threadTs, key);
  if (!lost) return;
  const now = await deps.state.get(key);
  if (now?.messageTs && now.messageTs !== lost) await deps.client.chat.delete({ channel: where.channel, ts: lost });
  else await deps.state.setMessageIfAbsent(key, lost);
  await deps.state.markPostUncertain(key, false);
}

/**
 * The earlier report of a re-posted alert: its thread is told where the alert went (its buttons no longer act),
 * and what stood there — verdict and decision — is kept in the audit trail.
 */
async function supersede(deps: EnqueueDeps, old: AlertState, now: { channel: string; threadTs: string }, decisionCarried: boolean): Promise<void> {
  const link = await deps.client.chat.getPermalink({ channel: now.channel, message_ts: now.threadTs }).catch(() => undefined);
  const by = old.decision && isSlackId(old.decision.by) ? old.decision.by : 'unknown';
  const what = old.decision ? ` The decision here (${old.decision.kind} by <@${by}>) ${decisionCarried ? 'carries over to the new report' : 'stays with this report: it was taken on a body a person posted'}.` : '';
  await deps.client.chat
    .postMessage({ channel: old.channel, thread_ts: old.threadTs, text: `:repeat: This alert was posted again with a different body${link?.permalink ? `: <${link.permalink}|the new report>` : ''}; it is investigated there and the buttons here no longer act.${what}` })
    .catch((err: unknown) => deps.log?.(`could not tell the earlier thread of ${old.alertId}: ${(err as Error).message}`));
  await deps.audit
    ?.disposition({
      alertId: old.alertId,
      action: 'superseded',
      actor: 'slack',
      outcome: `re-posted with a different body${old.decision ? `; earlier decision: ${old.decision.kind} by ${old.decision.by}${old.decision.reason ? ` (${old.decision.reason})` : ''}${decisionCarried ? ', carried over' : ', not carried over'}` : ''}`,
      ...(old.verdict ? { flow: old.verdict.flow, verdict: old.verdict.verdict, score: old.verdict.score } : {}),
    })
    .catch((err: unknown) => deps.log?.(`could not audit the superseded report of ${old.alertId}: ${(err as Error).message}`));
}
