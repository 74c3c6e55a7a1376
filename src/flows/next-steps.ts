// The one place next steps are read from: each flow declares its own (plugin.ts, from its next-steps.ts), and
// for an inconclusive verdict the evidence that was missing (the steps answered `unknown`) and how to get it.
import { flowNamed } from './registry.js';
import type { PathStep, VerdictClass } from './verdict-core.js';

/** What to do now. Our words only; the missing evidence is named by our step ids, never by alert text. */
export function nextSteps(v: { flow: string; verdict: VerdictClass; path: PathStep[] }): string[] {
  if (v.verdict !== 'inconclusive') return [...(flowNamed(v.flow)?.nextSteps[v.verdict] ?? [])];
  const unknown = v.path.filter((p) => p.answer === 'unknown').map((p) => p.step.slice(0, 8));
  return [
    unknown.length
      ? `Evidence was missing for step(s) ${unknown.join(', ')}: check that those datasets are ingested for the alert's time (triage config check, the index settings), then Re-run.`
      : 'The evidence did not decide: check the datasets this flow reads are ingested for the alert time, then Re-run.',
    'Until then, treat the alert as unresolved and investigate by hand (docs/flows.md names what each step reads).',
  ];
}
