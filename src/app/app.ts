// The Bolt app: alert messages, /triage, buttons and the dismiss modal. It parses, queues and answers;
// it never investigates inline.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, LogLevel, type BlockAction, type ButtonAction } from '@slack/bolt';
import type { Queue } from 'bullmq';
import { WebClient } from '@slack/web-api';
import { recogniseAlert } from '../alerts/parse.js';
import { AlertParseError } from '../alerts/types.js';
import type { AlertLookup } from '../evidence/ports.js';
import type { Audit } from '../audit/audit.js';
import type { Metrics } from '../ops/metrics.js';
import { healthz, metricsText } from '../ops/http.js';
import { jobIdFor, QUEUE_NAME, type InvestigationJob } from '../queue/queue.js';
import { alertKey, type AlertState, type AlertStateStore, type Decision, type RecentVerdict } from '../queue/state.js';
import { slackError as slackErrorCode, slackFailureReason } from '../slack/errors.js';
import { oneShotClientOptions, slackClientOptions } from '../slack/client.js';
import { alertCandidate, enqueueAlert, readAlertText } from './intake.js';
import { attachedJson, fileOrigins, type SlackFile } from './files.js';
import { publicReason } from '../ops/public-error.js';
import { slackSdkLogger } from '../ops/log.js';
import { label, plain, richText, value, type Span } from '../slack/rich-text.js';
import { triggerPagerDuty } from './pagerduty.js';
import { ACTIONS, DISMISS_REASONS, DISMISS_VIEW, LIFT_SUPPRESSION, dismissModal, headline, renderInvestigating, renderNotice, renderVerdict, untilText, type Block } from '../slack/render.js';
import { Responders } from './responders.js';
import { similarityKey, type SimilarityKey } from '../suppress/key.js';
import { SUPPRESSION_DAYS, type Suppression } from '../suppress/store.js';
import { suppressionBlocks, trackRecordBlocks, trackRecordText } from './analyst-views.js';
import type { ContainmentService } from '../containment/service.js';
import { register as registerContainment } from './listeners/containment.js';

export interface SlackSettings {
  mode: 'socket' | 'http';
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  apiUrl?: string;
  alertChannels: string[];
  /** Bot, app or user ids whose messages in the alert channels are alerts; empty: anyone's (see SECURITY.md). */
  alertPosters: string[];
  escalationChannel?: string;
  oncallUsergroup?: string;
  responderUsergroup?: string;
  responderUsers: string[];
  pagerDuty?: { routingKey: string; baseUrl: string };
  /** Attached-file download timeout (default 10 s). */
  fileTimeoutMs?: number;
  /** A flow whose agreement with responders falls below this share is flagged (TRACK_RECORD_MIN_AGREEMENT, default 0.8). */
  trackRecordMinAgreement?: number;
  /** Who may request and approve containment; unset, the responders (CONTAINMENT_APPROVER_USERGROUP). */
  containmentApproverUsergroup?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export interface SlackDeps {
  queue: Queue<InvestigationJob>;
  state: AlertStateStore;
  alerts: AlertLookup;
  audit: Audit;
  metrics: Metrics;
  /** Liveness of what the app depends on, for /healthz. */
  health: () => Promise<Record<string, boolean>>;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** Containment (CONTAINMENT_MODE not off), built with the approver check this app makes. */
  containment?: (isApprover: (userId: string) => Promise<boolean>) => ContainmentService;
  /** How often expired containment requests are shown as such (default 30 s; 0: never). */
  containmentSweepEveryMs?: number;
}

const USAGE = [
  '*/triage <alert-id>* — investigate a stored alert now; the verdict is posted here.',
  '*/triage status* — queue depth, active workers, last verdicts.',
  '*/triage suppressions* — similar alerts suppressed by a dismissal, with a button to lift each.',
  '*/triage stats* — the bot’s track record: how often responders agreed with it, per flow, over 7 and 30 days.',
  '*/triage help* — this text.',
].join('\n');

const DAY_MS = 24 * 3600_000;
export const DEFAULT_MIN_AGREEMENT = 0.8;
/** Suppressions shown: two blocks each, within Slack's 50 blocks of a message and 100 of the Home tab. */
const SUPPRESSIONS_IN_MESSAGE = 20;
const SUPPRESSIONS_IN_HOME = 15;

const SLACK_ID = /^[A-Z0-9]{2,32}$/;

/** One line of "last verdicts", for /triage status and the Home tab: the alert id is a value. */
function recentLine(r: RecentVerdict): Span[] {
  return [plain('• '), value(r.alertId, 120), plain(` — ${r.verdict}${r.score === null ? '' : ` (${r.score})`} ${r.flow} at ${r.at}`)];
}
const recentBlock = (recent: RecentVerdict[]): Block[] => (recent.length ? [richText(recent.map(recentLine))] : []);
const MESSAGE_SUBTYPES = new Set([undefined, 'bot_message', 'file_share']);

interface AlertMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  subtype?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  bot_profile?: { app_id?: string };
  files?: SlackFile[];
}

