// Re-run: the alert is investigated again (a new run); the report says so meanwhile, as a courtesy.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { jobIdFor, runBody } from '../../queue/queue.js';
import { ACTIONS, renderInvestigating } from '../../slack/render.js';
import { clickedAlertOf, reportButton, type ClickContext } from '../clicked-alert.js';
import type { ListenerDeps } from '../deps.js';

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>, ClickContext>(ACTIONS.rerun, ...reportButton(deps), async (args) => {
    const { user, key, state } = clickedAlertOf(args);
    const run = await deps.state.nextRun(key);
    // A courtesy: the message may be gone (the worker then posts the verdict anew in the thread).
    const messageTs = state.messageTs;
    if (messageTs) {
      await deps.effects.run('rerun', 'slack_update', state.alertId, () =>
        deps.client.chat.update({ channel: state.channel, ts: messageTs, ...renderInvestigating(state.alertId, `Re-running (requested by <@${user}>)`) }),
      );
    }
    await deps.queue.add('investigate', { alertKey: key, run, body: runBody(state) }, { jobId: jobIdFor(key, run) });
    await deps.effects.run('rerun', 'audit', state.alertId, () => deps.audit.disposition({ alertId: state.alertId, action: 'rerun', actor: user }));
  });
}
