// What a failure may say in Slack: the service that failed, never internals (addresses, paths, stack details).
import { errors as esErrors } from '@elastic/elasticsearch';
import { AlertParseError } from '../alerts/types.js';
import { EvidenceUnavailableError } from '../errors.js';

/** The error and its causes, outermost first (bounded: causes can form a cycle). */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && out.length < 8; e = (e as { cause?: unknown }).cause) out.push(e);
  return out;
}

export function publicReason(err: unknown): string {
  for (const e of chain(err)) {
    if (e instanceof esErrors.ResponseError) return `Elasticsearch refused the query (HTTP ${e.statusCode ?? '?'})`;
    if (e instanceof esErrors.TimeoutError || e instanceof esErrors.RequestAbortedError) return 'Elasticsearch timed out';
    if (e instanceof esErrors.ElasticsearchClientError) return 'Elasticsearch unreachable';
    if (e instanceof EvidenceUnavailableError) return `${e.service} unavailable`;
    if (e instanceof AlertParseError) return `the alert no longer parses (${e.message})`;
  }
  const text = chain(err).map((e) => (e instanceof Error ? `${e.name} ${e.message}` : '')).join(' ');
  if (/redis|ioredis/i.test(text)) return 'Redis unavailable';
  return 'internal error (details in the worker log)';
}
