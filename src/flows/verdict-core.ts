// What a flow's decide returns, before the registry knows every flow: the verdict of one flow, its path and
// score bands. Flow folders import this file, never verdict.ts (which reads the registry: that would be a cycle).

export type VerdictClass = 'malicious' | 'suspicious' | 'benign' | 'inconclusive';

/** Which kind of evidence a search read (each lives where the configuration says: an index pattern). */
export const EVIDENCE_KINDS = ['cloudtrail', 'okta', 'proxy', 'edrProcess', 'edrFile', 'edrNetwork', 'proofpoint', 'agentSightings'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/**
 * The search a step's answer rests on, in neutral terms (no query language, no tool): the kind of evidence, the
 * field values a document must carry (every field; any of a field's values) and the time window. The Slack side
 * turns it into a link to the evidence; values are kept as values, never pasted into a query string here.
 */
export interface StepQuery {
  evidence: EvidenceKind;
  match: Array<{ field: string; values: string[] }>;
  /** ISO times. */
  from: string;
  to: string;
}

export interface PathStep {
  /** Stable step id from flows.md (A1, O3, M2 …). */
  step: string;
  question: string;
  answer: string;
  /** What the answer rests on, in a sentence. */
  evidence: string;
  /** The search the answer rests on, when it rests on one. */
  query?: StepQuery;
}

/** The verdict of the flow `F`, whose facts are of type `Facts` (each flow exports its own: verdict-facts.ts). */
export interface FlowVerdict<F extends string, Facts> {
  alert_id: string;
  flow: F;
  verdict: VerdictClass;
  /** 0–100, the chance the alert is malicious; null when inconclusive. */
  score: number | null;
  summary: string;
  path: PathStep[];
  /** What the flow found, as it decided on it: stored with the verdict, shown in key facts and pictures. */
  facts: Facts;
}

export function classForScore(score: number): Exclude<VerdictClass, 'inconclusive'> {
  if (score >= 75) return 'malicious';
  if (score <= 30) return 'benign';
  return 'suspicious';
}
