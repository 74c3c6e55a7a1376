// /triage <id> for an alert that has its own thread (it arrived as a message in an alert channel): the verdict goes
// to that thread, where the alert, its report and its buttons are; the person who asked is told where, with a link.
// `/triage <id> here` answers in the channel it was typed in instead, as for alerts found only in Elasticsearch.
import type { Alert } from '../alerts/types.js';
import { storeAlert } from '../alerts/stored.js';
import { isSlackId } from '../config.js';
import { decisionCarriesOver } from '../queue/origin.js';
import { jobIdFor, runBody } from '../queue/queue.js';
import type { AlertState } from '../queue/state.js';
import { renderInvestigating, type SlackMessage } from '../slack/render.js';
import { label, value } from '../slack/rich-text.js';
import type { ListenerDeps } from './deps.js';

export interface TriageRequest {
  /** The alert id as typed (bounded). */
  id: string;
  /** `/triage <id> here`: answer in this channel even when the alert has a thread of its own. */
  here: boolean;
}

/** `/triage <id>` or `/triage <id> here`. */
export function readTriageRequest(text: string): TriageRequest {
  const [id = '', where] = text.trim().split(/\s+/);
  return { id: id.slice(0, 256), here: where?.toLowerCase() === 'here' };
}

/**
 * Whether the record's thread is the alert's own: an alert-channel message answered by a report in its thread.
 * A /triage answer in a channel is a message of ours that is its own thread (threadTs = messageTs): not the alert's.
 */
export const hasOwnThread = (record: AlertState): boolean => record.messageTs === undefined || record.messageTs !== record.threadTs;

/** A permalink fit for a mrkdwn link: Slack's own https URL, nothing that could close the link early. */
const safeLink = (url: string | undefined): string | undefined => (url && /^https:\/\/[^\s<>|]+$/.test(url) ? url : undefined);

/** The link to the alert's report (or the alert itself, before a report exists); undefined when Slack will not give one. */
async function threadLink(deps: ListenerDeps, record: AlertState): Promise<string | undefined> {
  try {
    const answer = await deps.client.chat.getPermalink({ channel: record.channel, message_ts: record.messageTs ?? record.threadTs });
    return safeLink(answer.permalink);
  } catch (err) {
    deps.log('warn', `/triage: no permalink for ${record.channel} ${record.messageTs ?? record.threadTs}: ${(err as Error).message}`);
    return undefined;
  }
}

/** The ephemeral confirmation: where the verdict goes, with a link when Slack gave one (our words; the id a value). */
export async function confirmation(deps: ListenerDeps, record: AlertState, alertId: string): Promise<SlackMessage> {
  const link = await threadLink(deps, record);
  const channel = isSlackId(record.channel) ? `<#${record.channel}>` : 'its channel';
  const lead = `:thread: Investigating: the verdict goes to the alert's thread in ${channel}${link ? ` — <${link}|open the thread>` : ''}. To answer in this channel instead: \`/triage <alert-id> here\`.`;
  const text = `Investigating: the verdict goes to the alert's thread${link ? ` (${link})` : ''}.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lead } }, { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [label('Alert: '), value(alertId, 200)] }] }] };
}

/** The report says "Investigating (requested by …)" meanwhile: a courtesy (a deleted report is posted anew by the worker). */
async function markInvestigating(deps: ListenerDeps, record: AlertState, userId: string): Promise<void> {
  if (!record.messageTs) return;
  const note = renderInvestigating(record.alertId, `Investigating again (requested by <@${userId}>)`);
  await deps.client.chat.update({ channel: record.channel, ts: record.messageTs, ...note }).catch((err: unknown) => deps.log('warn', `/triage: report not marked: ${(err as Error).message}`));
}

/**
 * A new run in the alert's own thread: with the stored body (INDEX_ALERTS) when there is one — it replaces what was
 * posted, as in the channel case — else with the record's own body, as Re-run does.
 */
export async function investigateInThread(deps: ListenerDeps, key: string, record: AlertState, userId: string, stored: Alert | undefined): Promise<void> {
  const where = { channel: record.channel, threadTs: record.threadTs };
  let run: number;
  let body;
  if (stored) {
    const raw = JSON.stringify(stored.raw);
    const typed = storeAlert(stored);
    run = await deps.state.replace(key, { raw, stored: typed, ...where, ...(record.messageTs ? { messageTs: record.messageTs } : {}), origin: 'lookup' }, { keepDecision: decisionCarriesOver(record.origin, 'lookup') });
    body = { raw, ...typed, ...where };
  } else {
    run = await deps.state.nextRun(key);
    body = runBody(record);
  }
  await markInvestigating(deps, record, userId);
  await deps.queue.add('investigate', { alertKey: key, run, body }, { jobId: jobIdFor(key, run) });
}
