// How a verdict is answered in its thread: in full, or quietly when similar alerts are suppressed — unless the
// verdict is malicious, which is always posted in full (naming the suppression).
import type { Verdict } from '../flows/verdict.js';
import type { Suppression, SuppressionStore } from './store.js';

/** What the answer depends on, of the alert's record (queue/state.ts's AlertState has these fields). */
export interface AnsweredAlert {
  verdict?: Pick<Verdict, 'verdict'>;
  suppression?: Suppression;
  /** Any responder decision on the alert. */
  decision?: object;
}

export type Answer = { quiet: false; suppression?: Suppression } | { quiet: true; suppression: Suppression };

/**
 * The suppression the worker found is looked up again at delivery: one lifted (or expired) meanwhile no longer
 * quiets the verdict; one replaced meanwhile is named as it now stands.
 */
export async function answerFor(state: AnsweredAlert, suppressions: SuppressionStore): Promise<Answer> {
  if (!state.verdict || !state.suppression) return { quiet: false };
  const inForce = await suppressions.active(state.suppression.id);
  if (!inForce) return { quiet: false };
  if (state.verdict.verdict === 'malicious') return { quiet: false, suppression: inForce };
  // A re-run of an alert a responder already decided on (the very one dismissed with the suppression, say) keeps its report.
  if (state.decision) return { quiet: false };
  return { quiet: true, suppression: inForce };
}
