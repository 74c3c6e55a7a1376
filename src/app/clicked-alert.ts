// Bolt middleware in front of the report's buttons (escalate, dismiss, re-run), in this order: the alert the
// button names is loaded, the clicker must be a responder, and the report clicked must be the alert's latest.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isAlertKey, type AlertState } from '../queue/state.js';
import { tellClicker } from './alert-record.js';
import type { ListenerDeps } from './deps.js';
import { NOT_A_RESPONDER, onlyResponders } from './responders.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export interface ClickedAlert {
  user: string;
  key: string;
  state: AlertState;
}

/** What the middleware leaves in Bolt's context for the listener. */
export interface ClickContext {
  clicked?: ClickedAlert;
}

type ButtonMiddleware = Middleware<ButtonArgs, ClickContext>;

/** The loaded alert; the listener runs only after loadClickedAlert, so its absence is our bug. */
export function clickedAlertOf(args: AllMiddlewareArgs<ClickContext>): ClickedAlert {
  const clicked = args.context.clicked;
  if (!clicked) throw new Error('no clicked alert in the context: loadClickedAlert must run before the listener');
  return clicked;
}

/** Loads the alert the button names (its value is the alert key); one no longer tracked is said so. */
function loadClickedAlert(deps: ListenerDeps): ButtonMiddleware {
  return async ({ body, action, context, next }) => {
    const user = body.user.id;
    const key = action.value ?? '';
    const state = isAlertKey(key) ? await deps.state.get(key) : undefined;
    const channel = body.channel?.id ?? state?.channel ?? '';
    if (!state) {
      if (channel) await deps.client.chat.postEphemeral({ channel, user, text: 'This alert is no longer tracked.' });
      return;
    }
    context.clicked = { user, key, state };
    await next();
  };
}

/**
 * The alert was posted again (another body) or its report moved: a click on an older report must not act on
 * the newer one's verdict.
 */
function onlyLatestReport(deps: ListenerDeps): ButtonMiddleware {
  return async (args) => {
    const { body } = args;
    const { user, state } = clickedAlertOf(args);
    const clicked = body.container?.message_ts ?? body.message?.ts;
    // No report recorded (a re-post's status not yet posted): a click on any message is on an older one.
    if (!clicked || clicked === state.messageTs) return void (await args.next());
    const link = state.messageTs ? await deps.client.chat.getPermalink({ channel: state.channel, message_ts: state.messageTs }).catch(() => undefined) : undefined;
    await deps.client.chat.postEphemeral({
      channel: body.channel?.id ?? state.channel,
      user,
      text: `:repeat: This report is out of date: the alert was posted again${link?.permalink ? ` — see <${link.permalink}|the latest report>` : ''}. Act there.`,
      ...(body.container?.thread_ts ? { thread_ts: String(body.container.thread_ts) } : {}),
    });
  };
}

/** Acknowledged at once, within Slack's 3 s, whatever follows. */
const ackFirst: ButtonMiddleware = async ({ ack, next }) => {
  await ack();
  await next();
};

/** The middleware every button of the report runs through, before its listener. */
export function reportButton(deps: ListenerDeps): ButtonMiddleware[] {
  const responderOnly = onlyResponders<ButtonArgs, ClickContext>(deps.responders, {
    user: ({ body }) => body.user.id,
    deny: (args) => tellClicker(deps.client, clickedAlertOf(args).state, args.body.user.id, NOT_A_RESPONDER),
  });
  return [ackFirst, loadClickedAlert(deps), responderOnly, onlyLatestReport(deps)];
}
