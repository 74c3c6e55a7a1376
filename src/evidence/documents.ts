// ECS documents as plain objects: dotted keys are expanded the way Elasticsearch reads them.
import { isObject, ownValue, type JsonObject } from '../alerts/json.js';

export { expandDots } from '../alerts/json.js';

export type EcsDocument = JsonObject;

/** All own values at a dotted path, flattening arrays on the way (as Elasticsearch does). */
export function values(doc: unknown, path: string): unknown[] {
  let current: unknown[] = [doc];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      for (const item of Array.isArray(c) ? c : [c]) {
        const v = isObject(item) ? ownValue(item, key) : undefined;
        if (v !== undefined && v !== null) next.push(v);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

export function strings(doc: unknown, path: string): string[] {
  return values(doc, path).filter((v): v is string => typeof v === 'string');
}

export function firstString(doc: unknown, path: string): string | undefined {
  return strings(doc, path)[0];
}

export function timestamp(doc: unknown): Date | undefined {
  const t = values(doc, '@timestamp')[0];
  if (typeof t !== 'string' && typeof t !== 'number') return undefined;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The dataset a document belongs to: `data_stream.dataset` (where Elastic stored it: documents in a data stream
 * may carry only that one, the mapping holding event.dataset as a constant), else `event.dataset`.
 */
export function datasetOf(doc: unknown): string | undefined {
  return firstString(doc, 'data_stream.dataset') ?? firstString(doc, 'event.dataset');
}
