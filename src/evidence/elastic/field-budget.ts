// An index holds at most index.mapping.total_fields.limit fields (1 000 by default), and every new field a document
// brings is mapped dynamically. One document with hundreds of junk keys used to spend that budget, after which every
// later document bringing any new field was refused until the data stream rolled over (issue 23). Two guards:
// - templates ask Elasticsearch to ignore dynamic fields beyond the limit (kept in _source, not indexed) instead
//   of refusing the document: the fields the flows read are all mapped by the templates, so they stay searchable;
// - `triage ingest` refuses a document with more fields than any integration writes, before sending it.
import type { Client } from '@elastic/elasticsearch';
import { isObject } from '../../alerts/json.js';

export const IGNORE_DYNAMIC_BEYOND_LIMIT = 'index.mapping.total_fields.ignore_dynamic_beyond_limit';

/**
 * Fields (distinct dotted leaf paths) one document may carry. Elastic's integrations write up to about 150 per
 * event (the test fixtures: 104 at most); 500 leaves room and stays well under the 1 000 of a whole index.
 */
export const MAX_FIELDS_PER_DOCUMENT = 500;

/** Subtrees the templates map as one field (flattened, or not indexed): their keys spend no field budget. */
const ONE_FIELD_SUBTREES = new Set(['aws.cloudtrail.flattened', 'okta.debug_context.debug_data.behaviors', 'okta.debug_context.debug_data.logOnlySecurityData']);

/** Distinct leaf paths of a JSON value (array items share their path), counting stops past `max`. */
export function fieldCount(doc: unknown, max = MAX_FIELDS_PER_DOCUMENT): number {
  const paths = new Set<string>();
  const walk = (v: unknown, path: string): void => {
    if (paths.size > max) return;
    if (ONE_FIELD_SUBTREES.has(path)) return void paths.add(path);
    if (Array.isArray(v)) {
      for (const item of v) walk(item, path);
    } else if (isObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0 && path) paths.add(path);
      for (const k of keys) walk(v[k], path ? `${path}.${k}` : k);
    } else if (path) paths.add(path);
  };
  walk(doc, '');
  return paths.size;
}

/** Does the cluster know the setting (Elasticsearch 8.13 and later)? Probed by a simulation, which creates nothing. */
export async function supportsIgnoreDynamicBeyondLimit(es: Client): Promise<boolean> {
  try {
    await es.indices.simulateTemplate({ index_patterns: ['triage-probe-setting-*'], template: { settings: { [IGNORE_DYNAMIC_BEYOND_LIMIT]: true } } } as Parameters<Client['indices']['simulateTemplate']>[0]);
    return true;
  } catch (err) {
    if (JSON.stringify((err as { meta?: { body?: unknown } }).meta?.body ?? '').includes('unknown setting')) return false;
    throw err;
  }
}
