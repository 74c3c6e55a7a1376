// The impossible-travel flow's facts (flows.md §2): the two sessions compared, which one is in question, the
// travel between them. The type is what decide() writes; the schema checks facts read back from storage.
import { z } from 'zod';
import { count, isoTime, oktaUser } from '../fact-types.js';

// A value out of range (a latitude of 500) drops the location, never the verdict.
const geo = z
  .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), city: z.string().optional(), country: z.string().optional() })
  .nullable()
  .catch(null);

const session = z.object({
  ip: z.string(),
  known_company_ip: z.string().nullable(),
  sign_in: isoTime,
  session_id: z.string().nullable(),
  actor_id: z.string().nullable(),
  user_agent: z.string().nullable(),
  device_fingerprint: z.string().nullable(),
  geo,
  mfa_factors: z.array(z.string()),
  failures_before_success: count,
  is_proxy: z.boolean().nullable(),
  as_organization: z.string().nullable(),
  events: count,
  found_by: z.string(),
});

const nonNegative = z.number().nonnegative();

export const oktaFactsSchema = z.object({
  user: oktaUser,
  source: z.enum(['elasticsearch', 'okta-api', 'none']),
  source_error: z.string().nullable(),
  session_a: session.nullable(),
  session_b: session.nullable(),
  enrolled_factors: z.array(z.string()).nullable(),
  log_incomplete: z.array(z.string()).nullable(),
  notes: z.array(z.string()),
  /** Which session O2 took as the one in question; null when no step got that far. */
  mystery: z.enum(['A', 'B']).nullable(),
  /** Set by O9 only: absent when an earlier step decided. */
  travel: z.object({ distance_km: nonNegative.nullable(), minutes_between: nonNegative, speed_kmh: nonNegative.nullable() }).optional(),
  score_before_clamp: z.number().optional(),
});

export type OktaFacts = z.infer<typeof oktaFactsSchema>;
export type OktaSessionFacts = NonNullable<OktaFacts['session_a']>;
