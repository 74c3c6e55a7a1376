// Limits for every HTTP server the bot runs (Slack's events in HTTP mode, the ops endpoints). Node's defaults let a
// client hold a connection for 300 s sending a body byte by byte, and take any number of connections.
import type { Server, ServerOptions } from 'node:http';

export interface HttpLimits {
  /** Whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** Headers must arrive within this. */
  headersTimeoutMs: number;
  /** Connections open at once; more are closed as they arrive. */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { requestTimeoutMs: 10_000, headersTimeoutMs: 5000, maxConnections: 256 };

export function httpLimitsFrom(cfg: { HTTP_REQUEST_TIMEOUT_MS: number; HTTP_HEADERS_TIMEOUT_MS: number; HTTP_MAX_CONNECTIONS: number }): HttpLimits {
  return { requestTimeoutMs: cfg.HTTP_REQUEST_TIMEOUT_MS, headersTimeoutMs: cfg.HTTP_HEADERS_TIMEOUT_MS, maxConnections: cfg.HTTP_MAX_CONNECTIONS };
}

/** Options for http.createServer (and Bolt's receiver, which passes them on). */
export function serverOptions(limits: HttpLimits): ServerOptions {
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout,
    keepAliveTimeout: Math.min(5000, headersTimeout),
    // Node enforces both timeouts on this tick (30 s by default): without it, a 10 s limit is up to 40 s.
    connectionsCheckingInterval: Math.max(250, Math.min(1000, Math.floor(headersTimeout / 4))),
  };
}

/** What can only be set once the server exists. */
export function capConnections(server: Server, limits: HttpLimits): Server {
  server.maxConnections = limits.maxConnections;
  return server;
}
