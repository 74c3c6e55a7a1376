// A verdict read back from storage (the alert record in Redis, a delivery job): the one place its facts are
// checked, with its flow's schema. Facts not in the shape (written by an older or newer release, or altered)
// are dropped, never guessed at: the verdict is still shown, without key facts, picture or a containment
// target (similar alerts are keyed on the alert's own values), and why is said.
import { z } from 'zod';
import { factsProblem } from './fact-types.js';
import { flowTitle } from './flow-names.js';
import { pluginOf, type FlowName, type VerdictOf } from './registry.js';
import { EVIDENCE_KINDS, type FlowVerdict } from './verdict-core.js';
import { FLOWS } from './verdict.js';

const fieldMatch = z.object({ field: z.string(), values: z.array(z.string()) });

const envelope = z.object({
  alert_id: z.string(),
  flow: z.enum(FLOWS),
  verdict: z.enum(['malicious', 'suspicious', 'benign', 'inconclusive']),
  score: z.number().min(0).max(100).nullable(),
  summary: z.string(),
  path: z.array(
    z.object({
      step: z.string(),
      question: z.string(),
      answer: z.string(),
      evidence: z.string(),
      query: z.object({ evidence: z.enum(EVIDENCE_KINDS), match: z.array(z.union([fieldMatch, z.object({ any: z.array(fieldMatch) })])), from: z.string(), to: z.string() }).optional().catch(undefined), // a malformed link is dropped, never the verdict
    }),
  ),
  facts: z.unknown(),
});
type Envelope = z.infer<typeof envelope>;

/** A stored verdict whose facts are not in its flow's shape: shown without them. */
export type FactlessVerdict = FlowVerdict<FlowName, null> & {
  /** Why the facts were dropped: the path of the first mismatch, never the value. */
  facts_problem: string;
};

/** A verdict as read back from storage. `facts === null` tells the factless one apart. */
export type StoredVerdict = VerdictOf | FactlessVerdict;

/** The stored verdict checked, or undefined when even its envelope (flow, class, score, path) is not a verdict's. */
export function readStoredVerdict(value: unknown): StoredVerdict | undefined {
  const checked = envelope.safeParse(value);
  return checked.success ? withCheckedFacts(checked.data.flow, checked.data) : undefined;
}

function withCheckedFacts<K extends FlowName>(flow: K, stored: Envelope): VerdictOf<K> | FactlessVerdict {
  const { facts, ...rest } = stored;
  const checked = pluginOf(flow).factsSchema.safeParse(facts);
  if (checked.success) return { ...rest, flow, facts: checked.data };
  return { ...rest, flow, facts: null, facts_problem: factsProblem(flowTitle(flow), checked.error.issues[0]) };
}
