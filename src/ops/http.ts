// /healthz, /readyz and /metrics: one handler for both Slack modes and for the worker.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHECK_TIMEOUT_MS, runChecks, type HealthReport } from './health.js';
import type { Metrics } from './metrics.js';

/** What Bolt's custom routes are given (HTTP mode): liveness as booleans by name. */
export interface OpsDeps {
  metrics: Metrics;
  /** Liveness of what the app depends on. */
  health: () => Promise<Record<string, boolean>>;
}

/** What the ops endpoints serve: liveness (/healthz), readiness (/readyz), and metrics when there are any. */
export interface OpsEndpoints {
  live: () => Promise<HealthReport>;
  ready: () => Promise<HealthReport>;
  metrics?: Metrics;
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

/** Liveness from boolean checks (Bolt's /healthz route), bounded like every other check. */
export async function healthz(deps: Pick<OpsDeps, 'health'>, _req: IncomingMessage, res: ServerResponse): Promise<void> {
  let checks: Record<string, boolean>;
  try {
    checks = await within(deps.health(), CHECK_TIMEOUT_MS);
  } catch {
    checks = { redis: false };
  }
  const ok = Object.values(checks).every(Boolean);
  sendReport(res, { status: ok ? 'ok' : 'degraded', checks });
}

export async function metricsText(deps: Pick<OpsDeps, 'metrics'>, _req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const text = await within(deps.metrics.render(), 2 * CHECK_TIMEOUT_MS);
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(text);
  } catch {
    // Queue counts come from Redis.
    res.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable: Redis unreachable\n');
  }
}

export const OPS_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

export function isOpsRequest(req: IncomingMessage): boolean {
  return req.method === 'GET' && (OPS_PATHS as readonly string[]).includes(pathOf(req));
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0] ?? '';
}

/** For a plain node:http server. */
export function opsRequestListener(ops: OpsEndpoints) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.method === 'GET' ? pathOf(req) : '';
    if (path === '/healthz') return void ops.live().then((r) => sendReport(res, r));
    if (path === '/readyz') return void ops.ready().then((r) => sendReport(res, r));
    if (path === '/metrics' && ops.metrics) return void metricsText({ metrics: ops.metrics }, req, res);
    res.writeHead(404).end();
  };
}

/** Liveness and readiness from named checks: readiness is liveness plus what serving needs besides. */
export function endpoints(live: Parameters<typeof runChecks>[0], readyAlso: Parameters<typeof runChecks>[0], metrics?: Metrics): OpsEndpoints {
  return {
    live: () => runChecks(live),
    ready: () => runChecks({ ...live, ...readyAlso }),
    ...(metrics ? { metrics } : {}),
  };
}
