// investigate(alert): pick the flow, gather its evidence through the ports, decide.
import type { Alert, EmailAlert } from '../alerts/types.js';
import type { OktaDirectory, OktaLogEvidence } from '../evidence/ports.js';
import type { EvidenceSources } from '../evidence/evidence-sources.js';
import type { IpClassifier } from '../enrich/ip-class.js';
import { gatherAws } from './aws/gather.js';
import { decideAws } from './aws/decide.js';
import { gatherEmail } from './email/gather.js';
import { decideEmail } from './email/decide.js';
import { gatherOkta } from './okta/gather.js';
import { decideOkta } from './okta/decide.js';
import { gatherMfaFatigue } from './mfa-fatigue/gather.js';
import { decideMfaFatigue } from './mfa-fatigue/decide.js';
import type { Verdict } from './verdict.js';

export type { EvidenceSources };

export interface EngineSettings {
  rareDomainUserThreshold: number;
  /** Office and VPN CIDRs: known company IPs for the Okta flow. */
  companyCidrs: string[];
  /** The investigation time: "after T" windows end here. */
  now: () => Date;
  /** N of the MFA fatigue flow: rejections in the 10 minutes before an approval that make it a fatigue approval. */
  mfaFatigueMinRejections?: number;
}

export const DEFAULT_MFA_FATIGUE_MIN_REJECTIONS = 3;
export const DEFAULT_SETTINGS: EngineSettings = { rareDomainUserThreshold: 5, companyCidrs: [], now: () => new Date(), mfaFatigueMinRejections: DEFAULT_MFA_FATIGUE_MIN_REJECTIONS };

export interface EngineDeps {
  evidence: EvidenceSources;
  /** Loaded on first use: only the AWS flow needs AWS's ranges. */
  ipClassifier: () => Promise<IpClassifier>;
  settings?: EngineSettings;
  /** The Okta API, when configured. */
  oktaApi?: OktaLogEvidence & OktaDirectory;
}

export async function investigate(alert: Alert, deps: EngineDeps): Promise<Verdict> {
  switch (alert.type) {
    case 'aws.instance_credential_exfiltration': {
      const classifier = await deps.ipClassifier();
      const evidence = await gatherAws(alert, { cloudTrail: deps.evidence.cloudTrail, classifier });
      return decideAws(alert, evidence);
    }
    case 'email.malicious': {
      const settings = deps.settings ?? DEFAULT_SETTINGS;
      const evidence = await gatherEmail(alert, { proxy: deps.evidence.proxy, edr: deps.evidence.edr, proofpoint: deps.evidence.proofpoint, rareDomainUserThreshold: settings.rareDomainUserThreshold, now: settings.now });
      return withSkippedIndicators(decideEmail(alert, evidence), alert);
    }
    case 'okta.superhuman': {
      const settings = deps.settings ?? DEFAULT_SETTINGS;
      const evidence = await gatherOkta(alert, {
        log: deps.evidence.oktaLog,
        agents: deps.evidence.agents,
        companyCidrs: settings.companyCidrs,
        ...(deps.oktaApi ? { api: deps.oktaApi } : {}),
      });
      return decideOkta(alert, evidence);
    }
    case 'okta.mfa_fatigue': {
      const settings = deps.settings ?? DEFAULT_SETTINGS;
      const evidence = await gatherMfaFatigue(alert, {
        log: deps.evidence.oktaLog,
        agents: deps.evidence.agents,
        companyCidrs: settings.companyCidrs,
        minRejections: settings.mfaFatigueMinRejections ?? DEFAULT_MFA_FATIGUE_MIN_REJECTIONS,
        ...(deps.oktaApi ? { api: deps.oktaApi } : {}),
      });
      return decideMfaFatigue(alert, evidence);
    }
  }
}

/** Indicators the alert's source gave but that could not be investigated are named in the facts (product.md). */
function withSkippedIndicators(verdict: Verdict, alert: EmailAlert): Verdict {
  const skipped = alert.skippedIndicators ?? [];
  if (skipped.length === 0) return verdict;
  return { ...verdict, facts: { ...verdict.facts, skipped_indicators: skipped.map((s) => ({ field: s.field, value: s.value, reason: s.reason })) } };
}
