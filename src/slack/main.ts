// `npm start`: the Slack app (Socket Mode by default, HTTP with SLACK_MODE=http).
import { createServer } from 'node:http';
import { ConfigError, environmentWithDotenv, loadConfig, type Config } from '../config.js';
import { Metrics } from '../ops/metrics.js';
import { createLogger } from '../ops/log.js';
import { opsRequestListener } from '../ops/http.js';
import { createQueue, redisConnection } from '../queue/queue.js';
import { AlertStateStore } from '../queue/state.js';
import { startSweeper } from '../queue/sweeper.js';
import { productionEngine } from '../runtime.js';
import { createSlackApp, type SlackSettings } from './app.js';

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
    logLevel: cfg.LOG_LEVEL,
  };
}

async function main(): Promise<void> {
  const cfg = loadConfig(environmentWithDotenv(), ['slack']);
  const log = createLogger(cfg.LOG_LEVEL, 'slack-app');
  const connection = redisConnection(cfg.REDIS_URL, cfg.REDIS_CLUSTER);
  const queue = createQueue(connection, cfg.QUEUE_PREFIX);
  const state = new AlertStateStore(connection, cfg.QUEUE_PREFIX);
  const metrics = new Metrics(queue);
  metrics.listen(connection, cfg.QUEUE_PREFIX);
  const { engine, audit } = productionEngine(cfg);
  const health = async () => ({ redis: (await connection.ping().catch(() => '')) === 'PONG' });
  const app = createSlackApp(slackSettings(cfg), { queue, state, alerts: engine.evidence.alerts, audit, metrics, health, log });
  // Claims left without a job (a crash between claim and queue) are queued again.
  startSweeper(queue, state, (m) => log('warn', m));
  if (cfg.SLACK_MODE === 'http') {
    await app.start(cfg.PORT);
    log('info', `listening for Slack on :${cfg.PORT} (/slack/events, /healthz, /metrics)`);
  } else {
    await app.start();
    // Socket Mode needs no public URL; health and metrics still get a port.
    createServer(opsRequestListener({ metrics, health })).listen(cfg.PORT);
    log('info', `connected to Slack in Socket Mode; /healthz and /metrics on :${cfg.PORT}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`triage app: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
  process.exit(err instanceof ConfigError ? 3 : 1);
});
