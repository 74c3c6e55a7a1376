// What an IP-changing call targets and names, read from its request and response. Shared by both
// evidence implementations so they cannot read a call differently.
import { isObject } from '../alerts/json.js';
import { isIp, sameIp } from '../enrich/ip.js';
import { firstString, timestamp, values } from './documents.js';
import type { CallQuery, IpChangingCall } from './ports.js';

// Real ids are i- and 8 or 17 hex digits; any i-<alphanumerics> token is taken, so test and lab ids work too.
const INSTANCE_ID = /^i-[0-9A-Za-z]{1,64}$/;
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
const IPV6 = /\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\b/gi;
const MAX_DEPTH = 32;

/**
 * Elastic's CloudTrail pipeline writes request_parameters / response_elements as Java's Map.toString()
 * ("{instancesSet={items=[{instanceId=i-0abc}]}, force=false}"); other pipelines write JSON. Either is
 * read back into an object; undefined when the text is neither.
 */
export function parseParameters(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    // not JSON: try the map rendering
  }
  let i = 0;
  const fail = (): never => {
    throw new Error('unreadable');
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail();
    if (t[i] === '{') return map(depth + 1);
    if (t[i] === '[') return list(depth + 1);
    const start = i;
    while (i < t.length && t[i] !== ',' && t[i] !== '}' && t[i] !== ']') i++;
    return t.slice(start, i).trim();
  };
  const separator = (close: string): boolean => {
    if (t[i] === ',') {
      i++;
      while (t[i] === ' ') i++;
      return true;
    }
    if (t[i] === close) {
      i++;
      return false;
    }
    return fail();
  };
  const map = (depth: number): Record<string, unknown> => {
    i++; // "{"
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    if (t[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      const eq = t.indexOf('=', i);
      if (eq < 0) fail();
      const key = t.slice(i, eq).trim();
      i = eq + 1;
      out[key] = value(depth);
      if (!separator('}')) return out;
    }
  };
  const list = (depth: number): unknown[] => {
    i++; // "["
    const out: unknown[] = [];
    if (t[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(value(depth));
      if (!separator(']')) return out;
    }
  };
  try {
    if (t[0] !== '{' && t[0] !== '[') return undefined;
    const parsed = value(0);
    return i === t.length ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/**
 * The instance fields of a request or response (flows.md A6, v3): `instanceId`, `instancesSet.items[].instanceId`,
 * and a network interface's `attachment.instanceId` at any depth. Ids in tags or free text are not targets.
 */
export function instanceFieldIds(obj: unknown): string[] {
  const out: string[] = [];
  const take = (v: unknown) => {
    for (const x of asList(v)) if (typeof x === 'string' && INSTANCE_ID.test(x)) out.push(x);
  };
  if (isObject(obj)) {
    take(obj['instanceId']);
    for (const set of asList(obj['instancesSet'])) {
      if (isObject(set)) for (const item of asList(set['items'])) if (isObject(item)) take(item['instanceId']);
    }
  }
  const walk = (v: unknown, depth: number) => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'attachment') for (const a of asList(x)) if (isObject(a)) take(a['instanceId']);
        walk(x, depth + 1);
      }
    }
  };
  walk(obj, 0);
  return out;
}

/** Every IP address among the leaf values of an object. */
function leafIps(obj: unknown, depth = 0): string[] {
  if (depth > MAX_DEPTH) return [];
  if (typeof obj === 'string') return isIp(obj) ? [obj] : [];
  if (Array.isArray(obj)) return obj.flatMap((x) => leafIps(x, depth + 1));
  if (isObject(obj)) return Object.values(obj).flatMap((x) => leafIps(x, depth + 1));
  return [];
}

function ipsInText(text: string): string[] {
  return [...(text.match(IPV4) ?? []), ...(text.match(IPV6) ?? [])].filter(isIp);
}

/** A part of the call (request or response): the flattened object when present, else its string form. */
function readPart(doc: unknown, name: 'request_parameters' | 'response_elements'): { obj?: unknown; text?: string; unreadable: boolean } {
  const flat = values(doc, `aws.cloudtrail.flattened.${name}`)[0];
  if (flat !== undefined) return { obj: flat, unreadable: false };
  const text = firstString(doc, `aws.cloudtrail.${name}`);
  if (text === undefined) return { unreadable: false };
  const obj = parseParameters(text);
  return obj === undefined ? { text, unreadable: true } : { obj, unreadable: false };
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
  const parts = [readPart(doc, 'request_parameters'), readPart(doc, 'response_elements')];
  const instanceIds = [...new Set(parts.flatMap((p) => (p.obj === undefined ? [] : instanceFieldIds(p.obj))))];
  const ips = [...new Set(parts.flatMap((p) => [...(p.obj === undefined ? [] : leafIps(p.obj)), ...(p.text === undefined ? [] : ipsInText(p.text))]))];
  const accountId = firstString(doc, 'cloud.account.id');
  const unreadable = parts.some((p) => p.unreadable);
  return { time, action, ...(accountId ? { accountId } : {}), instanceIds, ips, ...(unreadable ? { unreadable } : {}) };
}

/** Does the call answer the query: the account's, in one of the windows, targeting one of the instances or naming one of the IPs (or unreadable)? */
export function callAnswers(call: IpChangingCall, q: CallQuery): boolean {
  if (call.accountId !== q.accountId) return false;
  const t = call.time.getTime();
  if (!q.windows.some((w) => t >= w.from.getTime() && t <= w.to.getTime())) return false;
  return call.unreadable === true || call.instanceIds.some((id) => q.instanceIds.includes(id)) || call.ips.some((ip) => q.ips.some((x) => sameIp(x, ip)));
}
