// `npm run worker`: one worker process; run as many as needed, on any machines sharing REDIS_URL.
import { WebClient } from '@slack/web-api';
import { ConfigError, environmentWithDotenv, loadConfig } from '../config.js';
import { createLogger } from '../ops/log.js';
import { slackClientOptions } from '../slack/client.js';
import { productionEngine } from '../runtime.js';
import { redisConnection } from './queue.js';
import { AlertStateStore } from './state.js';
import { startWorker } from './worker.js';

async function main(): Promise<void> {
  const cfg = loadConfig(environmentWithDotenv(), ['worker']);
  const log = createLogger(cfg.LOG_LEVEL, 'worker');
  const connection = redisConnection(cfg.REDIS_URL, cfg.REDIS_CLUSTER);
  const { engine, audit } = productionEngine(cfg);
  const slack = new WebClient(cfg.SLACK_BOT_TOKEN, slackClientOptions(cfg.SLACK_API_URL));
  // Verdict deliveries see a rate limit at once, so the delivery queue can hold them back in priority order.
  const slackDelivery = new WebClient(cfg.SLACK_BOT_TOKEN, { ...slackClientOptions(cfg.SLACK_API_URL), rejectRateLimitedCalls: true });
  const worker = startWorker(connection, cfg.QUEUE_PREFIX, cfg.WORKER_CONCURRENCY, {
    engine,
    slack,
    slackDelivery,
    state: new AlertStateStore(connection, cfg.QUEUE_PREFIX),
    audit,
    log: (m) => log('warn', m),
  });
  log('info', `worker up, concurrency ${cfg.WORKER_CONCURRENCY}`);
  const stop = async () => {
    // Finish the jobs in hand, then leave; unfinished ones go back to the queue.
    await worker.close();
    await connection.quit();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`triage worker: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
  process.exit(err instanceof ConfigError ? 3 : 1);
});
