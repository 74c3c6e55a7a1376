// What a responder does next, per flow and verdict: our words only (never alert text), shown in the thread.
import type { VerdictClass } from './verdict-core.js';

/** Each verdict's steps, in the order to take them. */
export type NextStepsByVerdict = Record<Exclude<VerdictClass, 'inconclusive'>, readonly string[]>;
