// Health and readiness checks. Each check answers within a bound, whatever the service does: a health probe that
// hangs is worse than one that fails (an orchestrator waiting on it learns nothing). Answers name the failing
// check with a fixed, secret-free reason.
import type { Client } from '@elastic/elasticsearch';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

export const CHECK_TIMEOUT_MS = 2000;

export type CheckResult = { ok: true } | { ok: false; problem: string };
export type Check = () => Promise<CheckResult>;

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, boolean>;
  /** Why each failing check failed. */
  problems?: Record<string, string>;
}

const passed: CheckResult = { ok: true };

function withTimeout(check: Check, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, problem: `no answer within ${timeoutMs} ms` }), timeoutMs);
    check().then(
      (r) => {
        clearTimeout(timer);
        resolve(r);
      },
      () => {
        clearTimeout(timer);
        resolve({ ok: false, problem: 'check failed' });
      },
    );
  });
}

/** Runs the checks side by side, each bounded by `timeoutMs`. */
export async function runChecks(checks: Record<string, Check>, timeoutMs = CHECK_TIMEOUT_MS): Promise<HealthReport> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((n) => withTimeout(checks[n]!, timeoutMs)));
  const report: HealthReport = { status: 'ok', checks: {} };
  names.forEach((name, i) => {
    const r = results[i]!;
    report.checks[name] = r.ok;
    if (!r.ok) {
      report.status = 'degraded';
      (report.problems ??= {})[name] = r.problem;
    }
  });
  return report;
}

export interface RedisHealth {
  check: Check;
  close(): Promise<void>;
}

/**
 * A Redis connection for health checks only. The shared connection queues commands while Redis is away (BullMQ
 * needs that), so a PING on it waits for ever; this one refuses at once when not connected and gives up on a
 * command after `timeoutMs`, and keeps reconnecting in the background so health comes back with Redis.
 */
export function redisHealth(url: string, cluster = false, timeoutMs = CHECK_TIMEOUT_MS): RedisHealth {
  const options: RedisOptions = { enableOfflineQueue: false, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, enableReadyCheck: false };
  const retry = (times: number) => Math.min(times * 200, 2000);
  let client: Redis | Cluster;
  if (cluster) {
    const nodes = url.split(',').map((u) => {
      const parsed = new URL(u.trim());
      return { host: parsed.hostname, port: Number(parsed.port || 6379) };
    });
    client = new Cluster(nodes, { enableOfflineQueue: false, clusterRetryStrategy: retry, redisOptions: { connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0 } });
  } else {
    client = new Redis(url.split(',')[0]!.trim(), { ...options, retryStrategy: retry });
  }
  // The shared connection reports outages; this one only answers checks.
  client.on('error', () => undefined);
  return {
    check: async () => {
      if (!(await connected(client, timeoutMs))) return { ok: false, problem: 'unreachable' };
      try {
        return (await client.ping()) === 'PONG' ? passed : { ok: false, problem: 'unexpected answer to PING' };
      } catch {
        return { ok: false, problem: client.status === 'ready' ? 'no answer to PING' : 'unreachable' };
      }
    },
    close: async () => {
      client.disconnect();
    },
  };
}

/**
 * Whether the client is connected, waiting (within the bound) only while its first connection is being made:
 * a client that lost Redis is reconnecting, and that is an answer already.
 */
function connected(client: Redis | Cluster, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  if (!['wait', 'connecting', 'connect'].includes(client.status)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('close', onClose);
      resolve(ok);
    };
    const onReady = () => done(true);
    const onClose = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.once('ready', onReady);
    client.once('close', onClose);
  });
}

/**
 * Elasticsearch answers a search the bot is allowed to make (size 0 over `index`, which may match nothing), once,
 * within the bound. Not the root endpoint or cluster health: a key limited to the bot's indices may read neither.
 */
export function elasticsearchCheck(es: Client, index: string, timeoutMs = CHECK_TIMEOUT_MS): Check {
  return async () => {
    try {
      await es.search({ index, size: 0, track_total_hits: false, allow_no_indices: true, ignore_unavailable: true }, { requestTimeout: timeoutMs, maxRetries: 0 });
      return passed;
    } catch (err) {
      const status = (err as { meta?: { statusCode?: number } }).meta?.statusCode;
      if (status === 401 || status === 403) return { ok: false, problem: 'not authorised' };
      return { ok: false, problem: status ? `HTTP ${status}` : 'unreachable' };
    }
  };
}

/** What is needed of an event emitter (the Socket Mode client is an eventemitter3 one, not Node's). */
export interface Emitter {
  on(event: string, listener: () => void): unknown;
}

/** Lifecycle events of @slack/socket-mode's client (it emits them by these names). */
const SOCKET_STATES = ['connecting', 'connected', 'reconnecting', 'disconnecting', 'disconnected'] as const;
export type SocketState = (typeof SOCKET_STATES)[number] | 'not started' | 'closed';

/**
 * Follows a Socket Mode client's connection: healthy only while connected. Listens from the start, so it must be
 * attached before the app starts.
 */
export function socketModeCheck(client: Emitter): { check: Check; state: () => SocketState } {
  let state: SocketState = 'not started';
  for (const s of SOCKET_STATES) client.on(s, () => (state = s));
  // The WebSocket closed; the client reconnects after a delay and says so only then.
  client.on('close', () => {
    if (state === 'connected') state = 'closed';
  });
  return {
    state: () => state,
    check: async () => (state === 'connected' ? passed : { ok: false, problem: `Socket Mode ${state}` }),
  };
}

/** What auth.test needs of a Slack Web API client. */
export interface SlackAuthClient {
  auth: { test(): Promise<{ ok?: boolean; error?: string }> };
}

/**
 * The bot token answers `auth.test`: a revoked or mistyped token leaves the process up but unable to post anything.
 * Asked at most once per `okTtlMs` while it passes, per `failTtlMs` while it fails (Slack rate-limits auth.test).
 */
export function slackAuthCheck(client: SlackAuthClient, okTtlMs = 60_000, failTtlMs = 10_000, now: () => number = Date.now): Check {
  let last: { at: number; result: CheckResult } | undefined;
  let pending: Promise<CheckResult> | undefined;
  const ask = async (): Promise<CheckResult> => {
    try {
      const res = await client.auth.test();
      return res.ok ? passed : { ok: false, problem: `Slack refused the bot token (${String(res.error ?? 'not ok').slice(0, 40)})` };
    } catch (err) {
      const code = (err as { data?: { error?: unknown } }).data?.error;
      // Slack's error codes are short identifiers; anything else is not echoed.
      return { ok: false, problem: typeof code === 'string' && /^[a-z_]{1,40}$/.test(code) ? `Slack refused the bot token (${code})` : 'Slack unreachable' };
    }
  };
  return async () => {
    if (last && now() - last.at < (last.result.ok ? okTtlMs : failTtlMs)) return last.result;
    pending ??= ask().then((result) => {
      last = { at: now(), result };
      pending = undefined;
      return result;
    });
    return pending;
  };
}

/** The AWS ranges file is loaded (or loads now): without it no AWS alert can be investigated. */
export function awsRangesCheck(load: () => Promise<unknown>): Check {
  return async () => {
    try {
      await load();
      return passed;
    } catch {
      // The path is in the worker's log; the probe's answer stays secret-free and short.
      return { ok: false, problem: 'AWS IP ranges file missing or unreadable' };
    }
  };
}
