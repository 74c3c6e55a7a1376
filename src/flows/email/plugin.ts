// The malicious e-mail flow as a plug-in (flows.md §3).
import { EMAIL_NEXT_STEPS } from './next-steps.js';
import type { EmailAlert } from '../../alerts/types.js';
import { DEFAULT_SETTINGS, type FlowPlugin } from '../plugin.js';
import { EMAIL_RECOGNISERS } from './recognisers.js';
import { planEmailContainment } from './containment.js';
import { decideEmail, type EmailVerdict } from './decide.js';
import { gatherEmail } from './gather.js';
import { emailKeyFacts } from './key-facts.js';
import { emailPicture } from './picture.js';
import { emailSimilarity } from './similar.js';
import { emailStepQueries, withEmailStepQueries } from './step-queries.js';
import { emailFactsSchema, type EmailFacts } from './verdict-facts.js';

export const EMAIL_FLOW = 'malicious_email';

export const emailFlow: FlowPlugin<typeof EMAIL_FLOW, 'email.malicious', EmailFacts> = {
  id: EMAIL_FLOW,
  label: 'Malicious e-mail',
  nextSteps: EMAIL_NEXT_STEPS,
  alertType: 'email.malicious',
  recognisers: EMAIL_RECOGNISERS,
  containment: planEmailContainment,
  async investigate(alert, deps) {
    const settings = deps.settings ?? DEFAULT_SETTINGS;
    const evidence = await gatherEmail(alert, { proxy: deps.evidence.proxy, edr: deps.evidence.edr, proofpoint: deps.evidence.proofpoint, rareDomainUserThreshold: settings.rareDomainUserThreshold, now: settings.now });
    return withEmailStepQueries(withSkippedIndicators(decideEmail(alert, evidence), alert), emailStepQueries(alert, evidence));
  },
  factsSchema: emailFactsSchema,
  similarity: emailSimilarity,
  keyFacts: emailKeyFacts,
  picture: emailPicture,
};

/** Indicators the alert's source gave but that could not be investigated are named in the facts (product.md). */
function withSkippedIndicators(verdict: EmailVerdict, alert: EmailAlert): EmailVerdict {
  const skipped = alert.skippedIndicators ?? [];
  if (skipped.length === 0) return verdict;
  return { ...verdict, facts: { ...verdict.facts, skipped_indicators: skipped.map((s) => ({ field: s.field, value: s.value, reason: s.reason })) } };
}
