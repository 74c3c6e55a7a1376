// The Okta MFA push fatigue flow as a plug-in (flows.md §4).
import { MFA_FATIGUE_NEXT_STEPS } from './next-steps.js';
import { DEFAULT_MFA_FATIGUE_MIN_REJECTIONS, DEFAULT_SETTINGS, type FlowPlugin } from '../plugin.js';
import { MFA_FATIGUE_RECOGNISERS, MFA_FATIGUE_RULE_ROUTING } from './recognisers.js';
import { planMfaFatigueContainment } from './containment.js';
import { decideMfaFatigue } from './decide.js';
import { gatherMfaFatigue } from './gather.js';
import { mfaFatigueKeyFacts } from './key-facts.js';
import { mfaPicture } from './picture.js';
import { mfaFatigueSimilarity } from './similar.js';
import { MFA_EVENT_TYPES } from './activity.js';
import { oktaActorMatch, stepQuery, withStepQuery } from '../step-query.js';
import { mfaFatigueFactsSchema, type MfaFatigueFacts } from './verdict-facts.js';

export const MFA_FATIGUE_FLOW = 'okta_mfa_fatigue';

export const mfaFatigueFlow: FlowPlugin<typeof MFA_FATIGUE_FLOW, 'okta.mfa_fatigue', MfaFatigueFacts> = {
  id: MFA_FATIGUE_FLOW,
  label: 'Okta MFA push fatigue',
  nextSteps: MFA_FATIGUE_NEXT_STEPS,
  alertType: 'okta.mfa_fatigue',
  recognisers: MFA_FATIGUE_RECOGNISERS,
  ruleRouted: MFA_FATIGUE_RULE_ROUTING,
  containment: planMfaFatigueContainment,
  async investigate(alert, deps) {
    const settings = deps.settings ?? DEFAULT_SETTINGS;
    const evidence = await gatherMfaFatigue(alert, {
      log: deps.evidence.oktaLog,
      agents: deps.evidence.agents,
      companyCidrs: settings.companyCidrs,
      minRejections: settings.mfaFatigueMinRejections ?? DEFAULT_MFA_FATIGUE_MIN_REJECTIONS,
      ...(deps.oktaApi ? { api: deps.oktaApi } : {}),
    });
    const verdict = decideMfaFatigue(alert, evidence);
    // The steps read the user's MFA events in the window; only a log read from Elasticsearch can be opened there.
    if (evidence.source !== 'elasticsearch') return verdict;
    return withStepQuery(verdict, stepQuery('okta', [...oktaActorMatch(evidence.user), { field: 'event.action', values: [...MFA_EVENT_TYPES] }], evidence.window));
  },
  factsSchema: mfaFatigueFactsSchema,
  similarity: mfaFatigueSimilarity,
  keyFacts: mfaFatigueKeyFacts,
  picture: mfaPicture,
};
