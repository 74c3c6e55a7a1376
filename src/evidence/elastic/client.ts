import { Client } from '@elastic/elasticsearch';
import type { Config } from '../../config.js';

export function createElasticClient(cfg: Pick<Config, 'ELASTICSEARCH_URL' | 'ELASTICSEARCH_API_KEY' | 'ELASTICSEARCH_USERNAME' | 'ELASTICSEARCH_PASSWORD'>): Client {
  const auth = cfg.ELASTICSEARCH_API_KEY
    ? { apiKey: cfg.ELASTICSEARCH_API_KEY }
    : cfg.ELASTICSEARCH_USERNAME
      ? { username: cfg.ELASTICSEARCH_USERNAME, password: cfg.ELASTICSEARCH_PASSWORD ?? '' }
      : undefined;
  return new Client({ node: cfg.ELASTICSEARCH_URL, ...(auth ? { auth } : {}), requestTimeout: 30_000, maxRetries: 2 });
}

/** A short, secret-free description of why Elasticsearch could not be used. */
export function describeElasticError(err: unknown, url: string): string {
  const e = err as { name?: string; message?: string; meta?: { statusCode?: number } };
  if (e.name === 'ConnectionError' || e.name === 'TimeoutError' || e.name === 'NoLivingConnectionsError') {
    return `Elasticsearch at ${new URL(url).origin} is unreachable (${e.name})`;
  }
  const status = e.meta?.statusCode;
  return `Elasticsearch error${status ? ` (HTTP ${status})` : ''}: ${(e.message ?? String(err)).slice(0, 300)}`;
}
