// /healthz, /readyz and /metrics on a listener of their own (OPS_HOST:OPS_PORT, loopback by default), never on the
// port Slack reaches: the same handler for the Slack app in both modes and for the worker.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CHECK_TIMEOUT_MS, runChecks, type Check, type HealthReport } from './health.js';
import { capConnections, serverOptions, type HttpLimits } from './server-limits.js';

/** Prometheus text: the app's Metrics, or the worker's own lines. */
export interface MetricsSource {
  render(): Promise<string>;
}

/** What the ops endpoints serve: liveness (/healthz), readiness (/readyz), and metrics when there are any. */
export interface OpsEndpoints {
  live: () => Promise<HealthReport>;
  ready: () => Promise<HealthReport>;
  metrics?: MetricsSource;
}

/** The promise's value, or a rejection once `ms` have passed. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function sendReport(res: ServerResponse, report: HealthReport): void {
  res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(report));
}

async function metricsText(metrics: MetricsSource, res: ServerResponse): Promise<void> {
  try {
    const text = await within(metrics.render(), 2 * CHECK_TIMEOUT_MS);
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(text);
  } catch {
    // Queue counts come from Redis.
    res.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable: Redis unreachable\n');
  }
}

export const OPS_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0] ?? '';
}

/** For a plain node:http server. */
export function opsRequestListener(ops: OpsEndpoints) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.method === 'GET' ? pathOf(req) : '';
    if (path === '/healthz') return void ops.live().then((r) => sendReport(res, r));
    if (path === '/readyz') return void ops.ready().then((r) => sendReport(res, r));
    if (path === '/metrics' && ops.metrics) return void metricsText(ops.metrics, res);
    res.writeHead(404).end();
  };
}

/**
 * One run of `compute` serves every caller for `ttlMs` (and callers while it runs): a flood of probes costs one
 * round of checks per window, not one per request.
 */
export function cachedFor<T>(compute: () => Promise<T>, ttlMs: number, now: () => number = Date.now): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || now() - last.at >= ttlMs) {
      const at = now();
      const value = compute();
      last = { at, value };
      // A run that throws is not kept (runChecks never throws; this is for other callers).
      value.catch(() => {
        if (last?.value === value) last = undefined;
      });
    }
    return last.value;
  };
}

export const READY_CACHE_MS = 5000;

/**
 * Liveness and readiness from named checks: readiness is liveness plus what serving needs besides. Readiness is
 * answered from a cache of `readyCacheMs`; liveness is cheap (a PING on a dedicated connection) and not cached.
 */
export function endpoints(live: Record<string, Check>, readyAlso: Record<string, Check>, metrics?: MetricsSource, readyCacheMs = READY_CACHE_MS): OpsEndpoints {
  return {
    live: () => runChecks(live),
    ready: cachedFor(() => runChecks({ ...live, ...readyAlso }), readyCacheMs),
    ...(metrics ? { metrics } : {}),
  };
}

export interface OpsListen {
  host: string;
  port: number;
  limits: HttpLimits;
}

/** Starts the ops listener; resolves once it listens (rejects if the address is taken). */
export async function startOpsServer(ops: OpsEndpoints, at: OpsListen): Promise<Server> {
  const server = capConnections(createServer(serverOptions(at.limits), opsRequestListener(ops)), at.limits);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(at.port, at.host, () => resolve()));
  return server;
}
