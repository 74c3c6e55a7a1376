// The canonical alert as the alert record and the investigation jobs keep it (issue 17, "parse once"): the intake
// parses a body once and stores the typed alert beside it, tagged with the parser's version. Readers take the
// stored alert, checked with zod (it comes back from Redis); the raw body is parsed again only when the stored
// version is older than the parser, or the stored alert fails the check (readStoredAlert in src/flows/recognise.ts,
// where the flows' recognisers are known) — there, and nowhere else.
import { z } from 'zod';
import type { Alert } from './types.js';

/** Raise whenever parsing would read a body differently (a new field, a new shape, a stricter rule). */
export const PARSER_VERSION = 1;

/** What is kept: the alert without `raw` (the body is stored beside it), times as ISO text. */
export interface StoredAlert {
  alert: string;
  parser: number;
}

const isoTime = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not a time' });
    return d;
  });
const text = (max: number) => z.string().max(max);
const base = {
  id: text(256),
  time: isoTime,
  title: text(300).optional(),
  severity: text(40).optional(),
  source: text(100).optional(),
};
const tokens = (max: number) => z.array(text(4096)).max(max);

const storedSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('aws.instance_credential_exfiltration'),
    accessKeyId: text(128),
    instanceId: text(128).optional(),
    accountId: text(32).optional(),
    region: text(32).optional(),
    instancePublicIps: tokens(1000),
    windowStart: isoTime.optional(),
  }).strict(),
  z.object({
    ...base,
    type: z.literal('okta.superhuman'),
    userId: text(256).optional(),
    userLogin: text(256).optional(),
    ip: text(64),
    previousIp: text(64).optional(),
    sessionId: text(256).optional(),
  }).strict(),
  z.object({
    ...base,
    type: z.literal('email.malicious'),
    recipients: tokens(1000),
    sender: text(512).optional(),
    subject: text(500).optional(),
    urls: tokens(1000),
    fileNames: tokens(1000),
    hashes: tokens(1000),
    skippedIndicators: z.array(z.object({ field: text(200), value: text(4096), reason: text(500) }).strict()).max(1000).optional(),
  }).strict(),
]);

/** The alert as stored beside its body. */
export function storeAlert(alert: Alert): StoredAlert {
  const { raw: _raw, ...typed } = alert;
  return { alert: JSON.stringify(typed), parser: PARSER_VERSION };
}

/** The stored alert, when it is of this parser's version and passes the check; else undefined (parse `raw` again). */
export function storedAlertOf(stored: Partial<StoredAlert>, raw: string): Alert | undefined {
  if (stored.parser !== PARSER_VERSION || stored.alert === undefined) return undefined;
  try {
    const parsed = storedSchema.safeParse(JSON.parse(stored.alert));
    // `raw` stays the body as text: nothing downstream reads into it, and parsing it back is what this avoids.
    return parsed.success ? ({ ...parsed.data, raw } as Alert) : undefined;
  } catch {
    return undefined;
  }
}
