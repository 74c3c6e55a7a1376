// `npm start` (node dist/app/main.js; `npm run dev` from the sources): the Slack app (Socket Mode by default, HTTP with SLACK_MODE=http).
import { Server } from 'node:http';
import type { App } from '@slack/bolt';
import { loadConfigNamingTypos } from '../ops/config-typos.js';
import { ConfigError, environmentWithDotenv, type Config } from '../config.js';
import { Metrics } from '../ops/metrics.js';
import { createLogger, errorEventLogger, slackSdkLogger } from '../ops/log.js';
import { elasticsearchCheck, redisHealth, slackAuthCheck, socketModeCheck } from '../ops/health.js';
import { socketModeClientOf } from './socket-client.js';
import { endpoints, startOpsServer, type OpsEndpoints } from '../ops/http.js';
import { capConnections, httpLimitsFrom, serverOptions, type HttpLimits } from '../ops/server-limits.js';
import { exitOnSignals, logCrashes, settleWithin } from '../ops/shutdown.js';
import { createQueue, failFastRedisConnection, redisConnection } from '../queue/queue.js';
import { MessageMarks } from '../queue/message-marks.js';
import { catchUpOnEveryConnection, startCatchUp } from './catch-up/wiring.js';
import { createAlertIntake } from './alert-intake.js';
import { AlertStateStore } from '../queue/state.js';
import { describeAlertPosters } from '../queue/origin.js';
import { startSweeper } from '../queue/sweeper.js';
import { productionEngine } from '../runtime.js';
import type { Audit } from '../audit/audit.js';
import { createSlackApp, type SlackSettings } from './app.js';
import { containmentFromConfig } from '../containment/from-config.js';
import { logSlackClientsThrough } from '../slack/client.js';
import { kibanaFromConfig } from '../slack/kibana.js';
import { indicesFromConfig } from '../evidence/indices.js';

export function slackSettings(cfg: Config): SlackSettings {
  const kibana = kibanaFromConfig(cfg, indicesFromConfig(cfg));
  return {
    mode: cfg.SLACK_MODE,
    botToken: cfg.SLACK_BOT_TOKEN ?? '',
    ...(cfg.SLACK_APP_TOKEN ? { appToken: cfg.SLACK_APP_TOKEN } : {}),
    ...(cfg.SLACK_SIGNING_SECRET ? { signingSecret: cfg.SLACK_SIGNING_SECRET } : {}),
    ...(cfg.SLACK_API_URL ? { apiUrl: cfg.SLACK_API_URL } : {}),
    alertChannels: cfg.SLACK_ALERT_CHANNELS,
    alertPosters: cfg.SLACK_ALERT_POSTERS,
    ...(cfg.SLACK_ESCALATION_CHANNEL ? { escalationChannel: cfg.SLACK_ESCALATION_CHANNEL } : {}),
    ...(cfg.SLACK_ONCALL_USERGROUP ? { oncallUsergroup: cfg.SLACK_ONCALL_USERGROUP } : {}),
    ...(cfg.SLACK_RESPONDER_USERGROUP ? { responderUsergroup: cfg.SLACK_RESPONDER_USERGROUP } : {}),
    responderUsers: cfg.SLACK_RESPONDER_USERS,
    ...(cfg.PAGERDUTY_ROUTING_KEY ? { pagerDuty: { routingKey: cfg.PAGERDUTY_ROUTING_KEY, baseUrl: cfg.PAGERDUTY_API_URL } } : {}),
    trackRecordMinAgreement: cfg.TRACK_RECORD_MIN_AGREEMENT,
    ...(cfg.CONTAINMENT_APPROVER_USERGROUP ? { containmentApproverUsergroup: cfg.CONTAINMENT_APPROVER_USERGROUP } : {}),
    metricsTrackRecord: cfg.METRICS_TRACK_RECORD,
    ...(kibana ? { kibana } : {}),
    logLevel: cfg.LOG_LEVEL,
  };
}

/** The app's log, crashes written to it, and said once at start: misspelt settings (otherwise silent), who may post alerts. */
function startLogging(cfg: Config, typos: readonly string[]): ReturnType<typeof createLogger> {
  const log = createLogger(cfg.LOG_LEVEL, 'slack-app');
  for (const typo of typos) log('warn', typo);
  logCrashes(log);
  log('info', `alert channels: ${describeAlertPosters(cfg.SLACK_ALERT_POSTERS)}`);
  return log;
}

/**
 * The alert intake and its catch-up. The intake's first step and the checkpoints are on a connection that fails at
 * once while Redis is away: alert messages then wait in the intake buffer, never in a command queue.
 */
function intakeWithCatchUp(
  cfg: Config,
  settings: SlackSettings,
  d: { queue: ReturnType<typeof createQueue>; state: AlertStateStore; audit: Audit; metrics: Metrics; log: ReturnType<typeof createLogger>; onError: (err: Error) => void },
) {
  const failFast = failFastRedisConnection(cfg.REDIS_URL, cfg.REDIS_CLUSTER);
  failFast.on('error', d.onError);
  const intake = createAlertIntake(settings, { queue: d.queue, state: d.state, audit: d.audit, marks: new MessageMarks(failFast, cfg.QUEUE_PREFIX), bufferSize: cfg.INTAKE_BUFFER_SIZE, log: (m) => d.log('warn', m) });
  return { failFast, intake, catchUp: startCatchUp(cfg, settings, intake, failFast, d.metrics, d.log) };
}

