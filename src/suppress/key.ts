// "Similar alerts": the same flow and the same entity, as a key computed from the alert and its verdict's facts.
// Pure. A key is a hash of its parts, so attacker-chosen text never reaches a Redis key name; the parts are
// kept for showing what a suppression covers (as values: they come from alerts and evidence).
import { createHash } from 'node:crypto';
import type { Alert } from '../alerts/types.js';
import { similarityOf } from '../flows/dispatch.js';
import type { StoredVerdict } from '../flows/stored-verdict.js';
import type { SimilarityKind } from '../flows/similarity.js';
import type { FlowName } from '../flows/verdict.js';

export { networkOf } from '../flows/similarity.js';
export type { SimilarityKind } from '../flows/similarity.js';

export interface SimilarityKey {
  /** 32 hex characters: the Redis key of the suppression. */
  id: string;
  flow: FlowName;
  kind: SimilarityKind;
  /** What makes alerts similar, each part a value from the alert or evidence (show them as values). */
  parts: string[];
}

/** Parts beyond these are left out of what is shown (never out of the key): e-mail alerts carry up to 50 URLs. */
const SHOWN_PARTS = 12;

function keyOf(flow: FlowName, kind: SimilarityKind, parts: string[]): SimilarityKey {
  const id = createHash('sha256').update(JSON.stringify([flow, kind, ...parts]), 'utf8').digest('hex').slice(0, 32);
  return { id, flow, kind, parts };
}

/** How a part reads to people: the same host in another case, width or with a trailing dot is the same part. */
const shownForm = (part: string): string => part.normalize('NFKC').trim().toLowerCase().replace(/\.+$/, '');

/**
 * Each part once, in order, first spelling kept: a sender domain that is also an indicator's domain is one part
 * to a reader ("payroll-update.test", not "payroll-update.test, payroll-update.test"). The key keeps them all.
 */
function distinctParts(parts: string[]): string[] {
  const seen = new Set<string>();
  return parts.filter((p) => {
    const form = shownForm(p);
    if (seen.has(form)) return false;
    seen.add(form);
    return true;
  });
}

/** "instance i-0abc", "user jane@example.com, network 203.0.113.0/24": our words and the parts, for a one-line description. */
export function describeKey(key: Pick<SimilarityKey, 'kind' | 'parts'>): string {
  const parts = distinctParts(key.parts);
  const shown = parts.slice(0, SHOWN_PARTS).join(', ');
  const more = parts.length > SHOWN_PARTS ? ` and ${parts.length - SHOWN_PARTS} more` : '';
  return `${key.kind}: ${shown}${more}`;
}

/**
 * The key of alerts similar to this one, or undefined when none can be named (each flow says what "similar"
 * is: src/flows/<flow>/similar.ts). Facts that did not read back from storage count as none.
 */
export function similarityKey(alert: Alert, verdict: StoredVerdict): SimilarityKey | undefined {
  const found = similarityOf(alert, verdict);
  return found ? keyOf(found.flow, found.similarity.kind, found.similarity.parts) : undefined;
}
