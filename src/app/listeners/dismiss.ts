// Dismiss: the button opens the modal (reason, note, and suppressing similar alerts for a while); its submission
// records the decision (the first wins), then the suppression, the report's update and the audit records run
// through the side-effect policy: a failing chat.update never loses the audit record.
import type { App, BlockAction, ButtonAction, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { AlertState, Decision } from '../../queue/state.js';
import { slackFailureReason } from '../../slack/errors.js';
import { DISMISS_REASONS, DISMISS_VIEW, dismissModal } from '../../slack/dismiss-modal.js';
import { ACTIONS } from '../../slack/render.js';
import type { SimilarityKey } from '../../suppress/key.js';
import { SUPPRESSION_DAYS, type Suppression } from '../../suppress/store.js';
import { describeDecision, showDecision, similarOf, tellClicker } from '../alert-record.js';
import { clickedAlertOf, reportButton, type ClickContext } from '../clicked-alert.js';
import type { ListenerDeps } from '../deps.js';
import { changedSince, decodeShown, encodeShown, type DismissShown } from '../dismiss-shown.js';
import { NOT_A_RESPONDER, onlyResponders } from '../responders.js';

const DAY_MS = 24 * 3600_000;

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction>;
/** What the submission's middleware hands on: the alert's record and what the dialog showed of it. */
type Dismissed = { dismissed?: AlertState; shown?: DismissShown };

/** What the responder chose in the modal; values outside the offered ones fall back to the safe choice. */
function readChoices(view: ViewArgs['view']) {
  const values = view.state.values;
  const reasonValue = values['reason']?.['value']?.selected_option?.value ?? 'other';
  const reason = DISMISS_REASONS.find(([v]) => v === reasonValue)?.[1] ?? 'Other';
  const note = (values['note']?.['value']?.value ?? '').slice(0, 1000);
  const daysChosen = values['suppress']?.['value']?.selected_option?.value;
  const days = SUPPRESSION_DAYS.find((d) => String(d) === daysChosen);
  return { reasonValue, reason, note, days };
}

interface Dismissal {
  user: string;
  key: string;
  state: AlertState;
  decision: Decision;
  reasonValue: string;
  note: string;
  /** Similar alerts suppressed: the suppression, and for how many days. */
  suppress?: { suppression: Suppression; days: number };
}

/** The dismissal's side effects, each on its own; answers what failed (for the clicker). */
async function dismissalEffects(deps: ListenerDeps, d: Dismissal): Promise<string[]> {
  const failures: string[] = [];
  const attempt = async (effect: 'suppression' | 'slack_update' | 'audit', what: string, step: () => Promise<unknown>) => {
    const outcome = await deps.effects.run('dismiss', effect, d.state.alertId, step);
    if (!outcome.ok) failures.push(`${what} failed: ${outcome.reason}`);
    return outcome.ok;
  };
  const v = d.state.verdict;
  const verdictFields = v ? { flow: v.flow, verdict: v.verdict, score: v.score } : {};
  const suppressed = d.suppress ? await attempt('suppression', 'suppressing similar alerts', () => deps.state.suppressions.create(d.suppress!.suppression)) : false;
  await attempt('slack_update', 'message update', () => showDecision(deps.client, deps.state, d.key, d.decision, deps.offerContainment, deps.settings.kibana));
  await attempt('audit', 'audit', () =>
    deps.audit.disposition({
      alertId: d.state.alertId,
      action: 'dismiss',
      actor: d.user,
      reason: d.reasonValue,
      decidedAt: d.decision.at,
      ...(d.state.arrivedAt ? { arrivedAt: d.state.arrivedAt } : {}),
      ...(d.note ? { note: d.note } : {}),
      ...verdictFields,
    }),
  );
  if (suppressed && d.suppress) {
    const { suppression, days } = d.suppress;
    await attempt('audit', 'audit of the suppression', () => deps.audit.disposition({ alertId: d.state.alertId, action: 'suppress', actor: d.user, reason: d.reasonValue, suppression, days, ...verdictFields }));
  }
  return failures;
}

/** The suppression, carrying the verdict dismissed: it quiets only verdicts no more severe (suppress/answer.ts). */
function suppressionFor(similar: SimilarityKey, d: { user: string; reasonValue: string; state: AlertState; now: Date; until: string }): Suppression {
  const v = d.state.verdict;
  return { id: similar.id, flow: similar.flow, kind: similar.kind, parts: similar.parts, by: d.user, reason: d.reasonValue, alertId: d.state.alertId, createdAt: d.now.toISOString(), until: d.until, ...(v ? { verdict: v.verdict, score: v.score } : {}) };
}

/** The modal's submission: it acts on the report and the similarity key it showed, or refuses, saying why. */
async function submitDismissal(deps: ListenerDeps, args: ViewArgs, state: AlertState, shown: DismissShown): Promise<void> {
  const user = args.body.user.id;
  const key = shown.key;
  const { reasonValue, reason, note, days } = readChoices(args.view);
  const similarNow = similarOf(state);
  const changed = changedSince(shown, state, similarNow);
  if (changed) return void (await tellClicker(deps.client, state, user, `:warning: This alert changed while the dialog was open (${changed}): nothing was dismissed or suppressed. Click *Dismiss* on the latest report to see what it would dismiss now.`));
  // Suppress similar alerts: only for a period offered, and only when the alert names what is similar.
  const similar = days ? similarNow : undefined;
  const now = new Date();
  const suppressedUntil = days && similar ? new Date(now.getTime() + days * DAY_MS).toISOString() : undefined;
  const { recorded, decision } = await deps.state.decide(key, { kind: 'dismissed', by: user, at: now.toISOString(), reason, ...(note ? { note } : {}), ...(suppressedUntil ? { suppressedUntil } : {}) });
  if (!recorded) return void (await tellClicker(deps.client, state, user, `This alert was already ${describeDecision(decision)}.`));
  const suppress = similar && suppressedUntil && days ? { suppression: suppressionFor(similar, { user, reasonValue, state, now, until: suppressedUntil }), days } : undefined;
  const failures = await dismissalEffects(deps, { user, key, state, decision, reasonValue, note, ...(suppress ? { suppress } : {}) });
  if (failures.length) await tellClicker(deps.client, state, user, `:warning: Dismissed, but ${failures.join('; ')}.`).catch(() => undefined);
}

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>, ClickContext>(ACTIONS.dismiss, ...reportButton(deps), async (args) => {
    const { user, key, state } = clickedAlertOf(args);
    if (state.decision) return void (await tellClicker(deps.client, state, user, `This alert was already ${describeDecision(state.decision)}.`));
    try {
      // The trigger lives 3 s: a rate-limited views.open is answered now, not waited out.
      const similar = similarOf(state);
      await deps.interactive.views.open({ trigger_id: args.body.trigger_id, view: dismissModal(encodeShown(state, key, similar), similar) as never });
    } catch (err) {
      deps.log('warn', `dismiss modal not opened: ${slackFailureReason(err)}`);
      await tellClicker(deps.client, state, user, ':hourglass: Slack is busy and the dialog could not open in time. Click *Dismiss* again.');
    }
  });

  // The modal names its alert and what it showed in private_metadata; an alert no longer tracked, or a dialog that
  // says nothing we can read, is dropped quietly.
  const loadDismissed = async (args: ViewArgs & { context: Dismissed; next: () => Promise<void> }) => {
    await args.ack();
    const shown = decodeShown(args.view.private_metadata);
    const state = shown ? await deps.state.get(shown.key) : undefined;
    if (!state || !shown) return;
    args.context.dismissed = state;
    args.context.shown = shown;
    await args.next();
  };
  const responderOnly = onlyResponders<ViewArgs, Dismissed>(deps.responders, {
    user: ({ body }) => body.user.id,
    deny: async ({ context, body }) => {
      if (context.dismissed) await tellClicker(deps.client, context.dismissed, body.user.id, NOT_A_RESPONDER);
    },
  });
  app.view<ViewSubmitAction, Dismissed>(DISMISS_VIEW, loadDismissed, responderOnly, async (args) => {
    const { dismissed, shown } = args.context;
    if (dismissed && shown) await submitDismissal(deps, args, dismissed, shown);
  });
}
