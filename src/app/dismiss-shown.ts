// What a Dismiss dialog showed, carried in its private_metadata: the submit acts on that report and that similarity
// key, checked against the alert's record, or refuses (a dialog left open while the alert was re-run or re-posted).
import { z } from 'zod';
import { isAlertKey, type AlertState } from '../queue/state.js';
import type { SimilarityKey } from '../suppress/key.js';

export interface DismissShown {
  /** The alert record's key. */
  key: string;
  /** The run whose verdict the dialog was opened on. */
  run: number;
  /** The similarity key it offered to suppress, or null when it offered none. */
  similar: string | null;
}

// Slack hands private_metadata back as we set it, but it is data from outside: checked, never trusted for shape.
const shownSchema = z.object({ key: z.string().refine(isAlertKey), run: z.number().int().nonnegative(), similar: z.string().max(200).nullable() }).strict();

export function encodeShown(state: AlertState, key: string, similar: SimilarityKey | undefined): string {
  const shown: DismissShown = { key, run: state.verdictRun ?? state.runs, similar: similar?.id ?? null };
  return JSON.stringify(shown);
}

/** The dialog's record of what it showed; undefined for anything else (a dialog of an older version included). */
export function decodeShown(privateMetadata: string): DismissShown | undefined {
  try {
    const parsed = shownSchema.safeParse(JSON.parse(privateMetadata));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Why the submit may not act on the record as it now stands, or undefined when it shows what the dialog showed. */
export function changedSince(shown: DismissShown, state: AlertState, similarNow: SimilarityKey | undefined): string | undefined {
  if (!state.verdict || state.verdictRun !== shown.run) return 'the alert was re-run or posted again since';
  if ((similarNow?.id ?? null) !== shown.similar) return 'what counts as a similar alert changed since';
  return undefined;
}
