// What the cluster supports, probed without creating anything: templates use what is there (a minimal test
// cluster lacks x-pack's unsigned_long; data streams and some settings came with later versions).
import type { Client } from '@elastic/elasticsearch';
import { IGNORE_DYNAMIC_BEYOND_LIMIT } from './field-budget.js';

/** Does the cluster know a field type? (The integration-test distribution lacks x-pack's unsigned_long.) */
export async function supportsFieldType(es: Client, type: string): Promise<boolean> {
  try {
    // Simulated: validates the mapping without creating anything.
    await es.indices.simulateTemplate({ index_patterns: ['triage-probe-field-type-*'], template: { mappings: { properties: { probe: { type } } } } } as Parameters<Client['indices']['simulateTemplate']>[0]);
    return true;
  } catch (err) {
    if (JSON.stringify((err as { meta?: { body?: unknown } }).meta?.body ?? '').includes(`mapper type [${type}]`)) return false;
    throw err;
  }
}

export async function supportsDataStreams(es: Client): Promise<boolean> {
  try {
    await es.indices.getDataStream({ name: '*' });
    return true;
  } catch {
    return false;
  }
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
