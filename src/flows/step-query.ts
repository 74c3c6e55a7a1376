// Attaching to a verdict's steps the search their answers rest on (verdict-core.ts, StepQuery): pure, after decide.
import type { OktaUserRef } from '../evidence/ports.js';
import type { TimeWindow } from '../evidence/ports.js';
import type { EvidenceKind, FieldMatch, FlowVerdict, StepMatch, StepQuery } from './verdict-core.js';

/** A neutral search of one kind of evidence in a window. */
export function stepQuery(evidence: EvidenceKind, match: StepQuery['match'], window: TimeWindow): StepQuery {
  return { evidence, match: match.flatMap(withValues), from: window.from.toISOString(), to: window.to.toISOString() };
}

/** A condition without values matches nothing worth a link: it is left out (an `any` keeps its fields with values). */
function withValues(m: StepMatch): StepMatch[] {
  if (!('any' in m)) return m.values.length > 0 ? [m] : [];
  const any = m.any.filter((f) => f.values.length > 0);
  return any.length === 0 ? [] : any.length === 1 ? [any[0]!] : [{ any }];
}

/** One condition: any of these fields carries any of the values. */
export const anyField = (fields: readonly string[], values: string[]): StepMatch => ({ any: fields.map((field): FieldMatch => ({ field, values })) });

/** The verdict with `query` on every step `rests` says rests on it (a new verdict: the input is not changed). */
export function withStepQuery<F extends string, Facts>(verdict: FlowVerdict<F, Facts>, query: StepQuery, rests: (step: string) => boolean = () => true): FlowVerdict<F, Facts> {
  return { ...verdict, path: verdict.path.map((p) => (rests(p.step) ? { ...p, query } : p)) };
}

/** The Okta user as the System Log's ECS documents name them: the Okta id when known, else the login. */
export function oktaActorMatch(user: OktaUserRef): StepQuery['match'] {
  if (user.id) return [{ field: 'okta.actor.id', values: [user.id] }];
  return user.login ? [{ field: 'okta.actor.alternate_id', values: [user.login] }] : [];
}
