// Attaching to a verdict's steps the search their answers rest on (verdict-core.ts, StepQuery): pure, after decide.
import type { OktaUserRef } from '../evidence/ports.js';
import type { TimeWindow } from '../evidence/ports.js';
import type { EvidenceKind, FlowVerdict, StepQuery } from './verdict-core.js';

/** A neutral search of one kind of evidence in a window. */
export function stepQuery(evidence: EvidenceKind, match: StepQuery['match'], window: TimeWindow): StepQuery {
  return { evidence, match: match.filter((m) => m.values.length > 0), from: window.from.toISOString(), to: window.to.toISOString() };
}

/** The verdict with `query` on every step `rests` says rests on it (a new verdict: the input is not changed). */
export function withStepQuery<F extends string, Facts>(verdict: FlowVerdict<F, Facts>, query: StepQuery, rests: (step: string) => boolean = () => true): FlowVerdict<F, Facts> {
  return { ...verdict, path: verdict.path.map((p) => (rests(p.step) ? { ...p, query } : p)) };
}

/** The Okta user as the System Log's ECS documents name them: the Okta id when known, else the login. */
export function oktaActorMatch(user: OktaUserRef): StepQuery['match'] {
  if (user.id) return [{ field: 'okta.actor.id', values: [user.id] }];
  return user.login ? [{ field: 'okta.actor.alternate_id', values: [user.login] }] : [];
}
