// The Okta impossible-travel flow as a plug-in (flows.md §2).
import { OKTA_TRAVEL_NEXT_STEPS } from './next-steps.js';
import { DEFAULT_SETTINGS, type FlowPlugin } from '../plugin.js';
import { OKTA_TRAVEL_RECOGNISERS } from './recognisers.js';
import { planOktaTravelContainment } from './containment.js';
import { decideOkta } from './decide.js';
import { gatherOkta } from './gather.js';
import { oktaKeyFacts } from './key-facts.js';
import { oktaPicture } from './picture.js';
import { oktaSimilarity } from './similar.js';
import { oktaActorMatch, stepQuery, withStepQuery } from '../step-query.js';
import { oktaFactsSchema, type OktaFacts } from './verdict-facts.js';

export const OKTA_FLOW = 'okta_impossible_travel';

export const oktaFlow: FlowPlugin<typeof OKTA_FLOW, 'okta.superhuman', OktaFacts> = {
  id: OKTA_FLOW,
  label: 'Okta impossible travel',
  nextSteps: OKTA_TRAVEL_NEXT_STEPS,
  alertType: 'okta.superhuman',
  recognisers: OKTA_TRAVEL_RECOGNISERS,
  containment: planOktaTravelContainment,
  async investigate(alert, deps) {
    const settings = deps.settings ?? DEFAULT_SETTINGS;
    const evidence = await gatherOkta(alert, {
      log: deps.evidence.oktaLog,
      agents: deps.evidence.agents,
      companyCidrs: settings.companyCidrs,
      ...(deps.oktaApi ? { api: deps.oktaApi } : {}),
    });
    const verdict = decideOkta(alert, evidence);
    // The steps read the user's System Log in the window; only a log read from Elasticsearch can be opened there.
    if (evidence.source !== 'elasticsearch') return verdict;
    return withStepQuery(verdict, stepQuery('okta', oktaActorMatch(evidence.user), evidence.window));
  },
  factsSchema: oktaFactsSchema,
  similarity: oktaSimilarity,
  keyFacts: oktaKeyFacts,
  picture: oktaPicture,
};
