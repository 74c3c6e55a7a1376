import { recogniseAlert } from '../../src/alerts/parse.js';
import type { Alert } from '../../src/alerts/types.js';

/** A scenario's alert input, parsed as the edges parse it. */
export function toAlert(raw: unknown): Alert {
  const outcome = recogniseAlert(raw);
  if (outcome.kind !== 'alert') throw new Error(`scenario alert not recognised: ${outcome.reason}`);
  return outcome.alert;
}

/** For flows that must not touch AWS's ranges. */
export const noClassifier = async (): Promise<never> => {
  throw new Error('this flow needs no AWS ranges');
};
