// `npm start` (node --import tsx src/app/main.ts): the Slack app (Socket Mode by default, HTTP with SLACK_MODE=http).
import { createServer, Server, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { SocketModeReceiver, type App } from '@slack/bolt';
import { loadConfigNamingTypos } from '../ops/config-typos.js';
import { ConfigError, environmentWithDotenv, type Config } from '../config.js';
import { Metrics } from '../ops/metrics.js';
import { createLogger, errorEventLogger, slackSdkLogger } from '../ops/log.js';
import { elasticsearchCheck, redisHealth, socketModeCheck, type Emitter } from '../ops/health.js';
import { endpoints, isOpsRequest, opsRequestListener, type OpsEndpoints } from '../ops/http.js';
import { exitOnSignals, logCrashes, settleWithin } from '../ops/shutdown.js';
import { createQueue, redisConnection } from '../queue/queue.js';
import { AlertStateStore } from '../queue/state.js';
import { startSweeper } from '../queue/sweeper.js';
import { productionEngine } from '../runtime.js';
import { createSlackApp, type SlackSettings } from './app.js';
import { containmentFromConfig } from '../containment/from-config.js';
import { logSlackClientsThrough } from '../slack/client.js';

export function slackSettings(cfg: Config): SlackSettings {
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
    logLevel: cfg.LOG_LEVEL,
  };
}

/**
 * The Socket Mode client inside Bolt's receiver, for its connection state. Bolt keeps the receiver private;
 * if a Bolt upgrade moves it, the app refuses to start rather than report a connection it cannot see.
 */
function socketModeClientOf(app: App): Emitter {
  const receiver = (app as unknown as { receiver?: unknown }).receiver;
  if (receiver instanceof SocketModeReceiver && typeof (receiver.client as Partial<Emitter> | undefined)?.on === 'function') return receiver.client;
  throw new Error("cannot follow the Socket Mode connection (Bolt's receiver is not where it was); /healthz could not report it");
}

/**
 * HTTP mode: Bolt's server serves /slack/events and the routes declared with the app; the health and metrics
 * endpoints (/readyz included) are answered here, in front of it, on the same port.
 */
function serveOpsInFront(server: unknown, ops: OpsEndpoints): void {
  if (!(server instanceof Server)) throw new Error('Bolt did not start an HTTP server; cannot serve /healthz and /readyz');
  const bolt = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const opsListener = opsRequestListener(ops);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isOpsRequest(req)) opsListener(req, res);
    else for (const listener of bolt) listener.call(server, req, res);
  });
}

/** How long closing the queue and connections may take once Slack has stopped. */
const CLOSE_WITHIN_MS = 3000;

async function main(): Promise<void> {
  const { cfg, typos } = loadConfigNamingTypos(environmentWithDotenv(), ['slack']);
  const log = createLogger(cfg.LOG_LEVEL, 'slack-app');
  // A misspelt setting is otherwise silent (SLACK_ALERT_POSTER: anyone may post alerts).
  for (const typo of typos) log('warn', typo);
  logCrashes(log);
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
  let ops: OpsEndpoints | undefined;
  const app = createSlackApp(slackSettings(cfg), {
    queue,
    state,
    alerts: engine.evidence.alerts,
    audit,
    metrics,
    health: async () => (ops ? (await ops.live()).checks : { redis: false }),
    log,
    ...(cfg.CONTAINMENT_MODE !== 'off' ? { makeContainment: containmentFromConfig(cfg, { redis: connection, prefix: cfg.QUEUE_PREFIX, audit, log: (m) => log('error', m) }) } : {}),
  });
  const socket = cfg.SLACK_MODE === 'socket' ? socketModeCheck(socketModeClientOf(app)) : undefined;
  ops = endpoints({ redis: redis.check, ...(socket ? { slack: socket.check } : {}) }, { elasticsearch: elasticsearchCheck(es, indices.alerts) }, metrics);
  // Claims left without a job (a crash between claim and queue) are queued again.
  const stopSweeper = startSweeper(queue, state, (m) => log('warn', m));

  let opsServer: Server | undefined;
  exitOnSignals(
    async () => {
      stopSweeper();
      // Bolt stops taking events (the HTTP server closes, the socket disconnects); then the connections close.
      await app.stop().catch((err: unknown) => log('warn', `stopping Slack: ${(err as Error).message}`));
      opsServer?.close();
      // With Redis away these would wait for it to come back.
      await settleWithin(CLOSE_WITHIN_MS, [metrics.close(), queue.close(), es.close(), redis.close()]);
      if (connection.status === 'ready') await connection.quit();
      else connection.disconnect();
    },
    { timeoutMs: cfg.SHUTDOWN_TIMEOUT_MS, log, what: 'stopping the Slack app' },
  );

  if (cfg.SLACK_MODE === 'http') {
    serveOpsInFront(await app.start(cfg.PORT), ops);
    log('info', `listening for Slack on :${cfg.PORT} (/slack/events, /healthz, /readyz, /metrics)`);
  } else {
    // Socket Mode needs no public URL; health and metrics still get a port, up before the connection is.
    opsServer = createServer(opsRequestListener(ops));
    await new Promise<void>((resolve, reject) => opsServer!.once('error', reject).listen(cfg.PORT, resolve));
    await app.start();
    log('info', `connected to Slack in Socket Mode; /healthz, /readyz and /metrics on :${cfg.PORT}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`triage app: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
  process.exit(err instanceof ConfigError ? 3 : 1);
});
