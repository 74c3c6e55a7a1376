// Answers of one search split over index groups (a pattern whose indices map a field differently), merged.
import { describe, expect, it } from 'vitest';
import { compareSortValues, mergeAggregations } from '../../src/evidence/elastic/merge.js';

describe('merging aggregation answers of index groups', () => {
  const defs = {
    hosts: { terms: { field: 'host.name', size: 2 }, aggs: { first: { min: { field: '@timestamp' } }, users: { cardinality: { field: 'user.name' } } } },
    m: { filters: { filters: { a: { match_all: {} }, b: { match_all: {} } } }, aggs: { last: { max: { field: '@timestamp' } } } },
    none: { missing: { field: 'user_agent.original' } },
  };

  it('adds counts, keeps the earliest and latest, and re-cuts terms to their size with the rest counted as other', () => {
    const a = {
      hosts: { sum_other_doc_count: 1, buckets: [{ key: 'H1', doc_count: 3, first: { value: 10 }, users: { value: 2 } }, { key: 'H2', doc_count: 2, first: { value: 5 }, users: { value: 1 } }] },
      m: { buckets: { a: { doc_count: 1, last: { value: 7 } }, b: { doc_count: 0, last: { value: null } } } },
      none: { doc_count: 2 },
    };
    const b = {
      hosts: { sum_other_doc_count: 0, buckets: [{ key: 'H3', doc_count: 4, first: { value: 1 }, users: { value: 1 } }, { key: 'H2', doc_count: 1, first: { value: 3 }, users: { value: 1 } }] },
      m: { buckets: { a: { doc_count: 2, last: { value: 9 } }, b: { doc_count: 1, last: { value: 4 } } } },
      none: { doc_count: 1 },
    };
    const merged = mergeAggregations(defs, a, b) as typeof a;
    expect(merged.hosts.buckets.map((x) => [x.key, x.doc_count, x.first.value, x.users.value])).toEqual([
      ['H3', 4, 1, 1],
      ['H1', 3, 10, 2],
    ]);
    // H2 (3 documents) fell beyond the size of 2: counted as other, never silently dropped.
    expect(merged.hosts.sum_other_doc_count).toBe(1 + 3);
    expect(merged.m.buckets).toEqual({ a: { doc_count: 3, last: { value: 9 } }, b: { doc_count: 1, last: { value: 4 } } });
    expect(merged.none.doc_count).toBe(3);
  });

  it('orders hits by their sort values as the search did, missing values last', () => {
    const hits = [[2, 'b'], [1, 'z'], [2, 'a'], [null, 'a']];
    expect([...hits].sort((x, y) => compareSortValues(x, y, [1, 1]))).toEqual([[1, 'z'], [2, 'a'], [2, 'b'], [null, 'a']]);
  });
});
