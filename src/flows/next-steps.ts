// The one place next steps are read from: each flow's own list, and for an inconclusive verdict the
// evidence that was missing (the steps answered `unknown`) and how to get it.
import { AWS_NEXT_STEPS } from './aws/next-steps.js';
import { EMAIL_NEXT_STEPS } from './email/next-steps.js';
import { MFA_FATIGUE_NEXT_STEPS } from './mfa-fatigue/next-steps.js';
import { OKTA_TRAVEL_NEXT_STEPS } from './okta/next-steps.js';
import type { NextStepsByVerdict } from './next-steps-type.js';
import type { FlowName, Verdict } from './verdict.js';

const BY_FLOW: Record<FlowName, NextStepsByVerdict> = {
  aws_instance_credentials: AWS_NEXT_STEPS,
  okta_impossible_travel: OKTA_TRAVEL_NEXT_STEPS,
  okta_mfa_fatigue: MFA_FATIGUE_NEXT_STEPS,
  malicious_email: EMAIL_NEXT_STEPS,
};

/** What to do now. Step ids come from our flows, never from the alert; the missing evidence is named by step id only. */
export function nextSteps(v: Verdict): string[] {
  if (v.verdict !== 'inconclusive') return [...BY_FLOW[v.flow][v.verdict]];
  const unknown = v.path.filter((p) => p.answer === 'unknown').map((p) => p.step.slice(0, 8));
  return [
    unknown.length
      ? `Evidence was missing for step(s) ${unknown.join(', ')}: check that those datasets are ingested for the alert's time (triage config check, the index settings), then Re-run.`
      : 'The evidence did not decide: check the datasets this flow reads are ingested for the alert time, then Re-run.',
    'Until then, treat the alert as unresolved and investigate by hand (docs/flows.md names what each step reads).',
  ];
}
