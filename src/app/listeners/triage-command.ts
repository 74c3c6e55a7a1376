// /triage: help for anyone; for responders, the queue's status, the suppressions, the track record, or an
// investigation of an alert: in its own thread when it has one (triage-thread.ts), else (or with `here`) of the
// stored alert (INDEX_ALERTS) in the channel it was asked in.
import type { App, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { recogniseAlert } from '../../flows/recognise.js';
import { AlertParseError, type Alert } from '../../alerts/types.js';
import { storeAlert } from '../../alerts/stored.js';
import { publicReason } from '../../ops/public-error.js';
import { decisionCarriesOver } from '../../queue/origin.js';
import { jobIdFor, QUEUE_NAME } from '../../queue/queue.js';
import { alertKey } from '../../queue/state.js';
import { slackError } from '../../slack/errors.js';
import { renderInvestigating, renderNotice, type Block } from '../../slack/render.js';
import { label, problemWithHint, value, type Span } from '../../slack/rich-text.js';
import { recentBlock, suppressionsMessage, trackRecordBlocks, trackRecordText, USAGE } from '../analyst-views.js';
import { catchUpStatusLines } from '../catch-up/report.js';
import type { ListenerDeps } from '../deps.js';
import { onlyResponders } from '../responders.js';
import { confirmation, hasOwnThread, investigateInThread, readTriageRequest } from '../triage-thread.js';

type Command = SlackCommandMiddlewareArgs['command'];

/** Our words in mrkdwn, the values (alert ids, reasons) as rich text; only the asker sees them. */
function ephemerals(respond: RespondFn) {
  const ephemeral = async (text: string, blocks?: Block[]) => void (await respond({ response_type: 'ephemeral', text, ...(blocks ? { blocks: blocks as never } : {}) }));
  const notice = (lead: string, lines: Span[][]) => {
    const m = renderNotice(lead, lines);
    return ephemeral(m.text, m.blocks);
  };
  return { ephemeral, notice };
}
type Answer = ReturnType<typeof ephemerals>;

async function status(deps: ListenerDeps, say: Answer): Promise<void> {
  const [counts, workers, recent] = await Promise.all([deps.queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), deps.queue.getWorkers(), deps.state.recentVerdicts(5)]);
  const lines = [
    `*Queue* ${QUEUE_NAME}: ${counts['waiting'] ?? 0} waiting, ${counts['active'] ?? 0} active, ${counts['delayed'] ?? 0} delayed (retrying), ${counts['failed'] ?? 0} failed`,
    `*Workers:* ${workers.length}`,
    ...catchUpStatusLines(deps.catchUp, deps.intake.buffer.stats),
    `*Last verdicts:*${recent.length ? '' : ' none yet'}`,
  ];
  await say.ephemeral(lines.join('\n'), [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }, ...recentBlock(recent)]);
}

async function stats(deps: ListenerDeps, say: Answer): Promise<void> {
  try {
    const record = await deps.readTrackRecord();
    await say.ephemeral(trackRecordText(record), trackRecordBlocks(record));
  } catch (err) {
    deps.log('error', `/triage stats failed: ${(err as Error).message}`);
    await say.ephemeral(`:warning: The track record could not be read: ${publicReason(err)}. Try again in a minute.`);
  }
}

/** The stored alert's outcome: undefined when no alert has this id. */
type StoredOutcome = { kind: 'alert'; alert: Alert } | { kind: 'not-an-alert'; reason: string; hint?: string };
function recogniseStored(stored: unknown): StoredOutcome | undefined {
  if (stored === undefined) return undefined;
  try {
    return recogniseAlert(stored);
  } catch (err) {
    if (err instanceof AlertParseError) return { kind: 'not-an-alert' as const, reason: err.problem, ...(err.hint ? { hint: err.hint } : {}) };
    throw err;
  }
}

/**
 * /triage <alert-id>: the alert investigated now. An alert with its own thread is answered there (the asker is told
 * where, with a link); one found only in Elasticsearch, or asked with `here`, in this channel.
 */
