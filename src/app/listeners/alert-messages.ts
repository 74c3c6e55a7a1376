// Alert messages in the alert channels (integrations' only by default, SLACK_ALERT_POSTERS widens it): each message
// is handled once however often Slack delivers it (src/app/alert-message.ts, shared with the catch-up), and held in
// memory while Redis is away (the ack has gone already: Bolt acknowledges events before any listener runs).
import type { App } from '@slack/bolt';
import type { AlertMessage } from '../alert-message.js';
import type { ListenerDeps } from '../deps.js';

export { isAlertPoster, type AlertMessage } from '../alert-message.js';

export function register(app: App, deps: ListenerDeps): void {
  app.event('message', async ({ event }) => deps.intake.buffer.receive(event as AlertMessage));
}
