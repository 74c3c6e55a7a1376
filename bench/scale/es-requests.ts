// Counts every HTTP request a client sends to Elasticsearch (searches, field caps, each page, retries:
// one per attempt), from the client's own diagnostic 'request' event, and charges it to the
// investigation whose async context sent it. Nothing in src/ is changed for this.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Client } from '@elastic/elasticsearch';

/** One investigation's requests, open until its verdict is recorded. */
export interface Tally {
  open: boolean;
  requests: number;
  byKind: Record<string, number>;
  /** Requests made in the context after the verdict (the audit record): not the investigation's. */
  after: number;
  /** Elasticsearch's own time ("took", ms) of the searches, per target index pattern. */
  tookByTarget: Record<string, number>;
}

export function newTally(): Tally {
  return { open: true, requests: 0, byKind: {}, after: 0, tookByTarget: {} };
}

/** The index part of a request path, without the data set's namespace: logs-okta.system, logs-endpoint.*,… */
export function targetOf(path: string): string {
  const first = decodeURIComponent(path.split('?')[0]!.split('/').filter(Boolean)[0] ?? '');
  if (first === '_msearch') return '_msearch';
  return first.startsWith('_') ? '(none)' : first.split(',').map((i) => i.replace(/-bench_[a-z0-9_]+$/, '')).join(',');
}

/** search, field_caps, open_pit, bulk … from the request's method and path. */
export function requestKind(method: string, path: string): string {
  const endpoint = path.split('?')[0]!.split('/').filter((p) => p.startsWith('_'));
  const last = endpoint.at(-1);
  if (last === undefined) return method === 'HEAD' ? 'exists' : `${method.toLowerCase()} document`;
  if (last === '_pit') return method === 'DELETE' ? 'close_pit' : 'open_pit';
  return last.slice(1);
}

export class RequestCounter {
  private readonly storage = new AsyncLocalStorage<Tally>();
  /** Requests no investigation was in flight for (the harness's own, or a leak in attribution). */
  unattributed = 0;
  readonly unattributedByKind: Record<string, number> = {};

  attach(es: Client): void {
    es.diagnostic.on('response', (err, result) => {
      const tally = this.storage.getStore();
      const took = (result?.body as { took?: unknown } | undefined)?.took;
      if (err || !result || !tally?.open || typeof took !== 'number') return;
      const target = targetOf(result.meta.request.params.path);
      tally.tookByTarget[target] = (tally.tookByTarget[target] ?? 0) + took;
    });
    es.diagnostic.on('request', (err, result) => {
      // An error here means the request never left the client (serialisation, no connection).
      if (err || !result) return;
      const { method, path } = result.meta.request.params;
      const kind = requestKind(method, path);
      const tally = this.storage.getStore();
      if (!tally) {
        this.unattributed++;
        this.unattributedByKind[kind] = (this.unattributedByKind[kind] ?? 0) + 1;
      } else if (!tally.open) {
        tally.after++;
      } else {
        tally.requests++;
        tally.byKind[kind] = (tally.byKind[kind] ?? 0) + 1;
      }
    });
  }

  /** Runs `work` with its requests charged to `tally`. */
  run<T>(tally: Tally, work: () => Promise<T>): Promise<T> {
    return this.storage.run(tally, work);
  }

  /**
   * Charges the rest of the current async flow to `tally`. For code we call but do not wrap (the worker's
   * job processor): everything it awaits after this point inherits the tally.
   */
  enter(tally: Tally): void {
    this.storage.enterWith(tally);
  }
}