async function investigateStored(deps: ListenerDeps, command: Command, say: Answer): Promise<void> {
  const { id, here } = readTriageRequest(command.text);
  let stored: unknown;
  try {
    stored = await deps.alerts.findAlert(id);
  } catch (err) {
    deps.log('error', `/triage lookup failed: ${(err as Error).message}`);
    return say.notice(`:warning: Could not look the alert up: ${publicReason(err)}. Try again in a minute.`, [[label('Alert: '), value(id, 200)]]);
  }
  const outcome = recogniseStored(stored);
  // The lookup also matches other fields (a finding's id, Kibana's uuid): the alert found is keyed by its own id,
  // never the typed one, or another alert's body would run in the typed alert's thread and replace its record.
  const ownId = outcome?.kind === 'alert' ? outcome.alert.id : id;
  const record = here ? undefined : await deps.state.get(alertKey(ownId));
  const thread = record && hasOwnThread(record) ? record : undefined;
  if (thread && outcome?.kind !== 'not-an-alert') {
    await investigateInThread(deps, alertKey(ownId), thread, command.user_id, outcome?.alert);
    const m = await confirmation(deps, thread, thread.alertId);
    return say.ephemeral(m.text, m.blocks);
  }
  if (!outcome) return say.notice('No alert with this id was found:', [[label('Alert: '), value(id, 200)]]);
  if (outcome.kind !== 'alert') return say.notice('This alert is stored but cannot be investigated:', [[label('Alert: '), value(id, 200)], [label('Why: '), ...problemWithHint(outcome.reason, 300, outcome.hint)]]);
  const alert = outcome.alert;
  let posted;
  try {
    posted = await deps.client.chat.postMessage({ channel: command.channel_id, ...renderInvestigating(alert.id, `Investigating (requested by <@${command.user_id}>)`) });
  } catch (err) {
    const code = slackError(err);
    if (code !== 'not_in_channel' && code !== 'channel_not_found') throw err;
    // The bot can only answer where it was invited; say so instead of saying nothing.
    return say.notice(":wave: I'm not a member of this channel, so I can't post the verdict here. Invite me with `/invite @soc-triage` (channel details → Integrations → Add apps), or run `/triage` in a channel I'm in.", [[label('Alert: '), value(alert.id, 200)]]);
  }
  if (!posted.ts) return;
  const key = alertKey(alert.id);
  const raw = JSON.stringify(alert.raw);
  const where = { channel: command.channel_id, threadTs: posted.ts };
  const typed = storeAlert(alert);
  const claimed = await deps.state.claim(key, { alertId: alert.id, raw, stored: typed, ...where, messageTs: posted.ts, origin: 'lookup' });
  // Asked again for a known alert: the stored body (INDEX_ALERTS) replaces whatever was posted under its id, answered
  // here; a decision stays unless it was taken on a person's post of the id (queue/origin.ts).
  const before = claimed ? undefined : await deps.state.get(key);
  const run = claimed ? 0 : await deps.state.replace(key, { raw, stored: typed, ...where, messageTs: posted.ts, origin: 'lookup' }, { keepDecision: decisionCarriesOver(before?.origin, 'lookup') });
  await deps.queue.add('investigate', { alertKey: key, run, body: { raw, ...typed, ...where } }, { jobId: jobIdFor(key, run) });
}

const isHelp = (text: string) => text.trim() === '' || text.trim() === 'help';

export function register(app: App, deps: ListenerDeps): void {
  const responderOnly = onlyResponders<SlackCommandMiddlewareArgs>(deps.responders, {
    user: ({ command }) => command.user_id,
    exempt: ({ command }) => isHelp(command.text),
    deny: ({ respond }) => respond({ response_type: 'ephemeral', text: ':no_entry: Only SOC responders may run /triage.' }),
  });
  // Acknowledged within Slack's 3 s, before any lookup (the responder check's included).
  const ackFirst = async ({ ack, next }: SlackCommandMiddlewareArgs & { next: () => Promise<void> }) => {
    await ack();
    await next();
  };

  app.command('/triage', ackFirst, responderOnly, async ({ command, respond }) => {
    const text = command.text.trim();
    const say = ephemerals(respond);
    if (isHelp(text)) return say.ephemeral(USAGE);
    if (text === 'status') return status(deps, say);
    if (text === 'suppressions') {
      const m = suppressionsMessage(await deps.state.suppressions.list());
      return say.ephemeral(m.text, m.blocks);
    }
    if (text === 'stats') return stats(deps, say);
    return investigateStored(deps, command, say);
  });
}
