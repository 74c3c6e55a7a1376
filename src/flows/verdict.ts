// The verdict every flow returns, its score bands and the priority order of the alert line. The flow names
// come from the registry (its one list of flows); nothing here names a flow.
import { FLOW_PLUGINS } from './registry.js';
import type { FlowVerdict, VerdictClass } from './verdict-core.js';

export { classForScore, type FlowVerdict, type PathStep, type VerdictClass } from './verdict-core.js';

export type FlowName = (typeof FLOW_PLUGINS)[number]['id'];

/** Every flow's name, in the registry's order. A non-empty tuple, as zod's enum wants it (the registry is never empty). */
export const FLOWS = FLOW_PLUGINS.map((p) => p.id) as [FlowName, ...FlowName[]];

export type Verdict = FlowVerdict<FlowName>;

const ORDER: Record<VerdictClass, number> = { malicious: 0, inconclusive: 1, suspicious: 2, benign: 3 };

/** The "cleaner alert line": verdict, then score descending, then alert time ascending. */
export function comparePriority(a: { verdict: Verdict; time: Date }, b: { verdict: Verdict; time: Date }): number {
  return (
    ORDER[a.verdict.verdict] - ORDER[b.verdict.verdict] ||
    (b.verdict.score ?? -1) - (a.verdict.score ?? -1) ||
    a.time.getTime() - b.time.getTime()
  );
}
