import type { Client } from '@elastic/elasticsearch';
import type { AlertLookup } from '../ports.js';
import { resolveFields } from './fields.js';

/** Finds a stored alert by document id, or by its own id field (canonical `id`, Kibana's alert uuid). */
export class ElasticAlertLookup implements AlertLookup {
  constructor(
    private readonly es: Client,
    private readonly index: string,
  ) {}

  async findAlert(id: string): Promise<unknown | undefined> {
    const body = await resolveFields(this.es, this.index, {
      query: { bool: { should: [{ ids: { values: [id] } }, { term: { id } }, { term: { 'kibana.alert.uuid': id } }], minimum_should_match: 1 } },
    });
    const res = await this.es.search<Record<string, unknown>>({ index: this.index, size: 1, ignore_unavailable: true, allow_no_indices: true, ...body });
    return res.hits.hits[0]?._source;
  }
}
