// "Similar alerts": the same flow and the same entity, as a key computed from the alert and its verdict's facts.
// Pure. A key is a hash of its parts, so attacker-chosen text never reaches a Redis key name; the parts are
// kept for showing what a suppression covers (as values: they come from alerts and evidence).
import { createHash } from 'node:crypto';
import type { Alert } from '../alerts/types.js';
import { parseIp } from '../enrich/ip.js';
import { senderScope, urlScope } from './indicator-scope.js';
import type { FlowName, Verdict } from '../flows/verdict.js';

export type SimilarityKind =
  | 'instance'
  | 'role'
  | 'access key'
  | 'user and AS organisation'
  | 'user and network'
  | 'user'
  | 'sender domain and indicator domains'
  | 'sender domain and attachment hashes'
  | 'sender domain and attachment names'
  | 'sender address and indicator domains'
  | 'sender address and attachment hashes'
  | 'sender address and attachment names';

export interface SimilarityKey {
  /** 32 hex characters: the Redis key of the suppression. */
  id: string;
  flow: FlowName;
  kind: SimilarityKind;
  /** What makes alerts similar, each part a value from the alert or evidence (show them as values). */
  parts: string[];
}

/** Parts beyond these are left out of what is shown (never out of the key): e-mail alerts carry up to 50 URLs. */
const SHOWN_PARTS = 12;

function keyOf(flow: FlowName, kind: SimilarityKind, parts: string[]): SimilarityKey {
  const id = createHash('sha256').update(JSON.stringify([flow, kind, ...parts]), 'utf8').digest('hex').slice(0, 32);
  return { id, flow, kind, parts };
}

/** "instance i-0abc", "user jane@example.com, network 203.0.113.0/24": our words and the parts, for a one-line description. */
export function describeKey(key: Pick<SimilarityKey, 'kind' | 'parts'>): string {
  const shown = key.parts.slice(0, SHOWN_PARTS).join(', ');
  const more = key.parts.length > SHOWN_PARTS ? ` and ${key.parts.length - SHOWN_PARTS} more` : '';
  return `${key.kind}: ${shown}${more}`;
}

/** A fact's own value (never an inherited one). */
function fact(facts: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(facts, name) ? facts[name] : undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const sortedSet = (values: string[]) => [...new Set(values)].sort();

/** The network an address belongs to: its /24 (IPv4) or /48 (IPv6), in CIDR notation. */
export function networkOf(ip: string): string | undefined {
  const parsed = parseIp(ip);
  if (!parsed) return undefined;
  if (parsed.family === 4) {
    const w = parsed.words[0]! >>> 8;
    return `${w >>> 16}.${(w >>> 8) & 255}.${w & 255}.0/24`;
  }
  const groups = [parsed.words[0]! >>> 16, parsed.words[0]! & 0xffff, parsed.words[1]! >>> 16];
  return `${groups.map((g) => g.toString(16)).join(':')}::/48`;
}

function awsKey(alert: Extract<Alert, { type: 'aws.instance_credential_exfiltration' }>, facts: Record<string, unknown>): SimilarityKey {
  const flow = 'aws_instance_credentials';
  const instance = text(fact(facts, 'instance_id')) ?? alert.instanceId;
  if (instance) return keyOf(flow, 'instance', [instance]);
  const role = text(fact(facts, 'role_arn'));
  if (role) return keyOf(flow, 'role', [role]);
  return keyOf(flow, 'access key', [alert.accessKeyId]);
}

function oktaKey(alert: Extract<Alert, { type: 'okta.superhuman' }>, facts: Record<string, unknown>): SimilarityKey | undefined {
  const flow = 'okta_impossible_travel';
  const which = fact(facts, 'mystery');
  if (which !== 'A' && which !== 'B') return undefined; // no mystery session: nothing to be similar to
  const session = fact(facts, which === 'A' ? 'session_a' : 'session_b');
  if (!session || typeof session !== 'object') return undefined;
  const s = session as Record<string, unknown>;
  const user = fact(facts, 'user');
  const u = user && typeof user === 'object' ? (user as Record<string, unknown>) : {};
  // The Okta user id is stable; a login only when the id is unknown (lower case: Okta logins are case-insensitive).
  const who = text(fact(u, 'id')) ?? text(fact(u, 'login'))?.toLowerCase() ?? alert.userId ?? alert.userLogin?.toLowerCase();
  if (!who) return undefined;
  // Never the AS organisation: one covers every customer of an ISP or a cloud (issue 23, finding 3).
  const ip = text(fact(s, 'ip'));
  const network = ip ? networkOf(ip) : undefined;
  return network ? keyOf(flow, 'user and network', [who, network]) : undefined;
}

/**
 * MFA push fatigue: the user alone (Okta id, else the login lower-cased: Okta logins are case-insensitive).
 * Never the requesting IP's AS organisation: the attacker chooses where the pushes come from.
 */
function mfaKey(alert: Extract<Alert, { type: 'okta.mfa_fatigue' }>, facts: Record<string, unknown>): SimilarityKey | undefined {
  const user = fact(facts, 'user');
  const u = user && typeof user === 'object' ? (user as Record<string, unknown>) : {};
  const who = text(fact(u, 'id')) ?? text(fact(u, 'login'))?.toLowerCase() ?? alert.userId ?? alert.userLogin?.toLowerCase();
  return who ? keyOf('okta_mfa_fatigue', 'user', [who]) : undefined;
}

function emailKey(alert: Extract<Alert, { type: 'email.malicious' }>, facts: Record<string, unknown>): SimilarityKey | undefined {
  const flow = 'malicious_email';
  const sender = text(fact(facts, 'sender')) ?? alert.sender;
  // A free-mail sender is its full address; anyone else is their registrable domain (indicator-scope.ts).
  const scope = sender ? senderScope(sender) : undefined;
  if (!scope) return undefined; // without the sender, "similar" would be far too wide
  const who = scope.kind === 'address' ? 'sender address' : 'sender domain';
  if (alert.urls.length > 0) {
    const scopes = sortedSet(alert.urls.flatMap((u) => urlScope(u) ?? []));
    return scopes.length ? keyOf(flow, `${who} and indicator domains`, [scope.value, ...scopes]) : undefined;
  }
  if (alert.hashes.length > 0) return keyOf(flow, `${who} and attachment hashes`, [scope.value, ...sortedSet(alert.hashes.map((h) => h.toLowerCase()))]);
  if (alert.fileNames.length > 0) return keyOf(flow, `${who} and attachment names`, [scope.value, ...sortedSet(alert.fileNames.map((n) => n.toLowerCase()))]);
  return undefined;
}

/**
 * The key of alerts similar to this one, or undefined when none can be named (an Okta alert without a mystery
 * session, an e-mail without a sender domain or indicator). Facts are read, never trusted to be well-formed.
 */
export function similarityKey(alert: Alert, verdict: Pick<Verdict, 'facts'>): SimilarityKey | undefined {
  const facts = verdict.facts && typeof verdict.facts === 'object' ? verdict.facts : {};
  switch (alert.type) {
    case 'aws.instance_credential_exfiltration':
      return awsKey(alert, facts);
    case 'okta.superhuman':
      return oktaKey(alert, facts);
    case 'email.malicious':
      return emailKey(alert, facts);
    case 'okta.mfa_fatigue':
      return mfaKey(alert, facts);
  }
}
