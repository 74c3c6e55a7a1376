// Escalate: the decision is recorded first (the first click wins), then each side effect runs on its own through
// the side-effect policy — the escalation post, PagerDuty, the message update, the audit — so one failing never
// stops the others. What failed is told to the clicker and written into the decision.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AlertState, Decision } from '../../queue/state.js';
import { ACTIONS, headline } from '../../slack/render.js';
import { label, richText, value } from '../../slack/rich-text.js';
import { describeDecision, showDecision, tellClicker } from '../alert-record.js';
import { clickedAlertOf, reportButton, type ClickContext } from '../clicked-alert.js';
import type { ListenerDeps } from '../deps.js';
import { triggerPagerDuty } from '../pagerduty.js';
import type { SideEffectKind } from '../side-effects.js';

interface Escalation {
  user: string;
  key: string;
  state: AlertState;
  decision: Decision;
  permalink: string | undefined;
}

/** Runs the escalation's side effects in order; answers what was done and what failed (for the clicker). */
async function escalationEffects(deps: ListenerDeps, e: Escalation): Promise<{ done: string[]; failures: string[] }> {
  const s = deps.settings;
  const v = e.state.verdict;
  const done: string[] = [];
  const failures: string[] = [];
  const attempt = async (effect: SideEffectKind, what: string, doneText: string, step: () => Promise<unknown>) => {
    const outcome = await deps.effects.run('escalate', effect, e.state.alertId, step);
    if (outcome.ok) done.push(doneText);
    else failures.push(`${what} failed: ${outcome.reason}`);
  };
  if (s.escalationChannel) {
    const channel = s.escalationChannel;
    const mention = s.oncallUsergroup ? `<!subteam^${s.oncallUsergroup}> ` : '';
    const lead = `${mention}:rotating_light: Escalation by <@${e.user}>${v ? `: *${headline(v)}*` : ''}${e.permalink ? ` — <${e.permalink}|open the thread>` : ''}`;
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: lead } }, richText([[label('Alert: '), value(e.state.alertId, 200)], ...(v ? [[value(v.summary, 500)]] : [])])];
    await attempt('slack_post', 'Slack post', 'posted to the escalation channel', () => deps.client.chat.postMessage({ channel, text: lead, blocks: blocks as never }));
  }
  if (s.pagerDuty) {
    const pd = s.pagerDuty;
    await attempt('pagerduty', 'PagerDuty', 'PagerDuty triggered', () =>
      triggerPagerDuty({
        ...pd,
        dedupKey: e.state.alertId,
        summary: `SOC escalation: ${e.state.alertId}${v ? ` — ${v.verdict} (${v.score ?? 'n/a'}): ${v.summary}` : ''}`,
        severity: v?.verdict === 'malicious' ? 'critical' : 'error',
        source: 'soc-triage-bot',
        ...(e.permalink ? { link: e.permalink } : {}),
        details: { alert_id: e.state.alertId, flow: v?.flow, verdict: v?.verdict, score: v?.score, escalated_by: e.user },
      }),
    );
  }
  const outcome = ['escalated', ...failures].join('; ');
  const final = failures.length ? await deps.state.setDecisionOutcome(e.key, outcome) : e.decision;
  await attempt('slack_update', 'message update', 'message updated', () => showDecision(deps.client, deps.state, e.key, final, deps.offerContainment, deps.settings.kibana));
  await attempt('audit', 'audit', 'audited', () =>
    deps.audit.disposition({
      alertId: e.state.alertId,
      action: 'escalate',
      actor: e.user,
      outcome,
      decidedAt: e.decision.at,
      ...(e.state.arrivedAt ? { arrivedAt: e.state.arrivedAt } : {}),
      ...(v ? { flow: v.flow, verdict: v.verdict, score: v.score } : {}),
    }),
  );
  return { done, failures };
}

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>, ClickContext>(ACTIONS.escalate, ...reportButton(deps), async (args) => {
    const { user, key, state } = clickedAlertOf(args);
    const { recorded, decision } = await deps.state.decide(key, { kind: 'escalated', by: user, at: new Date().toISOString() });
    if (!recorded) return void (await tellClicker(deps.client, state, user, `This alert was already ${describeDecision(decision)}.`));
    const link = state.messageTs ? await deps.client.chat.getPermalink({ channel: state.channel, message_ts: state.messageTs }).catch(() => undefined) : undefined;
    const { done, failures } = await escalationEffects(deps, { user, key, state, decision, permalink: link?.permalink });
    if (failures.length) await tellClicker(deps.client, state, user, `:warning: Escalated, but ${failures.join('; ')}. ${done.length ? `Done: ${done.join(', ')}.` : ''}`).catch(() => undefined);
  });
}
