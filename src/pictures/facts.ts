// The verdict's facts as the pictures read them. Facts come back from Redis as JSON, shaped by the flows'
// decide() (src/flows/*/decide.ts): they are checked here, at the edge, and typed exactly from then on.
// A value out of range (a latitude of 500) drops that value, never the picture.
import { z } from 'zod';

/** An ISO time as the flows write it; anything else is refused. */
const time = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a time')
  .transform((s) => new Date(s));

const str = z.string();
const count = z.number().int().nonnegative();

export const ADDRESS_CLASSES = ['aws', 'trusted', 'non-aws', 'internal', 'aws-internal'] as const;
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

const awsFacts = z.object({
  access_key_id: str,
  instance_id: str.nullable(),
  account_id: str.nullable(),
  home_region: str.nullable(),
  window: z.object({ from: time, to: time }),
  events: count,
  events_without_address: count,
  ips: z.array(
    z.object({
      address: str,
      class: z.enum(ADDRESS_CLASSES),
      region: str.nullable(),
      range: str.nullable(),
      first_seen: time,
      last_seen: time,
      events: count,
    }),
  ),
  ip_changes: z.array(
    z.object({
      from: str,
      to: str,
      explained_by: z.object({ action: str, time, case: z.enum(['a', 'b', 'c']), why: str }).nullable(),
    }),
  ),
  ip_changing_calls: count,
  incomplete: z.array(str),
});
export type AwsFacts = z.infer<typeof awsFacts>;

const geo = z
  .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), city: str.optional(), country: str.optional() })
  .nullable()
  .catch(null);

const session = z
  .object({
    ip: str,
    known_company_ip: str.nullable(),
    sign_in: time,
    geo,
    is_proxy: z.boolean().nullable(),
    as_organization: str.nullable(),
  })
  .nullable();
export type OktaSessionFacts = NonNullable<z.infer<typeof session>>;

const oktaFacts = z.object({
  user: z.object({ id: str.optional(), login: str.optional() }),
  source_error: str.nullable(),
  session_a: session,
  session_b: session,
  // Set by O9 only: absent when O0 or O1 decided.
  travel: z
    .object({ distance_km: z.number().nonnegative().nullable(), minutes_between: z.number().nonnegative(), speed_kmh: z.number().nonnegative().nullable() })
    .optional(),
});
export type OktaFacts = z.infer<typeof oktaFacts>;

const interaction = {
  host: str.nullable(),
  users: z.array(str),
  recipients: z.array(str),
  first: time,
  last: time,
  count,
};

const emailFacts = z.object({
  recipients: z.array(str),
  sender: str.nullable(),
  subject: str.nullable(),
  delivered: time,
  windows: z.object({ after: z.object({ from: time, to: time }) }),
  rare_domain_user_threshold: z.number(),
  clicks: z.array(z.object({ url: str, ...interaction })),
  domain_contacts: z.array(z.object({ domain: str, names: z.array(str), prior_users: count.nullable(), ...interaction })),
  executions: z.array(z.object({ indicator: str, matched_by: str, ...interaction })),
  files_on_disk: z.array(z.object({ indicator: str, matched_by: str, ...interaction })),
  data: z.record(z.boolean().nullable()),
  incomplete: z.record(z.array(str)),
});
export type EmailFacts = z.infer<typeof emailFacts>;

export class FactsShapeError extends Error {
  constructor(flow: string, issue: z.ZodIssue | undefined) {
    // The path and the kind of problem only: never the (attacker-shaped) value.
    super(`the ${flow} facts are not in the expected shape${issue ? ` (${issue.path.join('.') || '(root)'}: ${issue.code})` : ''}`);
    this.name = 'FactsShapeError';
  }
}

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, flow: string, facts: unknown): T {
  const out = schema.safeParse(facts);
  if (!out.success) throw new FactsShapeError(flow, out.error.issues[0]);
  return out.data;
}

export const parseAwsFacts = (facts: unknown): AwsFacts => parse(awsFacts, 'AWS', facts);
export const parseOktaFacts = (facts: unknown): OktaFacts => parse(oktaFacts, 'Okta', facts);
export const parseEmailFacts = (facts: unknown): EmailFacts => parse(emailFacts, 'e-mail', facts);
