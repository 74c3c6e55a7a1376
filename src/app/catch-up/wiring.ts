// The catch-up as the app process runs it, from the settings: the channels' history read with our Web API client
// options (429s waited out), checkpoints on the fail-fast connection, the intake's handler, its figures in /metrics.
import { WebClient } from '@slack/web-api';
import type { Cluster, Redis } from 'ioredis';
import type { Config } from '../../config.js';
import type { Metrics } from '../../ops/metrics.js';
import { mayCarryAlerts, type AlertMessageSettings } from '../alert-message.js';
import type { AlertIntake } from '../alert-intake.js';
import { slackClientOptions } from '../../slack/client.js';
import { CatchUp } from './catch-up.js';
import { Checkpoints } from './checkpoints.js';
import { catchUpMetricLines } from './report.js';

export type CatchUpConfig = Pick<Config, 'CATCHUP_INTERVAL_SECONDS' | 'CATCHUP_LOOKBACK_HOURS' | 'CATCHUP_MAX_MESSAGES' | 'CATCHUP_PAGE_SIZE' | 'QUEUE_PREFIX'>;

export interface RunningCatchUp {
  catchUp: CatchUp;
  /** The first run, then one every interval. */
  start(): void;
  stop(): void;
}

/** Builds the catch-up (not started) and has the intake buffer call it once Redis is back. */
export function startCatchUp(
  cfg: CatchUpConfig,
  s: AlertMessageSettings,
  intake: AlertIntake,
  redis: Redis | Cluster,
  metrics: Metrics | undefined,
  log: (level: 'info' | 'warn' | 'error', msg: string) => void,
): RunningCatchUp {
  const catchUp = new CatchUp(
    {
      alertChannels: s.alertChannels,
      intervalMs: cfg.CATCHUP_INTERVAL_SECONDS * 1000,
      lookbackMs: cfg.CATCHUP_LOOKBACK_HOURS * 3600_000,
      maxMessages: cfg.CATCHUP_MAX_MESSAGES,
      pageSize: cfg.CATCHUP_PAGE_SIZE,
    },
    {
      client: new WebClient(s.botToken, slackClientOptions(s.apiUrl)),
      checkpoints: new Checkpoints(redis, cfg.QUEUE_PREFIX),
      handle: (msg, self) => intake.handler.handle(msg, self),
      isCandidate: (msg, self) => mayCarryAlerts(msg, s, self),
      log,
    },
  );
  // Messages the buffer dropped, or that died with a previous process, are in the channel: look once Redis is back.
  intake.buffer.onDrained = () => catchUp.trigger('redis back');
  metrics?.addSection(() => catchUpMetricLines(catchUp, intake.buffer.stats));
  return { catchUp, start: () => catchUp.start(), stop: () => catchUp.stop() };
}

/** Nothing is delivered while the socket is down: the channels are read back after every (re)connection. */
export function catchUpOnEveryConnection(socket: { on(event: 'connected', listener: () => void): unknown }, catchUp: CatchUp): void {
  socket.on('connected', () => catchUp.trigger('socket connected'));
}
