// INDEX_PROOFPOINT: where Proofpoint TAP clicks live (evidence-schema.md), configuration with the package's data streams as default.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { indicesFromConfig } from '../../src/evidence/indices.js';

describe('INDEX_PROOFPOINT', () => {
  it('defaults to both click data streams of Elastic’s proofpoint_tap integration', () => {
    expect(indicesFromConfig(loadConfig({})).proofpoint).toBe('logs-proofpoint_tap.clicks_permitted-*,logs-proofpoint_tap.clicks_blocked-*');
  });

  it('is configuration', () => {
    expect(indicesFromConfig(loadConfig({ INDEX_PROOFPOINT: 'tap-clicks-*' })).proofpoint).toBe('tap-clicks-*');
  });
});
