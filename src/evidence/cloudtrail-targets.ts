// What an IP-changing call names: instance ids and IPs, read from its request and response.
// Shared by both evidence implementations so they cannot read a call differently.
import { firstString, timestamp, values } from './documents.js';
import type { IpChangingCall } from './ports.js';
import { isIp } from '../enrich/ip.js';

// Real ids are i- and 8 or 17 hex digits; any i-<alphanumerics> token is taken, so test and lab ids work too.
const INSTANCE_ID = /(?<![A-Za-z0-9-])i-[0-9A-Za-z]{1,64}(?![A-Za-z0-9-])/g;
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
const IPV6 = /\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\b/gi;

export function callTargets(parts: unknown[]): { instanceIds: string[]; ips: string[] } {
  const text = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p ?? ''))).join(' ');
  const instanceIds = [...new Set(text.match(INSTANCE_ID) ?? [])];
  const ips = [...new Set([...(text.match(IPV4) ?? []), ...(text.match(IPV6) ?? [])].filter(isIp))];
  return { instanceIds, ips };
}

/**
 * The instance id an instance-profile session names: the role session name, after the ":" of the
 * principal id (AROA…:i-0abc…) or the last "/" of the assumed-role ARN (…:assumed-role/role/i-0abc…).
 */
export function instanceIdOfPrincipal(principal: string): string | undefined {
  const m = /[:/](i-[0-9A-Za-z]{1,64})$/.exec(principal);
  return m?.[1];
}

/** The fields that name a CloudTrail event's principal, most specific first. */
export const PRINCIPAL_FIELDS = ['user.id', 'aws.cloudtrail.user_identity.arn'] as const;

/** One IP-changing call read from its (dot-expanded) document; undefined when it has no usable time. */
export function ipChangingCallFromDocument(doc: unknown): IpChangingCall | undefined {
  const time = timestamp(doc);
  const action = firstString(doc, 'event.action');
  if (!time || !action) return undefined;
  const targets = callTargets([
    ...values(doc, 'aws.cloudtrail.request_parameters'),
    ...values(doc, 'aws.cloudtrail.response_elements'),
    ...values(doc, 'aws.cloudtrail.flattened'),
  ]);
  const accountId = firstString(doc, 'cloud.account.id');
  return { time, action, ...(accountId ? { accountId } : {}), ...targets };
}
