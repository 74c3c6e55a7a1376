// Every port an investigation reads evidence through; sources.ts wires the Elasticsearch or the in-memory set.
import type { AgentSightings, AlertLookup, CloudTrailEvidence, EdrEvidence, OktaLogEvidence, ProxyEvidence } from './ports.js';
import type { ProofpointClickEvidence } from './proofpoint.js';

export interface EvidenceSources {
  cloudTrail: CloudTrailEvidence;
  proxy: ProxyEvidence;
  edr: EdrEvidence;
  /** Optional evidence: a deployment without Proofpoint has no data there, which never counts as missing. */
  proofpoint: ProofpointClickEvidence;
  oktaLog: OktaLogEvidence;
  agents: AgentSightings;
  alerts: AlertLookup;
}
