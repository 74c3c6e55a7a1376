// Containment from the thread (issue 20): Contain… opens a modal with exactly what will be done; submitting posts
// an approval request in the thread; a different responder approves (or refuses); the outcome, Retry and Undo
// are shown there. Buttons carry only ids: the plan is made from the stored verdict, never from a payload.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { recogniseAlert } from '../../flows/recognise.js';
import type { Alert } from '../../alerts/types.js';
import { planContainment } from '../../containment/plan.js';
import type { ContainmentService, StepResult } from '../../containment/service.js';
import type { ContainmentRequest } from '../../containment/store.js';
import type { AlertState } from '../../queue/state.js';
import { approvalRequestMessage, CONTAIN, CONTAIN_VIEW, containModal, requestStatusMessage } from '../../slack/containment-render.js';
import type { ListenerDeps } from '../deps.js';

const ALERT_KEY = /^[0-9a-f]{32}$/;

function storedAlert(raw: string): Alert | undefined {
  try {
    const outcome = recogniseAlert(JSON.parse(raw) as unknown);
    return outcome.kind === 'alert' ? outcome.alert : undefined;
  } catch {
    return undefined;
  }
}

/** Nothing is registered while containment is off. Who may act is the approver group's check, in the service. */
export function register(app: App, deps: ListenerDeps): void {
  if (deps.containment && deps.offerContainment) registerWith(app, deps, deps.containment);
}

function registerWith(app: App, deps: ListenerDeps, containment: ContainmentService): void {
  const { client } = deps;
  const tell = (channel: string, threadTs: string | undefined, user: string, text: string) =>
    client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) }).catch((err: unknown) => deps.log('warn', `containment: ephemeral answer not posted: ${(err as Error).message}`));
  const threadOf = (s: AlertState) => (s.messageTs && s.threadTs !== s.messageTs ? s.threadTs : undefined);

  /** The verdict the click was on, and its plan; or why not (told to the clicker, audited). */
  async function planFor(key: string, user: string, clickedTs: string | undefined, channel: string) {
    const state = ALERT_KEY.test(key) ? await deps.state.get(key) : undefined;
    if (!state) {
      await containment.deny(user, 'containment asked for an alert that is not tracked');
      if (channel) await tell(channel, undefined, user, 'This alert is no longer tracked.');
      return undefined;
    }
    const refuse = async (why: string) => {
      await containment.deny(user, why);
      await tell(state.channel, threadOf(state), user, `:no_entry: Cannot contain: ${why}.`);
      return undefined;
    };
    // The click must come from this alert's verdict message: a button value naming another alert is refused.
    if (clickedTs !== undefined && clickedTs !== state.messageTs) return refuse('the click does not come from this alert’s verdict message');
    if (!state.verdict) return refuse('there is no verdict yet');
    // The target comes from the facts: a verdict whose facts did not read back has none.
    if (state.verdict.facts === null) return refuse(`the verdict has no readable facts (${state.verdict.facts_problem})`);
    if (!(await containment.mayAct(user))) return refuse('only members of the approver group may request containment');
    const planned = planContainment(state.verdict, storedAlert(state.raw));
    if ('refused' in planned) return refuse(planned.refused);
    if (!containment.available(planned.plan)) return refuse(`the ${planned.plan.target.kind} action is not configured here`);
    return { state, plan: planned.plan };
  }

  app.action<BlockAction<ButtonAction>>(CONTAIN.open, async ({ ack, body, action }) => {
    await ack();
    const clicked = body.container?.message_ts ?? body.message?.ts;
    const planned = await planFor(action.value ?? '', body.user.id, clicked, body.channel?.id ?? '');
    if (!planned) return;
    try {
      await deps.interactive.views.open({ trigger_id: body.trigger_id, view: containModal(action.value ?? '', planned.plan, containment.mode, Math.round(containment.ttlMs / 60_000)) as never });
    } catch (err) {
      deps.log('warn', `contain modal not opened: ${(err as Error).message}`);
      await tell(planned.state.channel, threadOf(planned.state), body.user.id, ':hourglass: Slack is busy and the dialog could not open in time. Click *Contain…* again.');
    }
  });

  app.view(CONTAIN_VIEW, async ({ ack, body, view }) => {
    await ack();
    const user = body.user.id;
    // Planned again from the stored verdict: nothing of the view but the alert key is read.
    const planned = await planFor(view.private_metadata, user, undefined, '');
    if (!planned) return;
    const { state, plan } = planned;
    const asked = await containment.request({ alertKey: view.private_metadata, alertId: state.alertId, plan, by: user, channel: state.channel, threadTs: state.threadTs });
    if (!asked.done) return void (await tell(state.channel, threadOf(state), user, `:no_entry: ${asked.reason}.`));
    const message = approvalRequestMessage(asked.request);
    const posted = await client.chat.postMessage({ channel: state.channel, thread_ts: state.threadTs, text: message.text, blocks: message.blocks as never });
    if (posted.ts) await containment.setMessage(asked.request.id, posted.ts);
  });

  registerSteps(app, deps, containment);
}

