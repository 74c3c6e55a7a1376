import type { Config } from '../config.js';

/** Where each kind of evidence lives: configuration, never code. */
export interface EvidenceIndices {
  cloudtrail: string;
  okta: string;
  proxy: string;
  edrProcess: string;
  edrFile: string;
  edrNetwork: string;
  proofpoint: string;
  agentSightings: string;
  alerts: string;
  verdicts: string;
  dispositions: string;
}

export function indicesFromConfig(cfg: Config): EvidenceIndices {
  return {
    cloudtrail: cfg.INDEX_CLOUDTRAIL,
    okta: cfg.INDEX_OKTA,
    proxy: cfg.INDEX_PROXY,
    edrProcess: cfg.INDEX_EDR_PROCESS,
    edrFile: cfg.INDEX_EDR_FILE,
    edrNetwork: cfg.INDEX_EDR_NETWORK,
    proofpoint: cfg.INDEX_PROOFPOINT,
    agentSightings: cfg.INDEX_AGENT_SIGHTINGS,
    alerts: cfg.INDEX_ALERTS,
    verdicts: cfg.INDEX_VERDICTS,
    dispositions: cfg.INDEX_DISPOSITIONS,
  };
}

/** The first concrete index of a comma-separated list (where new alert documents are written). */
export function writableIndex(pattern: string): string {
  const concrete = pattern.split(',').map((s) => s.trim()).find((s) => s !== '' && !s.includes('*'));
  return concrete ?? 'triage-alerts';
}
