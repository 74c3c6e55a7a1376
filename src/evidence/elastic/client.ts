import { Client, errors, SniffingTransport, UndiciConnection } from '@elastic/elasticsearch';
import type { TransportOptions, ConnectionRequestOptions, ConnectionRequestOptionsAsStream, ConnectionRequestParams, ConnectionRequestResponse, ConnectionRequestResponseAsStream } from '@elastic/elasticsearch';
import type { Config } from '../../config.js';

/**
 * Nobody listens at the node's address, or its name does not resolve: retrying within the same attempt only
 * waits (the client's backoff made a refused search take ~5 s, an investigation ~15 s). The client rethrows
 * errors it does not know by name at once, so this one ends the request; the queue's own retries and backoff
 * carry the investigation over the downtime.
 */
export class ElasticsearchUnreachableError extends errors.ConnectionError {
  constructor(message: string) {
    super(message);
    this.name = 'ElasticsearchUnreachableError';
  }
}

/** Connection failures that say no node is there (refused, no such host, no route), as undici words them. */
const NOBODY_THERE = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/;

/** The client's connection, failing at once when nobody is there; a reset or a timeout stays the client's to retry. */
class FailFastConnection extends UndiciConnection {
  override request(params: ConnectionRequestParams, options: ConnectionRequestOptions): Promise<ConnectionRequestResponse>;
  override request(params: ConnectionRequestParams, options: ConnectionRequestOptionsAsStream): Promise<ConnectionRequestResponseAsStream>;
  override async request(params: ConnectionRequestParams, options: ConnectionRequestOptions | ConnectionRequestOptionsAsStream): Promise<ConnectionRequestResponse | ConnectionRequestResponseAsStream> {
    try {
      return await super.request(params, options as ConnectionRequestOptions);
    } catch (err) {
      if (err instanceof errors.ConnectionError && NOBODY_THERE.test(err.message)) throw new ElasticsearchUnreachableError(err.message);
      throw err;
    }
  }
}

/** Seconds before retrying a connection cut by a live node (a reset keep-alive socket): 0.1–0.2 s, then 0.2–0.4 s. */
export function connectionRetryBackoff(_min: number, _max: number, attempt: number): number {
  const base = 0.05 * 2 ** attempt;
  return base + Math.random() * base;
}

/** The client's transport with the short backoff (the Client does not pass retryBackoff through; its default waits 1–2 s, then 2–4 s). */
class ShortBackoffTransport extends SniffingTransport {
  constructor(opts: TransportOptions) {
    super({ ...opts, retryBackoff: connectionRetryBackoff });
  }
}

export function createElasticClient(cfg: Pick<Config, 'ELASTICSEARCH_URL' | 'ELASTICSEARCH_API_KEY' | 'ELASTICSEARCH_USERNAME' | 'ELASTICSEARCH_PASSWORD'>): Client {
  const auth = cfg.ELASTICSEARCH_API_KEY
    ? { apiKey: cfg.ELASTICSEARCH_API_KEY }
    : cfg.ELASTICSEARCH_USERNAME
      ? { username: cfg.ELASTICSEARCH_USERNAME, password: cfg.ELASTICSEARCH_PASSWORD ?? '' }
      : undefined;
  // maxRetries: a 502/503/504 from a live node is retried at once (the client's own rule), a cut connection after
  // the short backoff above; a refused connection or an unknown host is not retried at all (FailFastConnection).
  return new Client({
    node: cfg.ELASTICSEARCH_URL,
    ...(auth ? { auth } : {}),
    requestTimeout: 30_000,
    maxRetries: 2,
    Connection: FailFastConnection,
    Transport: ShortBackoffTransport,
  });
}

/** Errors that mean Elasticsearch could not be reached or did not answer in time. */
export function isElasticUnreachable(err: unknown): boolean {
  return err instanceof errors.ConnectionError || err instanceof errors.TimeoutError || err instanceof errors.NoLivingConnectionsError;
}

/** A short, secret-free description of why Elasticsearch could not be used. */
export function describeElasticError(err: unknown, url: string): string {
  const e = err as { name?: string; message?: string; meta?: { statusCode?: number } };
  if (isElasticUnreachable(err)) {
    return `Elasticsearch at ${new URL(url).origin} is unreachable (${e.name})`;
  }
  const status = e.meta?.statusCode;
  return `Elasticsearch error${status ? ` (HTTP ${status})` : ''}: ${(e.message ?? String(err)).slice(0, 300)}`;
}