/** Approve, Refuse, Retry, Undo on the request's own message, and the expiry sweep; each shows the outcome. */
function registerSteps(app: App, deps: ListenerDeps, containment: ContainmentService): void {
  const { client } = deps;
  const tell = (channel: string, threadTs: string | undefined, user: string, text: string) =>
    client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) }).catch((err: unknown) => deps.log('warn', `containment: ephemeral answer not posted: ${(err as Error).message}`));
  /** Shows the request as it now stands on its message in the thread. */
  const show = (r: ContainmentRequest) => {
    if (!r.messageTs) return Promise.resolve();
    const m = requestStatusMessage(r);
    return client.chat.update({ channel: r.channel, ts: r.messageTs, text: m.text, blocks: m.blocks as never }).then(
      () => undefined,
      (err: unknown) => deps.log('warn', `containment ${r.id}: thread message not updated: ${(err as Error).message}`),
    );
  };

  /** One of Approve, Refuse, Retry, Undo: only on the request's own message; the step decides the rest. */
  const onStep = (actionId: string, step: (id: string, user: string) => Promise<StepResult>) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const user = body.user.id;
      const id = action.value ?? '';
      const request = await containment.get(id);
      const clicked = body.container?.message_ts ?? body.message?.ts;
      const channel = body.channel?.id ?? '';
      if (!request || !request.messageTs || clicked !== request.messageTs || channel !== request.channel) {
        await containment.deny(user, request ? 'the click does not come from this request’s message' : 'no such containment request', request);
        if (channel) await tell(channel, body.container?.thread_ts ? String(body.container.thread_ts) : undefined, user, ':no_entry: This button does not belong to a containment request here. Nothing was done.');
        return;
      }
      const result = await step(id, user);
      if (result.request) await show((await containment.get(id)) ?? result.request);
      if (!result.done) await tell(request.channel, request.threadTs, user, `:no_entry: ${result.reason}.`);
    });
  onStep(CONTAIN.approve, (id, user) => containment.approve(id, user));
  onStep(CONTAIN.refuse, (id, user) => containment.refuse(id, user));
  onStep(CONTAIN.retry, (id, user) => containment.retry(id, user));
  onStep(CONTAIN.undo, (id, user) => containment.undo(id, user));

  // Expired requests are shown as such in their thread (approval of one is refused whether or not this ran).
  const every = deps.containmentSweepEveryMs ?? 30_000;
  const sweep = async () => {
    for (const r of await containment.expireDue()) await show(r);
  };
  const timer = every > 0 ? setInterval(() => void sweep().catch((err: unknown) => deps.log('warn', `containment sweep: ${(err as Error).message}`)), every) : undefined;
  // Never keeps the process alive; on shutdown the process ends and the next start sweeps what is due.
  timer?.unref();
}