/** Bolt up: in HTTP mode on PORT (/slack/events only, Bolt passing the options to http.createServer), else Socket Mode. */
async function startSlack(app: App, cfg: Config, limits: HttpLimits, log: ReturnType<typeof createLogger>): Promise<void> {
  const opsAt = `/healthz, /readyz and /metrics on ${cfg.OPS_HOST}:${cfg.OPS_PORT}`;
  if (cfg.SLACK_MODE === 'http') {
    const server = await app.start(cfg.PORT, serverOptions(limits));
    if (!(server instanceof Server)) throw new Error('Bolt did not start an HTTP server');
    capConnections(server, limits);
    log('info', `listening for Slack on :${cfg.PORT} (/slack/events); ${opsAt}`);
  } else {
    await app.start();
    log('info', `connected to Slack in Socket Mode; ${opsAt}`);
  }
}

/** How long closing the queue and connections may take once Slack has stopped. */
const CLOSE_WITHIN_MS = 3000;

async function main(): Promise<void> {
  const { cfg, typos } = loadConfigNamingTypos(environmentWithDotenv(), ['slack']);
  const log = startLogging(cfg, typos);
  logSlackClientsThrough(slackSdkLogger(cfg.LOG_LEVEL, 'slack-web'));
  const onError = errorEventLogger(log);
  const connection = redisConnection(cfg.REDIS_URL, cfg.REDIS_CLUSTER);
  connection.on('error', onError('redis'));
  const queue = createQueue(connection, cfg.QUEUE_PREFIX);
  queue.on('error', onError('queue'));
  const state = new AlertStateStore(connection, cfg.QUEUE_PREFIX);
  const metrics = new Metrics(queue);
  metrics.listen(connection, cfg.QUEUE_PREFIX, onError('queue events'));
  const { es, indices, engine, audit } = productionEngine(cfg, log);
  const redis = redisHealth(cfg.REDIS_URL, cfg.REDIS_CLUSTER);
  const settings = slackSettings(cfg);
  const { failFast, intake, catchUp } = intakeWithCatchUp(cfg, settings, { queue, state, audit, metrics, log, onError: onError('redis (intake)') });
  const contain = cfg.CONTAINMENT_MODE !== 'off' ? { makeContainment: containmentFromConfig(cfg, { redis: connection, prefix: cfg.QUEUE_PREFIX, audit, log: (m) => log('error', m) }) } : {};
  const app = createSlackApp(settings, { queue, state, alerts: engine.evidence.alerts, audit, metrics, log, ...contain, intake, catchUp: catchUp.catchUp });
  const socketClient = cfg.SLACK_MODE === 'socket' ? socketModeClientOf(app) : undefined;
  const socket = socketClient ? socketModeCheck(socketClient) : undefined;
  if (socketClient) catchUpOnEveryConnection(socketClient, catchUp.catchUp);
  const ops: OpsEndpoints = endpoints(
    { redis: redis.check, ...(socket ? { slack: socket.check } : {}) },
    { elasticsearch: elasticsearchCheck(es, indices.alerts), slack_token: slackAuthCheck(app.client) },
    metrics,
    cfg.READYZ_CACHE_MS,
  );
  const limits = httpLimitsFrom(cfg);
  // Claims left without a job (a crash between claim and queue) are queued again.
  const stopSweeper = startSweeper(queue, state, (m) => log('warn', m));

  let opsServer: Server | undefined;
  exitOnSignals(
    async () => {
      stopSweeper();
      catchUp.stop();
      // Held messages are in the channel: the next process's catch-up finds them.
      intake.buffer.close();
      // Bolt stops taking events (the HTTP server closes, the socket disconnects); then the connections close.
      await app.stop().catch((err: unknown) => log('warn', `stopping Slack: ${(err as Error).message}`));
      opsServer?.close();
      // With Redis away these would wait for it to come back.
      await settleWithin(CLOSE_WITHIN_MS, [metrics.close(), queue.close(), es.close(), redis.close()]);
      if (connection.status === 'ready') await connection.quit();
      else connection.disconnect();
      failFast.disconnect();
    },
    { timeoutMs: cfg.SHUTDOWN_TIMEOUT_MS, log, what: 'stopping the Slack app' },
  );

  // Up before Slack is: an orchestrator sees the app starting.
  opsServer = await startOpsServer(ops, { host: cfg.OPS_HOST, port: cfg.OPS_PORT, limits });
  await startSlack(app, cfg, limits, log);
  // Once events flow: what was posted while the app was away is read back from the channels.
  catchUp.start();
}

main().catch((err: unknown) => {
  process.stderr.write(`triage app: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
  process.exit(err instanceof ConfigError ? 3 : 1);
});
