// The AWS flow's facts (flows.md §1): what decide() found, stored with the verdict. The type is what decide()
// writes; the schema checks facts read back from storage (the only place zod is used on them).
import { z } from 'zod';
import { count, isoTime, window } from '../fact-types.js';

export const ADDRESS_CLASSES = ['aws', 'trusted', 'non-aws', 'internal', 'aws-internal'] as const;
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

const address = z.object({
  address: z.string(),
  class: z.enum(ADDRESS_CLASSES),
  region: z.string().nullable(),
  range: z.string().nullable(),
  first_seen: isoTime,
  last_seen: isoTime,
  events: count,
  user_agents: z.array(z.string()),
  /** The API calls made from the address (the first 20 distinct names). */
  event_names: z.array(z.string()),
  /** The same calls with how many events made each, most first (absent in verdicts stored before it was kept). */
  calls: z.array(z.object({ name: z.string(), events: count })).optional(),
});

export const awsFactsSchema = z.object({
  access_key_id: z.string(),
  instance_id: z.string().nullable(),
  instance_id_from: z.string().nullable(),
  role_arn: z.string().nullable(),
  session_issuer_arns: z.array(z.string()),
  account_id: z.string().nullable(),
  home_region: z.string().nullable(),
  instance_public_ips: z.array(z.string()),
  window,
  events: count,
  events_without_address: count,
  ips: z.array(address),
  user_agents: z.array(z.string()),
  os_families: z.array(z.string()),
  ip_changes: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      explained_by: z.object({ action: z.string(), time: isoTime, case: z.enum(['a', 'b', 'c']), why: z.string() }).nullable(),
    }),
  ),
  ip_changing_calls: count,
  incomplete: z.array(z.string()),
});

export type AwsFacts = z.infer<typeof awsFactsSchema>;
export type AwsAddressFacts = AwsFacts['ips'][number];
