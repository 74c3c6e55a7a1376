// The zod pieces every flow's facts schema is built from. Facts are checked with zod only where they come back
// from storage (the alert record in Redis, a delivery job): between our own modules they are typed exactly.
import { z } from 'zod';

/** An ISO time as the flows write it (Date.toISOString()); anything else is refused. It stays a string. */
export const isoTime = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a time');

export const count = z.number().int().nonnegative();
export const window = z.object({ from: isoTime, to: isoTime });

/** An Okta user as the flows name it: its id, its login, or both. */
export const oktaUser = z.object({ id: z.string().optional(), login: z.string().optional() });

/** Facts read back from storage that are not in their flow's shape: the path and the kind of problem, never the value. */
export function factsProblem(flow: string, issue: z.ZodIssue | undefined): string {
  return `the ${flow} facts are not in the expected shape${issue ? ` (${issue.path.join('.') || '(root)'}: ${issue.code})` : ''}`;
}

/** Thrown when something needs a verdict's facts and they did not read back (its message is factsProblem's). */
export class FactsShapeError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'FactsShapeError';
  }
}
