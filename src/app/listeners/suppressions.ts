// Lifting a suppression, from /triage suppressions (an ephemeral message) or the Home tab.
import { storedFlowTitle } from '../../flows/flow-names.js';
import type { App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { LIFT_SUPPRESSION } from '../../slack/render.js';
import { dateToken } from '../../slack/rich-text.js';
import { suppressionsMessage } from '../analyst-views.js';
import type { ListenerDeps } from '../deps.js';
import { NOT_A_RESPONDER, onlyResponders } from '../responders.js';
import { publishHome } from './home-tab.js';

type LiftArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

const fromHome = (body: LiftArgs['body']) => body.container?.type === 'view';
/** An ephemeral list is answered through its response_url (Slack sends one with the click). */
const canRespond = (body: LiftArgs['body']) => typeof body.response_url === 'string' && body.response_url !== '';

export function register(app: App, deps: ListenerDeps): void {
  const responderOnly = onlyResponders<LiftArgs>(deps.responders, {
    user: ({ body }) => body.user.id,
    // The Home tab has nowhere to answer; an ephemeral list is answered beside it.
    deny: async ({ body, respond }) => {
      if (!fromHome(body) && canRespond(body)) await respond({ response_type: 'ephemeral', replace_original: false, text: NOT_A_RESPONDER });
    },
  });

  app.action<BlockAction<ButtonAction>>(LIFT_SUPPRESSION, async ({ ack, next }) => (await ack(), next()), responderOnly, async ({ body, action, respond }) => {
    const user = body.user.id;
    const tell = async (text: string) => {
      if (fromHome(body)) await publishHome(deps, user, text);
      else if (canRespond(body)) await respond({ response_type: 'ephemeral', replace_original: true, ...suppressionsMessage(await deps.state.suppressions.list(), text) } as never);
    };
    const lifted = await deps.state.suppressions.lift(action.value ?? '');
    if (!lifted) return void (await tell(':information_source: That suppression had already ended or been lifted.'));
    const audited = await deps.effects.run('lift_suppression', 'audit', lifted.alertId, () =>
      deps.audit.disposition({ alertId: lifted.alertId, flow: lifted.flow, action: 'lift_suppression', actor: user, reason: lifted.reason, suppression: lifted }),
    );
    const warning = audited.ok ? '' : ` :warning: audit failed: ${audited.reason}.`;
    await tell(`:loud_sound: Lifted by <@${user}>: similar ${storedFlowTitle(lifted.flow)} alerts are answered in full again (it was to last until ${dateToken(lifted.until)}).${warning}`);
  });
}