/** Whether the message's sender may post alerts: any of its user, bot or app ids is listed (or no list is set). */
export function isAlertPoster(msg: AlertMessage, posters: string[]): boolean {
  if (posters.length === 0) return true;
  return [msg.user, msg.bot_id, msg.app_id, msg.bot_profile?.app_id].some((id) => typeof id === 'string' && posters.includes(id));
}

function customRoutes(deps: SlackDeps) {
  return [
    { path: '/healthz', method: ['GET'], handler: (req: IncomingMessage, res: ServerResponse) => void healthz(deps, req, res) },
    { path: '/metrics', method: ['GET'], handler: (req: IncomingMessage, res: ServerResponse) => void metricsText(deps, req, res) },
  ];
}

export function createSlackApp(s: SlackSettings, deps: SlackDeps): App {
  const app = new App({
    token: s.botToken,
    logger: slackSdkLogger(s.logLevel, 'slack-app'),
    logLevel: s.logLevel === 'debug' ? LogLevel.DEBUG : s.logLevel === 'warn' ? LogLevel.WARN : s.logLevel === 'error' ? LogLevel.ERROR : LogLevel.INFO,
    clientOptions: slackClientOptions(s.apiUrl),
    ...(s.mode === 'socket'
      ? {
          socketMode: true,
          appToken: s.appToken ?? '',
          // The Socket Mode client opens its connection through the Web API too.
          ...(s.apiUrl ? { installerOptions: { clientOptions: slackClientOptions(s.apiUrl) } } : {}),
        }
      : { signingSecret: s.signingSecret ?? '', customRoutes: customRoutes(deps), processBeforeResponse: false }),
  });
  const client = app.client as unknown as WebClient;
  const responders = new Responders(client, s.responderUsergroup, s.responderUsers);
  // views.open must answer within the trigger's 3 s: this client never waits out a rate limit or retries.
  const interactive = new WebClient(s.botToken, oneShotClientOptions(slackClientOptions(s.apiUrl)));
  // Containment (issue 20): its approvers are their own group when one is set, else the responders.
  const approvers = s.containmentApproverUsergroup ? new Responders(client, s.containmentApproverUsergroup, []) : responders;
  const containment = deps.containment?.((userId) => (SLACK_ID.test(userId) ? approvers.isResponder(userId) : Promise.resolve(false)));
  const offerContainment = containment !== undefined && containment.mode !== 'off';
  if (containment && offerContainment) registerContainment(app, { client, interactive, state: deps.state, containment, log: deps.log, ...(deps.containmentSweepEveryMs !== undefined ? { sweepEveryMs: deps.containmentSweepEveryMs } : {}) });
  const enqueueDeps = { client, postClient: interactive, queue: deps.queue, state: deps.state, audit: deps.audit, log: (m: string) => deps.log('warn', m) };

  const allowedFileOrigins = fileOrigins(s.apiUrl);
  const minAgreement = s.trackRecordMinAgreement ?? DEFAULT_MIN_AGREEMENT;
  const readTrackRecord = () => deps.audit.trackRecord({ minAgreement });
  // /metrics (served beside the app in both modes) shows the track record as gauges.
  deps.metrics.followTrackRecord(readTrackRecord);

  // Alert messages in the alert channels (integrations' and bots' posts included).
  app.event('message', async ({ event }) => {
    const msg = event as AlertMessage;
    if (!s.alertChannels.includes(msg.channel) || !MESSAGE_SUBTYPES.has(msg.subtype)) return;
    if (msg.thread_ts && msg.thread_ts !== msg.ts) return; // replies, ours included, are not alerts
    if (!isAlertPoster(msg, s.alertPosters)) return; // quietly: others' messages are conversation
    let intake = readAlertText(alertCandidate(msg.text));
    if (intake.kind === 'ignored' && msg.files?.length) {
      const file = await attachedJson(msg.files, { botToken: s.botToken, client, allowedOrigins: allowedFileOrigins, ...(s.fileTimeoutMs ? { timeoutMs: s.fileTimeoutMs } : {}) });
      if (file && 'refused' in file) deps.log('warn', `attached file in ${msg.channel} ${msg.ts} not downloaded: ${file.refused}`);
      else if (file && 'problem' in file) intake = { kind: 'malformed', problem: file.problem };
      else if (file) intake = readAlertText(file.text);
    }
    if (intake.kind === 'ignored') return;
    if (intake.kind === 'malformed') {
      await client.chat.postMessage({ channel: msg.channel, thread_ts: msg.ts, ...renderNotice(':warning: This looks like an alert but cannot be read:', [[value(intake.problem, 500)]]) });
      return;
    }
    // One investigation per alert the message carries, queued in order; verdicts answer in the same thread.
    for (const alert of intake.alerts) await enqueueAlert(enqueueDeps, alert, { channel: msg.channel, threadTs: msg.ts });
  });

  app.command('/triage', async ({ command, ack, respond }) => {
    await ack(); // within Slack's 3 s, before any lookup
    const text = command.text.trim();
    const ephemeral = (t: string, blocks?: Block[]) => respond({ response_type: 'ephemeral', text: t, ...(blocks ? { blocks: blocks as never } : {}) });
    /** Our words in mrkdwn, the values (alert ids, reasons) as rich text. */
    const notice = (lead: string, lines: Span[][]) => {
      const m = renderNotice(lead, lines);
      return ephemeral(m.text, m.blocks);
    };
    if (text === '' || text === 'help') return void (await ephemeral(USAGE));
    if (!(await responders.isResponder(command.user_id))) return void (await ephemeral(':no_entry: Only SOC responders may run /triage.'));
    if (text === 'status') {
      const [counts, workers, recent] = await Promise.all([deps.queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), deps.queue.getWorkers(), deps.state.recentVerdicts(5)]);
      const lines = [
        `*Queue* ${QUEUE_NAME}: ${counts['waiting'] ?? 0} waiting, ${counts['active'] ?? 0} active, ${counts['delayed'] ?? 0} delayed (retrying), ${counts['failed'] ?? 0} failed`,
        `*Workers:* ${workers.length}`,
        `*Last verdicts:*${recent.length ? '' : ' none yet'}`,
      ];
      return void (await ephemeral(lines.join('\n'), [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }, ...recentBlock(recent)]));
    }
    if (text === 'suppressions') {
      const m = await suppressionsMessage();
      return void (await ephemeral(m.text, m.blocks));
    }
    if (text === 'stats') {
      try {
        const record = await readTrackRecord();
        return void (await ephemeral(trackRecordText(record), trackRecordBlocks(record)));
      } catch (err) {
        deps.log('error', `/triage stats failed: ${(err as Error).message}`);
        return void (await ephemeral(`:warning: The track record could not be read: ${publicReason(err)}. Try again in a minute.`));
      }
    }
    const id = text.split(/\s+/)[0]!.slice(0, 256);
    let stored: unknown;
    try {
      stored = await deps.alerts.findAlert(id);
    } catch (err) {
      deps.log('error', `/triage lookup failed: ${(err as Error).message}`);
      return void (await notice(`:warning: Could not look the alert up: ${publicReason(err)}. Try again in a minute.`, [[label('Alert: '), value(id, 200)]]));
    }
    const outcome = (() => {
      try {
        return stored === undefined ? undefined : recogniseAlert(stored);
      } catch (err) {
        if (err instanceof AlertParseError) return { kind: 'not-an-alert' as const, reason: err.message };
        throw err;
      }
    })();
    if (!outcome) return void (await notice('No alert with this id was found:', [[label('Alert: '), value(id, 200)]]));
    if (outcome.kind !== 'alert') return void (await notice('This alert is stored but cannot be investigated:', [[label('Alert: '), value(id, 200)], [label('Why: '), value(outcome.reason, 300)]]));
    const alert = outcome.alert;
    let posted;
    try {
      posted = await client.chat.postMessage({ channel: command.channel_id, ...renderInvestigating(alert.id, `Investigating (requested by <@${command.user_id}>)`) });
    } catch (err) {
      const code = slackErrorCode(err);
      if (code !== 'not_in_channel' && code !== 'channel_not_found') throw err;
      // The bot can only answer where it was invited; say so instead of saying nothing.
      return void (await notice(":wave: I'm not a member of this channel, so I can't post the verdict here. Invite me with `/invite @soc-triage` (channel details → Integrations → Add apps), or run `/triage` in a channel I'm in.", [[label('Alert: '), value(alert.id, 200)]]));
    }
    if (!posted.ts) return;
    const key = alertKey(alert.id);
    const raw = JSON.stringify(alert.raw);
    const claimed = await deps.state.claim(key, { alertId: alert.id, raw, channel: command.channel_id, threadTs: posted.ts, messageTs: posted.ts });
    // Asked again for a known alert: the stored body (INDEX_ALERTS) replaces whatever was posted under its id, answered here.
    const run = claimed ? 0 : await deps.state.replace(key, { raw, channel: command.channel_id, threadTs: posted.ts, messageTs: posted.ts });
    await deps.queue.add('investigate', { alertKey: key, run }, { jobId: jobIdFor(key, run) });
  });

  /** Common preamble of the buttons: who, which alert, may they. */
  async function buttonContext(body: BlockAction, action: ButtonAction) {
    const user = body.user.id;
    const key = action.value ?? '';
    const state = /^[0-9a-f]{32}$/.test(key) ? await deps.state.get(key) : undefined;
    const channel = body.channel?.id ?? state?.channel ?? '';
    if (!state) {
      if (channel) await client.chat.postEphemeral({ channel, user, text: 'This alert is no longer tracked.' });
      return undefined;
    }
    if (!SLACK_ID.test(user) || !(await responders.isResponder(user))) {
      await tellClicker(state, user, ':no_entry: Only SOC responders may do that.');
      return undefined;
    }
    // The alert was posted again (another body) or its report moved: a click on an older report must not act
    // on the newer one's verdict.
    const clicked = body.container?.message_ts ?? body.message?.ts;
    if (clicked && state.messageTs && clicked !== state.messageTs) {
      const link = await client.chat.getPermalink({ channel: state.channel, message_ts: state.messageTs }).catch(() => undefined);
      await client.chat.postEphemeral({
        channel: body.channel?.id ?? state.channel,
        user,
        text: `:repeat: This report is out of date: the alert was posted again${link?.permalink ? ` — see <${link.permalink}|the latest report>` : ''}. Act there.`,
        ...(body.container?.thread_ts ? { thread_ts: String(body.container.thread_ts) } : {}),
      });
      return undefined;
    }
    return { user, key, state };
  }

  /** An ephemeral answer to a click, in the alert's thread when the verdict lives in one. */
  const tellClicker = (state: AlertState, user: string, text: string) =>
    client.chat.postEphemeral({ channel: state.channel, user, text, ...(state.messageTs && state.threadTs !== state.messageTs ? { thread_ts: state.threadTs } : {}) });
  const describeDecision = (d: Decision) => `${d.kind} by <@${SLACK_ID.test(d.by) ? d.by : 'unknown'}> at ${d.at.slice(0, 40)}`;

  /** Which alerts are similar to this one (none without a verdict, or when the flow can name no entity). */
  function similarOf(state: AlertState): SimilarityKey | undefined {
    if (!state.verdict) return undefined;
    try {
      const outcome = recogniseAlert(JSON.parse(state.raw) as unknown);
      return outcome.kind === 'alert' ? similarityKey(outcome.alert, state.verdict) : undefined;
    } catch {
      return undefined; // a stored body that no longer parses: dismissing still works, suppressing is not offered
    }
  }

  async function suppressionsMessage(note?: string): Promise<{ text: string; blocks: Block[] }> {
    const list = await deps.state.suppressions.list();
    return {
      text: `${list.length} suppression(s) in force`,
      blocks: [...(note ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: note }] }] : []), ...suppressionBlocks(list, SUPPRESSIONS_IN_MESSAGE)],
    };
  }

  async function showDecision(key: string, decision: Decision): Promise<void> {
    const state = await deps.state.get(key);
    if (!state?.messageTs || !state.verdict) return;
    const alert = recogniseAlert(JSON.parse(state.raw) as unknown);
    const title = alert.kind === 'alert' ? alert.alert.title : undefined;
    const message = renderVerdict({ verdict: state.verdict, alertKey: key, decision, ...(title ? { alertTitle: title } : {}), contain: offerContainment });
    await client.chat.update({ channel: state.channel, ts: state.messageTs, text: message.text, blocks: message.blocks as never });
  }

  /**
   * Escalation: the decision is recorded first (the first click wins), then each side effect runs on its own —
   * the escalation post, PagerDuty, the message update, the audit — so one failing never stops the others.
   * What failed is told to the clicker and written into the decision.
   */
  app.action<BlockAction<ButtonAction>>(ACTIONS.escalate, async ({ ack, body, action }) => {
    await ack();
    const ctx = await buttonContext(body, action);
    if (!ctx) return;
    const { user, key, state } = ctx;
    const { recorded, decision } = await deps.state.decide(key, { kind: 'escalated', by: user, at: new Date().toISOString() });
    if (!recorded) return void (await tellClicker(state, user, `This alert was already ${describeDecision(decision)}.`));
    const v = state.verdict;
    const link = state.messageTs ? await client.chat.getPermalink({ channel: state.channel, message_ts: state.messageTs }).catch(() => undefined) : undefined;
    const outcomes: string[] = [];
    const failures: string[] = [];
    const attempt = async (what: string, done: string, step: () => Promise<unknown>) => {
      try {
        await step();
        outcomes.push(done);
      } catch (err) {
        const why = slackErrorCode(err) ?? publicReason(err);
        failures.push(`${what} failed: ${why}`);
        deps.log('error', `escalation of ${state.alertId}: ${what} failed: ${(err as Error).message}`);
      }
    };
    if (s.escalationChannel) {
      const mention = s.oncallUsergroup ? `<!subteam^${s.oncallUsergroup}> ` : '';
      const lead = `${mention}:rotating_light: Escalation by <@${user}>${v ? `: *${headline(v)}*` : ''}${link?.permalink ? ` — <${link.permalink}|open the thread>` : ''}`;
      await attempt('Slack post', 'posted to the escalation channel', () =>
        client.chat.postMessage({
          channel: s.escalationChannel!,
          text: lead,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lead } }, richText([[label('Alert: '), value(state.alertId, 200)], ...(v ? [[value(v.summary, 500)]] : [])])] as never,
        }),
      );
    }
    if (s.pagerDuty) {
      const pd = s.pagerDuty;
      await attempt('PagerDuty', 'PagerDuty triggered', () =>
        triggerPagerDuty({
          ...pd,
          dedupKey: state.alertId,
          summary: `SOC escalation: ${state.alertId}${v ? ` — ${v.verdict} (${v.score ?? 'n/a'}): ${v.summary}` : ''}`,
          severity: v?.verdict === 'malicious' ? 'critical' : 'error',
          source: 'soc-triage-bot',
          ...(link?.permalink ? { link: link.permalink } : {}),
          details: { alert_id: state.alertId, flow: v?.flow, verdict: v?.verdict, score: v?.score, escalated_by: user },
        }),
      );
    }
    const outcome = ['escalated', ...failures].join('; ');
    const final = failures.length ? await deps.state.setDecisionOutcome(key, outcome) : decision;
    await attempt('message update', 'message updated', () => showDecision(key, final));
    await attempt('audit', 'audited', () =>
      deps.audit.disposition({
        alertId: state.alertId,
        action: 'escalate',
        actor: user,
        outcome,
        decidedAt: decision.at,
        ...(state.arrivedAt ? { arrivedAt: state.arrivedAt } : {}),
        ...(v ? { flow: v.flow, verdict: v.verdict, score: v.score } : {}),
      }),
    );
    if (failures.length) await tellClicker(state, user, `:warning: Escalated, but ${failures.join('; ')}. ${outcomes.length ? `Done: ${outcomes.join(', ')}.` : ''}`).catch(() => undefined);
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.dismiss, async ({ ack, body, action }) => {
    await ack();
    const ctx = await buttonContext(body, action);
    if (!ctx) return;
    if (ctx.state.decision) return void (await tellClicker(ctx.state, ctx.user, `This alert was already ${describeDecision(ctx.state.decision)}.`));
    try {
      // The trigger lives 3 s: a rate-limited views.open is answered now, not waited out.
      await interactive.views.open({ trigger_id: body.trigger_id, view: dismissModal(ctx.key, similarOf(ctx.state)) as never });
    } catch (err) {
      const code = slackErrorCode(err) ?? (err as { code?: string }).code;
      deps.log('warn', `dismiss modal not opened: ${code ?? (err as Error).message}`);
      await tellClicker(ctx.state, ctx.user, ':hourglass: Slack is busy and the dialog could not open in time. Click *Dismiss* again.');
    }
  });

  app.view(DISMISS_VIEW, async ({ ack, body, view }) => {
    await ack();
    const user = body.user.id;
    const key = view.private_metadata;
    const state = /^[0-9a-f]{32}$/.test(key) ? await deps.state.get(key) : undefined;
    if (!state) return;
    if (!SLACK_ID.test(user) || !(await responders.isResponder(user))) return void (await tellClicker(state, user, ':no_entry: Only SOC responders may do that.'));
    const reasonValue = view.state.values['reason']?.['value']?.selected_option?.value ?? 'other';
    const reason = DISMISS_REASONS.find(([v]) => v === reasonValue)?.[1] ?? 'Other';
    const note = (view.state.values['note']?.['value']?.value ?? '').slice(0, 1000);
    // Suppress similar alerts: only for a period offered, and only when the alert names what is similar.
    const daysChosen = view.state.values['suppress']?.['value']?.selected_option?.value;
    const days = SUPPRESSION_DAYS.find((d) => String(d) === daysChosen);
    const similar = days ? similarOf(state) : undefined;
    const now = new Date();
    const suppressedUntil = days && similar ? new Date(now.getTime() + days * DAY_MS).toISOString() : undefined;
    const { recorded, decision } = await deps.state.decide(key, { kind: 'dismissed', by: user, at: now.toISOString(), reason, ...(note ? { note } : {}), ...(suppressedUntil ? { suppressedUntil } : {}) });
    if (!recorded) return void (await tellClicker(state, user, `This alert was already ${describeDecision(decision)}.`));
    const v = state.verdict;
    let suppression: Suppression | undefined;
    if (similar && suppressedUntil) {
      suppression = { id: similar.id, flow: similar.flow, kind: similar.kind, parts: similar.parts, by: user, reason: reasonValue, alertId: state.alertId, createdAt: now.toISOString(), until: suppressedUntil };
      await deps.state.suppressions.create(suppression);
    }
    await showDecision(key, decision);
    const verdictFields = v ? { flow: v.flow, verdict: v.verdict, score: v.score } : {};
    await deps.audit.disposition({ alertId: state.alertId, action: 'dismiss', actor: user, reason: reasonValue, decidedAt: decision.at, ...(state.arrivedAt ? { arrivedAt: state.arrivedAt } : {}), ...(note ? { note } : {}), ...verdictFields });
    if (suppression) await deps.audit.disposition({ alertId: state.alertId, action: 'suppress', actor: user, reason: reasonValue, suppression, days, ...verdictFields });
  });

  /** Lifting a suppression, from /triage suppressions (an ephemeral message) or the Home tab. */
  app.action<BlockAction<ButtonAction>>(LIFT_SUPPRESSION, async ({ ack, body, action, respond }) => {
    await ack();
    const user = body.user.id;
    const fromHome = body.container?.type === 'view';
    // An ephemeral list is answered through its response_url (Slack sends one with the click).
    const canRespond = typeof body.response_url === 'string' && body.response_url !== '';
    const tell = async (text: string) => {
      if (fromHome) await publishHome(user, text);
      else if (canRespond) await respond({ response_type: 'ephemeral', replace_original: true, ...(await suppressionsMessage(text)) } as never);
    };
    if (!SLACK_ID.test(user) || !(await responders.isResponder(user))) {
      if (fromHome || !canRespond) return;
      return void (await respond({ response_type: 'ephemeral', replace_original: false, text: ':no_entry: Only SOC responders may do that.' }));
    }
    const lifted = await deps.state.suppressions.lift(action.value ?? '');
    if (!lifted) return void (await tell(':information_source: That suppression had already ended or been lifted.'));
    await deps.audit.disposition({ alertId: lifted.alertId, flow: lifted.flow, action: 'lift_suppression', actor: user, reason: lifted.reason, suppression: lifted });
    await tell(`:loud_sound: Lifted by <@${user}>: similar ${lifted.flow} alerts are answered in full again (it was to last until ${untilText(lifted.until)}).`);
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.rerun, async ({ ack, body, action }) => {
    await ack();
    const ctx = await buttonContext(body, action);
    if (!ctx) return;
    const run = await deps.state.nextRun(ctx.key);
    // A courtesy: the message may be gone (the worker then posts the verdict anew in the thread).
    if (ctx.state.messageTs) {
      await client.chat
        .update({ channel: ctx.state.channel, ts: ctx.state.messageTs, ...renderInvestigating(ctx.state.alertId, `Re-running (requested by <@${ctx.user}>)`) })
        .catch((err: unknown) => deps.log('warn', `re-run status not shown: ${slackFailureReason(err)}`));
    }
    await deps.queue.add('investigate', { alertKey: ctx.key, run }, { jobId: jobIdFor(ctx.key, run) });
    await deps.audit.disposition({ alertId: ctx.state.alertId, action: 'rerun', actor: ctx.user });
  });

  /**
   * The Home tab: usage for everyone; for responders only, the last verdicts (alert ids, outcomes), the
   * suppressions in force and the bot's track record. `note` is a line of ours on top (after a Lift).
   */
  async function publishHome(userId: string, note?: string): Promise<void> {
    const responder = SLACK_ID.test(userId) && (await responders.isResponder(userId).catch(() => false));
    let responderBlocks: Block[] = [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'Recent verdicts, suppressions and the track record are shown to SOC responders only.' }] }];
    if (responder) {
      const [recent, suppressions, record] = await Promise.all([
        deps.state.recentVerdicts(10),
        deps.state.suppressions.list(),
        readTrackRecord().catch((err: unknown) => {
          deps.log('warn', `Home tab: track record not read: ${(err as Error).message}`);
          return publicReason(err);
        }),
      ]);
      responderBlocks = [
        { type: 'section', text: { type: 'mrkdwn', text: `*Last verdicts*${recent.length ? '' : '\nnone yet'}` } },
        ...recentBlock(recent),
        { type: 'divider' },
        ...suppressionBlocks(suppressions, SUPPRESSIONS_IN_HOME),
        { type: 'divider' },
        ...(typeof record === 'string' ? [{ type: 'section', text: { type: 'mrkdwn', text: `*Track record*\n:warning: not available: ${record}` } }] : trackRecordBlocks(record)),
      ];
    }
    await client.views.publish({
      user_id: userId,
      view: {
        type: 'home',
        blocks: [
          ...(note ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: note }] }] : []),
          { type: 'section', text: { type: 'mrkdwn', text: `*SOC Triage*\n${USAGE}` } },
          ...responderBlocks,
        ] as never,
      },
    });
  }

  app.event('app_home_opened', async ({ event }) => publishHome(event.user));

  app.error(async (err) => deps.log('error', `slack handler failed: ${err.message}`));
  return app;
}
