// The MFA push fatigue flow's facts (flows.md §4): every push, rejection and approval with its time and
// requesting IP, the span that counted, each requesting IP and whether it is known. The type is what decide()
// writes (trace.ts); the schema checks facts read back from storage.
import { z } from 'zod';
import { count, isoTime, oktaUser, window } from '../fact-types.js';

const ip = z.string().nullable();
/** true, false, or null (unknown). */
const known = z.boolean().nullable();
const event = { time: isoTime, ip, uuid: z.string() };

export const mfaFatigueFactsSchema = z.object({
  user: oktaUser,
  trigger: z.string(),
  source: z.enum(['elasticsearch', 'okta-api', 'none']),
  source_error: z.string().nullable(),
  window,
  min_rejections: count,
  counts: z.object({ pushes: count, rejections: count, approvals: count, reports: count, duplicates_ignored: count }),
  pushes: z.array(z.object({ ...event, known })),
  rejections: z.array(z.object({ ...event, kind: z.enum(['deny_push', 'push_failure']), also_logged_as: z.string().nullable() })),
  approvals: z.array(z.object({ ...event, known, fatigue: z.boolean(), rejections_in_10_min_before: count.nullable() })),
  reports: z.array(z.object(event)),
  span: z.object({ from: isoTime, to: isoTime, rejections: count, step: z.string() }).nullable(),
  actor_ids: z.array(z.string()),
  requesting_ips: z.array(z.object({ ip: z.string(), known, reason: z.string() })),
  log_incomplete: z.array(z.string()).nullable(),
  unknown_steps: z.array(z.string()),
  notes: z.array(z.string()),
});

export type MfaFatigueFacts = z.infer<typeof mfaFatigueFactsSchema>;
