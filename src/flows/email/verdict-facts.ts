// The malicious e-mail flow's facts (flows.md §3): the message, its indicators, and who interacted with them.
// The type is what decide() writes; the schema checks facts read back from storage.
import { z } from 'zod';
import { count, isoTime, window } from '../fact-types.js';

const interaction = {
  host: z.string().nullable(),
  users: z.array(z.string()),
  /** Other spellings of the same people (a proxy record's user.name beside its user.email). */
  other_names: z.array(z.string()).optional(),
  recipients: z.array(z.string()),
  first: isoTime,
  last: isoTime,
  count,
};

const proxyClick = z.object({ url: z.string(), source: z.literal('proxy'), ...interaction });
/** Proofpoint TAP clicks carry no host, but the addresses the clicks came from. */
const proofpointClick = z.object({ url: z.string(), source: z.literal('proofpoint_tap'), click_ips: z.array(z.string()), classifications: z.array(z.string()), ...interaction });
const click = z.discriminatedUnion('source', [proxyClick, proofpointClick]);
const indicatorHit = z.object({ indicator: z.string(), matched_by: z.enum(['command_line', 'process_name', 'hash', 'file_name']), examples: z.array(z.string()), ...interaction });
const sourceFlag = z.boolean().nullable();

export const emailFactsSchema = z.object({
  recipients: z.array(z.string()),
  sender: z.string().nullable(),
  subject: z.string().nullable(),
  delivered: isoTime,
  windows: z.object({ after: window, prior: window }),
  urls: z.array(z.object({ url: z.string(), domain: z.string().nullable() })),
  file_names: z.array(z.string()),
  hashes: z.array(z.string()),
  domain_prior_users: z.record(z.number()).nullable(),
  rare_domain_user_threshold: z.number(),
  clicks: z.array(click),
  blocked_clicks: z.array(click),
  domain_contacts: z.array(z.object({ domain: z.string(), names: z.array(z.string()), prior_users: count.nullable(), ...interaction })),
  executions: z.array(indicatorHit),
  files_on_disk: z.array(indicatorHit),
  data: z.object({ proxy: sourceFlag, proofpoint_tap: sourceFlag, edr_network: sourceFlag, edr_network_prior: sourceFlag, edr_process: sourceFlag, edr_file: sourceFlag }),
  incomplete: z.record(z.array(z.string())),
  /** Indicators the alert's source gave that could not be investigated (added by the plug-in). */
  skipped_indicators: z.array(z.object({ field: z.string(), value: z.string(), reason: z.string() })).optional(),
});

export type EmailFacts = z.infer<typeof emailFactsSchema>;
export type EmailInteractionFacts = EmailFacts['executions'][number] | EmailFacts['clicks'][number];
