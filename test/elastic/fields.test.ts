import { describe, expect, it } from 'vitest';
import { fieldsIn, mapFields } from '../../src/evidence/elastic/fields.js';

describe('field resolution in search bodies', () => {
  const body = {
    query: { bool: { filter: [{ term: { 'user.id': 'x' } }, { terms: { 'event.action': ['A'], boost: 2 } }, { range: { '@timestamp': { gte: 'now' } } }], must_not: [{ exists: { field: 'error.code' } }] } },
    aggs: { by: { terms: { field: 'source.address', size: 5, order: { _key: 'asc' } }, aggs: { n: { cardinality: { field: 'user.name' } }, first: { min: { field: '@timestamp' } } } }, f: { filters: { filters: { 'evil.test': { wildcard: { 'dns.question.name': { value: '*.evil.test' } } } } } } },
    sort: [{ '@timestamp': 'asc' }, { 'okta.uuid': { order: 'asc' } }],
  };

  it('finds every field a query, aggregation or sort names', () => {
    expect(fieldsIn(body).sort()).toEqual(['@timestamp', 'dns.question.name', 'error.code', 'event.action', 'okta.uuid', 'source.address', 'user.id', 'user.name'].sort());
  });

  it('renames fields wherever they stand, and nothing else', () => {
    const mapped = mapFields(body, (f) => (f === '@timestamp' ? f : `${f}.keyword`));
    const text = JSON.stringify(mapped);
    for (const f of ['user.id', 'event.action', 'error.code', 'source.address', 'user.name', 'dns.question.name', 'okta.uuid']) expect(text).toContain(`"${f}.keyword"`);
    expect(text).toContain('"boost":2');
    expect(text).toContain('"evil.test":');
    expect(text).toContain('"_key":"asc"');
    expect(text).not.toContain('@timestamp.keyword');
  });
});
