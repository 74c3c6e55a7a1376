// Wiring: the Elasticsearch or the in-memory implementation of every port.
import type { Client } from '@elastic/elasticsearch';
import type { EvidenceSources } from '../engine.js';
import type { EvidenceIndices } from './indices.js';
import { ElasticCloudTrail } from './elastic/cloudtrail.js';
import { ElasticAlertLookup } from './elastic/alerts.js';
import { MemoryDocuments } from './memory/store.js';
import { MemoryCloudTrail } from './memory/cloudtrail.js';
import { MemoryAlertLookup } from './memory/alerts.js';

export function elasticSources(es: Client, indices: EvidenceIndices): EvidenceSources {
  return {
    cloudTrail: new ElasticCloudTrail(es, indices.cloudtrail),
    alerts: new ElasticAlertLookup(es, indices.alerts),
  };
}

export function memorySources(docs: MemoryDocuments): EvidenceSources {
  return {
    cloudTrail: new MemoryCloudTrail(docs),
    alerts: new MemoryAlertLookup(docs),
  };
}
