// Containment (issue 20): what may be done, to whom, and the outcome of doing it. The target of every action
// comes from the evidence the flow gathered (or, for Cyren, the case id Cyren's API gave), never from alert text.
import type { ContainmentTarget } from '../flows/containment.js';

export const CONTAINMENT_MODES = ['off', 'dry-run', 'live'] as const;
export type ContainmentMode = (typeof CONTAINMENT_MODES)[number];

// The targets and the plan are what the flows' planners return (src/flows/containment.ts).
export type { ContainmentPlan, ContainmentTarget } from '../flows/containment.js';

export type ContainmentKind = ContainmentTarget['kind'];

/** The service's answer to a call, in words: no secrets, no tokens, no raw bodies. */
export type ActionOutcome = { ok: true; answer: string } | { ok: false; reason: string; retryable: boolean };

/** One containment service, called through its official SDK or API. */
export interface ContainmentExecutor {
  execute(target: ContainmentTarget, at: Date): Promise<ActionOutcome>;
  /** Undo, where the service allows one (AWS: remove the inline policy). */
  undo?(target: ContainmentTarget): Promise<ActionOutcome>;
}

export type Executors = Partial<Record<ContainmentKind, ContainmentExecutor>>;
