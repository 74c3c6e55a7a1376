// `npm run worker` (node dist/worker/main.js; `npm run dev:worker` from the sources): one worker process; run as many as needed, on any
// machines sharing REDIS_URL.
import type { Server } from 'node:http';
import { WebClient } from '@slack/web-api';
import { loadConfigNamingTypos } from '../ops/config-typos.js';
import { ConfigError, environmentWithDotenv } from '../config.js';
import { awsRangesCheck, elasticsearchCheck, redisHealth, slackAuthCheck } from '../ops/health.js';
import { endpoints, startOpsServer } from '../ops/http.js';
import { httpLimitsFrom } from '../ops/server-limits.js';
import { createLogger, errorEventLogger, slackSdkLogger } from '../ops/log.js';
import { exitOnSignals, logCrashes, settleWithin } from '../ops/shutdown.js';
import { logSlackClientsThrough, oneShotClientOptions, slackClientOptions } from '../slack/client.js';
import { kibanaFromConfig } from '../slack/kibana.js';
import { productionEngine } from '../runtime.js';
import { redisConnection } from '../queue/queue.js';
import { AlertStateStore } from '../queue/state.js';
import { startWorker } from './worker.js';
import { workerMetrics } from './metrics.js';

async function main(): Promise<void> {
  const { cfg, typos } = loadConfigNamingTypos(environmentWithDotenv(), ['worker']);
  const log = createLogger(cfg.LOG_LEVEL, 'worker');
  // A misspelt setting is otherwise silent (SLACK_ALERT_POSTER: anyone may post alerts).
  for (const typo of typos) log('warn', typo);
  logCrashes(log);
  logSlackClientsThrough(slackSdkLogger(cfg.LOG_LEVEL, 'worker-slack'));
  const onError = errorEventLogger(log);
  const connection = redisConnection(cfg.REDIS_URL, cfg.REDIS_CLUSTER);
  connection.on('error', onError('redis'));
  const { es, indices, engine, audit, awsRanges } = productionEngine(cfg, log);
  const slack = new WebClient(cfg.SLACK_BOT_TOKEN, slackClientOptions(cfg.SLACK_API_URL));
  // Verdict deliveries are made once and see a rate limit at once: the delivery queue retries them, holds
  // them back in priority order, and adopts a post that landed unanswered.
  const slackDelivery = new WebClient(cfg.SLACK_BOT_TOKEN, oneShotClientOptions(slackClientOptions(cfg.SLACK_API_URL)));
  const kibana = kibanaFromConfig(cfg, indices);
  const worker = startWorker(connection, cfg.QUEUE_PREFIX, cfg.WORKER_CONCURRENCY, {
    engine,
    slack,
    slackDelivery,
    state: new AlertStateStore(connection, cfg.QUEUE_PREFIX),
    audit,
    offerContainment: cfg.CONTAINMENT_MODE !== 'off',
    ...(kibana ? { kibana } : {}),
    log: (m) => log('warn', m),
    pictures: { renderers: cfg.PICTURE_RENDERERS, maxQueued: cfg.PICTURE_QUEUE_SIZE, timeoutMs: cfg.PICTURE_TIMEOUT_MS, memoryMb: cfg.PICTURE_RENDERER_MEMORY_MB },
  }, { lockDurationMs: cfg.WORKER_LOCK_DURATION_MS, stalledIntervalMs: cfg.WORKER_STALLED_INTERVAL_MS });
  worker.investigations.on('error', onError('worker'));
  worker.deliveries.on('error', onError('deliveries'));

  const redis = redisHealth(cfg.REDIS_URL, cfg.REDIS_CLUSTER);
  const ops = endpoints(
    {
      redis: redis.check,
      // Closing (a shutdown under way) or stopped: this worker takes no more jobs.
      worker: async () => (worker.investigations.isRunning() && !worker.investigations.closing ? { ok: true } : { ok: false, problem: 'not taking jobs' }),
    },
    // Ready: it can read evidence, classify addresses and post verdicts.
    { elasticsearch: elasticsearchCheck(es, indices.alerts), aws_ranges: awsRangesCheck(awsRanges), slack_token: slackAuthCheck(slack) },
    workerMetrics(worker.pictures),
    cfg.READYZ_CACHE_MS,
  );
  let health: Server | undefined;
  if (cfg.WORKER_PORT !== undefined) health = await startOpsServer(ops, { host: cfg.OPS_HOST, port: cfg.WORKER_PORT, limits: httpLimitsFrom(cfg) });

  exitOnSignals(
    async () => {
      // Jobs in hand finish; no new ones are taken. Past the timeout the process exits with them unfinished:
      // their locks lapse and BullMQ's stalled-job check hands them to another worker.
      await worker.close();
      health?.close();
      await settleWithin(3000, [redis.close(), es.close()]);
      if (connection.status === 'ready') await connection.quit();
      else connection.disconnect();
    },
    { timeoutMs: cfg.SHUTDOWN_TIMEOUT_MS, log, what: 'finishing the investigations in hand' },
  );
  log('info', `worker up, concurrency ${cfg.WORKER_CONCURRENCY}, picture renderers ${cfg.PICTURE_RENDERERS}${cfg.WORKER_PORT ? `; /healthz, /readyz and /metrics on ${cfg.OPS_HOST}:${cfg.WORKER_PORT}` : ''}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`triage worker: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
  process.exit(err instanceof ConfigError ? 3 : 1);
});
