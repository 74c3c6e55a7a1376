// Alert messages: find the alert JSON in a message (text, code block or attached JSON file) and queue it.
import type { Queue } from 'bullmq';
import type { WebClient } from '@slack/web-api';
import { parseAlertText, type ParseOutcome } from '../alerts/parse.js';
import { AlertParseError, type Alert } from '../alerts/types.js';
import { MAX_ALERT_BYTES } from '../alerts/json.js';
import { JOB_OPTIONS, jobIdFor, type InvestigationJob } from '../queue/queue.js';
import { alertKey, type AlertStateStore } from '../queue/state.js';
import { safe, slackTextToPlain } from './escape.js';
import { renderInvestigating } from './render.js';

/** The JSON-looking part of a message text: a code block's content, else from the first { to the last }. */
export function alertCandidate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const plain = slackTextToPlain(text);
  // The first closed ``` block ("json" tag and leading whitespace skipped), found with indexOf:
  // linear in the text, where a lazy regex backtracked quadratically on ``` + whitespace.
  let body = plain;
  const open = plain.indexOf('```');
  if (open >= 0) {
    let from = open + 3;
    if (plain.startsWith('json', from)) from += 4;
    while (from < plain.length && /\s/.test(plain[from]!)) from++;
    const close = plain.indexOf('```', from);
    if (close >= 0) body = plain.slice(from, close);
  }
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  return start >= 0 && end > start ? body.slice(start, end + 1) : undefined;
}

export type Intake = { kind: 'alert'; alert: Alert } | { kind: 'malformed'; problem: string } | { kind: 'ignored' };

export function readAlertText(candidate: string | undefined): Intake {
  if (candidate === undefined) return { kind: 'ignored' };
  let outcome: ParseOutcome;
  try {
    outcome = parseAlertText(candidate);
  } catch (err) {
    if (err instanceof AlertParseError) {
      // Only something that looks like JSON of ours earns a reply; other braces are chatter.
      if (err.field === '(input)' && !/"(id|type|uuid|eventType|threat_indicators|detail-type)"\s*:/.test(candidate.slice(0, 4000))) return { kind: 'ignored' };
      return { kind: 'malformed', problem: err.message };
    }
    throw err;
  }
  return outcome.kind === 'alert' ? { kind: 'alert', alert: outcome.alert } : { kind: 'ignored' };
}

interface SlackFile {
  name?: string;
  mimetype?: string;
  filetype?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}

/** An attached JSON file, read with the bot token: its text, or why it was not read. */
export async function attachedJson(files: SlackFile[] | undefined, botToken: string, fetchImpl: typeof fetch = fetch): Promise<{ text: string } | { problem: string } | undefined> {
  const file = files?.find((f) => f.filetype === 'json' || f.mimetype === 'application/json' || f.name?.toLowerCase().endsWith('.json'));
  const url = file?.url_private_download ?? file?.url_private;
  if (!file || !url) return undefined;
  if ((file.size ?? 0) > MAX_ALERT_BYTES) return { problem: `(file): larger than ${MAX_ALERT_BYTES} bytes` };
  const res = await fetchImpl(url, { headers: { authorization: `Bearer ${botToken}` }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) return { problem: `(file): could not be downloaded (HTTP ${res.status})` };
  const text = await res.text();
  // Anything past the cap is refused by the parser with a clear reason.
  return { text: text.slice(0, MAX_ALERT_BYTES + 1) };
}

export interface EnqueueDeps {
  client: WebClient;
  queue: Queue<InvestigationJob>;
  state: AlertStateStore;
}

/** Claims the alert, posts "Investigating…" in its thread and queues it; a re-post gets a pointer to the first. */
export async function enqueueAlert(deps: EnqueueDeps, alert: Alert, where: { channel: string; threadTs: string }): Promise<'queued' | 'duplicate'> {
  const key = alertKey(alert.id);
  const claimed = await deps.state.claim(key, { alertId: alert.id, raw: JSON.stringify(alert.raw), channel: where.channel, threadTs: where.threadTs });
  if (!claimed) {
    const first = await deps.state.get(key);
    let pointer = 'it was investigated before';
    if (first) {
      const link = await deps.client.chat.getPermalink({ channel: first.channel, message_ts: first.messageTs ?? first.threadTs }).catch(() => undefined);
      if (link?.permalink) pointer = `see <${link.permalink}|the first report>`;
    }
    await deps.client.chat.postMessage({ channel: where.channel, thread_ts: where.threadTs, text: `:repeat: Alert ${safe(alert.id, 200)} was already posted: ${pointer}.` });
    return 'duplicate';
  }
  const status = renderInvestigating(alert.id);
  const posted = await deps.client.chat.postMessage({ channel: where.channel, thread_ts: where.threadTs, ...status });
  if (posted.ts) await deps.state.setMessage(key, posted.ts);
  await deps.client.reactions.add({ channel: where.channel, timestamp: where.threadTs, name: 'eyes' }).catch(() => undefined);
  await deps.queue.add('investigate', { alertKey: key, run: 0 }, { ...JOB_OPTIONS, jobId: jobIdFor(key, 0) });
  return 'queued';
}
