import type { Client } from '@elastic/elasticsearch';
import type { AlertLookup } from '../ports.js';
import { resolveFields } from './fields.js';

const GUARDDUTY = 'aws.guardduty';

/**
 * Finds a stored alert by document id, or by its own id field: the canonical `id`, Kibana's alert
 * uuid, or a GuardDuty finding's id as Elastic's integration stores it (`aws.guardduty.id`; the older pipeline,
 * aws package 1.x, kept it only in `event.id`, matched on GuardDuty documents alone).
 * A document id wins; among findings stored several times (each update is a document), the latest.
 */
export class ElasticAlertLookup implements AlertLookup {
  constructor(
    private readonly es: Client,
    private readonly index: string,
  ) {}

  async findAlert(id: string): Promise<unknown | undefined> {
    const exact = (query: Record<string, unknown>, boost: number) => ({ constant_score: { filter: query, boost } });
    const body = await resolveFields(this.es, this.index, {
      query: {
        bool: {
          should: [
            exact({ ids: { values: [id] } }, 2),
            exact({ term: { id } }, 1),
            exact({ term: { 'kibana.alert.uuid': id } }, 1),
            exact({ term: { 'aws.guardduty.id': id } }, 1),
            exact({ bool: { filter: [{ term: { 'event.id': id } }, { bool: { should: [{ term: { 'data_stream.dataset': GUARDDUTY } }, { term: { 'event.dataset': GUARDDUTY } }], minimum_should_match: 1 } }] } }, 1),
          ],
          minimum_should_match: 1,
        },
      },
    });
    const res = await this.es.search<Record<string, unknown>>({
      index: this.index,
      size: 1,
      ignore_unavailable: true,
      allow_no_indices: true,
      sort: ['_score', { '@timestamp': { order: 'desc', unmapped_type: 'date', missing: '_last' } }],
      ...body,
    });
    return res.hits.hits[0]?._source;
  }
}
