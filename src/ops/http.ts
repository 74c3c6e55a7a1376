// /healthz and /metrics: one handler for both Slack modes (Bolt's custom routes, or a plain server in Socket Mode).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics.js';

export interface OpsDeps {
  metrics: Metrics;
  /** Liveness of what the app depends on. */
  health: () => Promise<Record<string, boolean>>;
}

export async function healthz(deps: OpsDeps, _req: IncomingMessage, res: ServerResponse): Promise<void> {
  const checks = await deps.health().catch(() => ({ redis: false }));
  const ok = Object.values(checks).every(Boolean);
  res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', checks }));
}

export async function metricsText(deps: OpsDeps, _req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(await deps.metrics.render());
}

/** For a plain node:http server. */
export function opsRequestListener(deps: OpsDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'GET' && req.url === '/healthz') return void healthz(deps, req, res);
    if (req.method === 'GET' && req.url === '/metrics') return void metricsText(deps, req, res);
    res.writeHead(404).end();
  };
}
