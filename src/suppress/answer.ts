// How a verdict is answered in its thread: in full, or quietly when similar alerts are suppressed — unless the
// verdict is malicious, which is always posted in full (naming the suppression), or more severe than the verdict
// the suppression was made on.
import type { Verdict, VerdictClass } from '../flows/verdict.js';
import type { Suppression, SuppressionStore } from './store.js';

/** What the answer depends on, of the alert's record (queue/state.ts's AlertState has these fields). */
export interface AnsweredAlert {
  verdict?: Pick<Verdict, 'verdict' | 'score'>;
  suppression?: Suppression;
  /** Any responder decision on the alert. */
  decision?: object;
}

/** Unknown is worse than a known suspicion: never benign on missing evidence (an M6 outranks an M5). */
const RANK: Record<VerdictClass, number> = { benign: 0, suspicious: 1, inconclusive: 2, malicious: 3 };

/** Whether `v` is no more severe than what the suppression was made on (a suppression of before: benign). */
export function noMoreSevere(v: Pick<Verdict, 'verdict' | 'score'>, made: Pick<Suppression, 'verdict' | 'score'>): boolean {
  if (!made.verdict) return v.verdict === 'benign';
  if (RANK[v.verdict] !== RANK[made.verdict]) return RANK[v.verdict] < RANK[made.verdict];
  // Same class: a higher score (M5b's 60 over M5's 45) is more severe; a score where none was is too.
  const was = made.score ?? null;
  if (v.score === null) return true;
  return was !== null && v.score <= was;
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
  if (!noMoreSevere(state.verdict, inForce)) return { quiet: false };
  // A re-run of an alert a responder already decided on (the very one dismissed with the suppression, say) keeps its report.
  if (state.decision) return { quiet: false };
  return { quiet: true, suppression: inForce };
}
