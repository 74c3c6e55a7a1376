// Wiring: the Elasticsearch or the in-memory implementation of every port.
import type { Client } from '@elastic/elasticsearch';
import type { EvidenceSources } from './evidence-sources.js';
import type { EvidenceIndices } from './indices.js';
import { ElasticCloudTrail } from './elastic/cloudtrail.js';
import { ElasticAlertLookup } from './elastic/alerts.js';
import { MemoryDocuments } from './memory/store.js';
import { MemoryCloudTrail } from './memory/cloudtrail.js';
import { MemoryAlertLookup } from './memory/alerts.js';
import { ElasticEdr } from './elastic/edr.js';
import { ElasticProxy } from './elastic/proxy.js';
import { MemoryEdr, MemoryProxy } from './memory/edr.js';
import { ElasticAgentSightings, ElasticOktaLog } from './elastic/okta.js';
import { MemoryAgentSightings, MemoryOktaLog } from './memory/okta.js';
import { ElasticProofpointClicks } from './elastic/proofpoint.js';
import { MemoryProofpointClicks } from './memory/proofpoint.js';

/** Which fields hold what, where the defaults (evidence-schema.md) are configuration. */
export interface EvidenceFields {
  /** A device's own address as company agents record it (AGENT_IP_FIELDS). */
  agentIp?: readonly string[];
}

export function elasticSources(es: Client, indices: EvidenceIndices, fields: EvidenceFields = {}): EvidenceSources {
  return {
    cloudTrail: new ElasticCloudTrail(es, indices.cloudtrail),
    proxy: new ElasticProxy(es, indices.proxy),
    edr: new ElasticEdr(es, { process: indices.edrProcess, file: indices.edrFile, network: indices.edrNetwork }),
    proofpoint: new ElasticProofpointClicks(es, indices.proofpoint),
    oktaLog: new ElasticOktaLog(es, indices.okta),
    agents: new ElasticAgentSightings(es, indices.agentSightings, fields.agentIp),
    alerts: new ElasticAlertLookup(es, indices.alerts),
  };
}

export function memorySources(docs: MemoryDocuments, fields: EvidenceFields = {}): EvidenceSources {
  return {
    cloudTrail: new MemoryCloudTrail(docs),
    proxy: new MemoryProxy(docs),
    edr: new MemoryEdr(docs),
    proofpoint: new MemoryProofpointClicks(docs),
    oktaLog: new MemoryOktaLog(docs),
    agents: new MemoryAgentSightings(docs, undefined, fields.agentIp),
    alerts: new MemoryAlertLookup(docs),
  };
}
