// The Bolt app: it parses, queues and answers; it never investigates inline. The factory builds the app and
// what the listeners share, then wires each listener (src/app/listeners/, one file per Slack concept).
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { slackSdkLogger } from '../ops/log.js';
import { oneShotClientOptions, slackClientOptions } from '../slack/client.js';
import type { ListenerDeps, SlackDeps, SlackSettings } from './deps.js';
import * as alertMessages from './listeners/alert-messages.js';
import * as containment from './listeners/containment.js';
import * as dismiss from './listeners/dismiss.js';
import * as escalate from './listeners/escalate.js';
import * as homeTab from './listeners/home-tab.js';
import * as rerun from './listeners/rerun.js';
import * as suppressions from './listeners/suppressions.js';
import * as triageCommand from './listeners/triage-command.js';
import { createAlertIntake } from './alert-intake.js';
import { Responders } from './responders.js';
import { SideEffects } from './side-effects.js';

export type { SlackDeps, SlackSettings } from './deps.js';

export const DEFAULT_MIN_AGREEMENT = 0.8;

const LISTENERS = [alertMessages, triageCommand, escalate, dismiss, suppressions, rerun, homeTab, containment];

const BOLT_LOG_LEVELS = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR } as const;

export function createSlackApp(s: SlackSettings, deps: SlackDeps): App {
  const app = new App({
    token: s.botToken,
    logger: slackSdkLogger(s.logLevel, 'slack-app'),
    logLevel: BOLT_LOG_LEVELS[s.logLevel],
    clientOptions: slackClientOptions(s.apiUrl),
    ...(s.mode === 'socket'
      ? {
          socketMode: true,
          appToken: s.appToken ?? '',
          // The Socket Mode client opens its connection through the Web API too.
          ...(s.apiUrl ? { installerOptions: { clientOptions: slackClientOptions(s.apiUrl) } } : {}),
        }
      : { signingSecret: s.signingSecret ?? '', processBeforeResponse: false }),
  });
  const client = app.client as unknown as WebClient;
  const minAgreement = s.trackRecordMinAgreement ?? DEFAULT_MIN_AGREEMENT;
  const responders = new Responders(client, s.responderUsergroup, s.responderUsers);
  // Containment (issue 20): its approvers are their own group when one is set, else the responders.
  const approvers = s.containmentApproverUsergroup ? new Responders(client, s.containmentApproverUsergroup, []) : responders;
  const contain = deps.makeContainment?.((userId) => approvers.isResponder(userId));
  const listenerDeps: ListenerDeps = {
    ...deps,
    settings: s,
    client,
    // views.open must answer within the trigger's 3 s: this client never waits out a rate limit or retries.
    interactive: new WebClient(s.botToken, oneShotClientOptions(slackClientOptions(s.apiUrl))),
    responders,
    ...(contain ? { containment: contain } : {}),
    offerContainment: contain !== undefined && contain.mode !== 'off',
    effects: new SideEffects(deps.metrics, deps.log),
    readTrackRecord: () => deps.audit.trackRecord({ minAgreement }),
    // The alert intake shared with the catch-up (main builds it with a fail-fast Redis connection).
    intake: deps.intake ?? createAlertIntake(s, { queue: deps.queue, state: deps.state, audit: deps.audit, marks: deps.state.marks, client, log: (m) => deps.log('warn', m) }),
  };
  // /metrics (on the ops listener) shows the track record as gauges only when configured: it tells whoever
  // reads it whether a verdict was acted on (METRICS_TRACK_RECORD, SECURITY.md).
  if (s.metricsTrackRecord) deps.metrics.followTrackRecord(listenerDeps.readTrackRecord);

  for (const listener of LISTENERS) listener.register(app, listenerDeps);
  app.error(async (err) => deps.log('error', `slack handler failed: ${err.message}`));
  return app;
}
