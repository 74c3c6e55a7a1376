// The Okta MFA push fatigue flow as a plug-in (flows.md §4).
import { MFA_FATIGUE_NEXT_STEPS } from './next-steps.js';
import { DEFAULT_MFA_FATIGUE_MIN_REJECTIONS, DEFAULT_SETTINGS, type FlowPlugin } from '../plugin.js';
import { decideMfaFatigue } from './decide.js';
import { gatherMfaFatigue } from './gather.js';
import { mfaFatigueKeyFacts } from './key-facts.js';
import { mfaPicture } from './picture.js';
import { mfaFatigueSimilarity } from './similar.js';
import { mfaFatigueFactsSchema, type MfaFatigueFacts } from './verdict-facts.js';

export const MFA_FATIGUE_FLOW = 'okta_mfa_fatigue';

export const mfaFatigueFlow: FlowPlugin<typeof MFA_FATIGUE_FLOW, 'okta.mfa_fatigue', MfaFatigueFacts> = {
  id: MFA_FATIGUE_FLOW,
  label: 'Okta MFA push fatigue',
  nextSteps: MFA_FATIGUE_NEXT_STEPS,
  alertType: 'okta.mfa_fatigue',
  async investigate(alert, deps) {
    const settings = deps.settings ?? DEFAULT_SETTINGS;
    const evidence = await gatherMfaFatigue(alert, {
      log: deps.evidence.oktaLog,
      agents: deps.evidence.agents,
      companyCidrs: settings.companyCidrs,
      minRejections: settings.mfaFatigueMinRejections ?? DEFAULT_MFA_FATIGUE_MIN_REJECTIONS,
      ...(deps.oktaApi ? { api: deps.oktaApi } : {}),
    });
    return decideMfaFatigue(alert, evidence);
  },
  factsSchema: mfaFatigueFactsSchema,
  similarity: mfaFatigueSimilarity,
  keyFacts: mfaFatigueKeyFacts,
  picture: mfaPicture,
};
