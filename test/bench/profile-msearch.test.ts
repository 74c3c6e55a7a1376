// The benchmark's profiler sees every search of an investigation, those batched in one _msearch too.
import { describe, expect, it } from 'vitest';
import { profiledMsearchBody } from '../../bench/scale/profile.js';

describe('profiling an _msearch', () => {
  it('adds "profile": true to each body line, keeps the headers, and names each item’s index', () => {
    const ndjson = ['{"index":"logs-a"}', '{"size":0,"query":{"match_all":{}}}', '{"index":["logs-b","logs-c"]}', '{"size":1}', ''].join('\n');
    const { body, items } = profiledMsearchBody(ndjson);
    const lines = body.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([{ index: 'logs-a' }, { size: 0, query: { match_all: {} }, profile: true }, { index: ['logs-b', 'logs-c'] }, { size: 1, profile: true }]);
    expect(body.endsWith('\n')).toBe(true);
    expect(items).toEqual([
      { index: 'logs-a', request: { size: 0, query: { match_all: {} } } },
      { index: 'logs-b,logs-c', request: { size: 1 } },
    ]);
  });
});
