// The verdict every flow returns, its score bands and the priority order of the alert line. The flow names
// come from the registry (its one list of flows); nothing here names a flow.
import { FLOW_PLUGINS, type FlowName, type VerdictOf } from './registry.js';
import type { VerdictClass } from './verdict-core.js';

export { classForScore, type FlowVerdict, type PathStep, type VerdictClass } from './verdict-core.js';
export type { FactsOf, FlowName, VerdictOf } from './registry.js';

/** Every flow's name, in the registry's order. A non-empty tuple, as zod's enum wants it (the registry is never empty). */
export const FLOWS = FLOW_PLUGINS.map((p) => p.id) as [FlowName, ...FlowName[]];

/** A verdict of any flow: a union discriminated on `flow`, each member with its flow's facts type. */
export type Verdict = VerdictOf;

const ORDER: Record<VerdictClass, number> = { malicious: 0, inconclusive: 1, suspicious: 2, benign: 3 };

/** The "cleaner alert line": verdict, then score descending, then alert time ascending. */
export function comparePriority(a: { verdict: Pick<Verdict, 'verdict' | 'score'>; time: Date }, b: { verdict: Pick<Verdict, 'verdict' | 'score'>; time: Date }): number {
  return (
    ORDER[a.verdict.verdict] - ORDER[b.verdict.verdict] ||
    (b.verdict.score ?? -1) - (a.verdict.score ?? -1) ||
    a.time.getTime() - b.time.getTime()
  );
}
