// Planning, pure: for a malicious or suspicious verdict, the one action and its exact target, as the flow's plug-in
// plans it from the facts it gathered out of the evidence (its optional `containment`, src/flows/containment.ts).
// Free text of the alert is never read; a flow without a planner offers no containment.
import type { Alert } from '../alerts/types.js';
import type { Verdict } from '../flows/verdict.js';
import { flowNamed } from '../flows/registry.js';
import type { PlanOutcome } from '../flows/containment.js';

export type { PlanOutcome } from '../flows/containment.js';

export function planContainment(verdict: Verdict, alert: Alert | undefined): PlanOutcome {
  if (verdict.verdict !== 'malicious' && verdict.verdict !== 'suspicious') return { refused: `containment is offered on malicious or suspicious verdicts only (this one is ${verdict.verdict})` };
  const planner = flowNamed(verdict.flow)?.containment;
  if (!planner) return { refused: 'no containment action for this flow' };
  return planner(verdict.facts, alert);
}
