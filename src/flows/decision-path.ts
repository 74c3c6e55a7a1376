// The decision path every flow's decide writes, one step at a time: the step id of flows.md, its question,
// the answer and the evidence it rests on. Scored steps (the Okta flow after O2) show their effect in the answer.
import type { PathStep } from './verdict-core.js';

/** +20, −15, 0: a step's effect on the score as the path shows it. */
export const signed = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

export class DecisionPath {
  readonly steps: PathStep[] = [];
  score: number;

  constructor(startScore = 0) {
    this.score = startScore;
  }

  record(step: string, question: string, answer: string, evidence: string): void {
    this.steps.push({ step, question, answer, evidence });
  }

  /** A scored step: adds `delta` to the score and names it in the answer. */
  effect(step: string, question: string, answer: string, delta: number, evidence: string): void {
    this.score += delta;
    this.record(step, question, `${answer} (${signed(delta)})`, evidence);
  }
}
