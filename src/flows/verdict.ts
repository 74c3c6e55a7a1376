// The verdict every flow returns, its score bands and the priority order of the alert line.

export const FLOWS = ['aws_instance_credentials', 'okta_impossible_travel', 'malicious_email', 'okta_mfa_fatigue'] as const;
export type FlowName = (typeof FLOWS)[number];
export type VerdictClass = 'malicious' | 'suspicious' | 'benign' | 'inconclusive';

export interface PathStep {
  /** Stable step id from flows.md (A1, O3, M2 …). */
  step: string;
  question: string;
  answer: string;
  /** What the answer rests on, in a sentence. */
  evidence: string;
}

export interface Verdict {
  alert_id: string;
  flow: FlowName;
  verdict: VerdictClass;
  /** 0–100, the chance the alert is malicious; null when inconclusive. */
  score: number | null;
  summary: string;
  path: PathStep[];
  facts: Record<string, unknown>;
}

export function classForScore(score: number): Exclude<VerdictClass, 'inconclusive'> {
  if (score >= 75) return 'malicious';
  if (score <= 30) return 'benign';
  return 'suspicious';
}

const ORDER: Record<VerdictClass, number> = { malicious: 0, inconclusive: 1, suspicious: 2, benign: 3 };

/** The "cleaner alert line": verdict, then score descending, then alert time ascending. */
export function comparePriority(a: { verdict: Verdict; time: Date }, b: { verdict: Verdict; time: Date }): number {
  return (
    ORDER[a.verdict.verdict] - ORDER[b.verdict.verdict] ||
    (b.verdict.score ?? -1) - (a.verdict.score ?? -1) ||
    a.time.getTime() - b.time.getTime()
  );
}
