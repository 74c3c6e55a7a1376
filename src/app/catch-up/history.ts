// Reading an alert channel's history back to a point, as Slack pages it: newest first, a cursor per page.
// Rate limits (429 + Retry-After) are waited out by the WebClient itself (slackClientOptions).
import type { WebClient } from '@slack/web-api';
import type { AlertMessage } from '../alert-message.js';

/** Slack's ts ("1761234567.000100") in time order: seconds, then the sequence within the second. */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = ''] = a.split('.');
  const [bs = '0', bf = ''] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

/** The ts of a moment (for a first start's look-back). */
export const tsOf = (epochMs: number) => `${Math.floor(epochMs / 1000)}.000000`;

const TS = /^\d{1,12}\.\d{1,9}$/;

export interface ScanOptions {
  /** Messages a page (Slack: at most 999; 15 for apps under its 2025 non-Marketplace limit). */
  pageSize: number;
  /** Pages at most in one scan. */
  maxPages: number;
  /** Candidates kept: the oldest this many (the run handles no more). */
  keep: number;
  /** Which messages are candidates (alert channel rules, poster, not ours). */
  isCandidate: (msg: AlertMessage) => boolean;
}

export interface Scan {
  /** The oldest `keep` candidate messages after `since`, oldest first. */
  candidates: AlertMessage[];
  /** More candidates were seen than kept. */
  candidatesLeft: boolean;
  /** Messages read. */
  scanned: number;
  /** The newest message read (the checkpoint when every candidate is handled). */
  newestTs?: string;
  /** Whether the scan reached `since` (false: the page cap stopped it first, older messages are unread). */
  complete: boolean;
}

/** A message of the history in our shape; anything without a channel-unique ts is skipped (never ours to answer). */
function asMessage(channel: string, m: Record<string, unknown>): AlertMessage | undefined {
  const ts = m['ts'];
  if (typeof ts !== 'string' || !TS.test(ts)) return undefined;
  const str = (k: string) => (typeof m[k] === 'string' ? (m[k] as string) : undefined);
  const profile = m['bot_profile'] as { app_id?: unknown } | undefined;
  const out: AlertMessage = { channel, ts };
  for (const k of ['thread_ts', 'subtype', 'text', 'user', 'bot_id', 'app_id'] as const) {
    const v = str(k);
    if (v !== undefined) out[k] = v;
  }
  if (typeof profile?.app_id === 'string') out.bot_profile = { app_id: profile.app_id };
  if (Array.isArray(m['files'])) out.files = m['files'] as AlertMessage['files'];
  return out;
}

/** Reads `channel` from its newest message back to `since` (exclusive). Slack errors (not_in_channel …) are thrown. */
export async function scanChannel(client: WebClient, channel: string, since: string, o: ScanOptions): Promise<Scan> {
  const kept: AlertMessage[] = [];
  let candidatesLeft = false;
  let scanned = 0;
  let newestTs: string | undefined;
  let cursor: string | undefined;
  for (let page = 0; page < o.maxPages; page++) {
    const res = await client.conversations.history({ channel, oldest: since, limit: o.pageSize, ...(cursor ? { cursor } : {}) });
    for (const raw of (res.messages ?? []) as Array<Record<string, unknown>>) {
      const msg = asMessage(channel, raw);
      if (!msg || compareTs(msg.ts, since) <= 0) continue;
      scanned++;
      if (!newestTs || compareTs(msg.ts, newestTs) > 0) newestTs = msg.ts;
      if (!o.isCandidate(msg)) continue;
      // Newest first: the oldest come last; keep the last `keep` seen.
      kept.push(msg);
      if (kept.length > o.keep) {
        kept.shift();
        candidatesLeft = true;
      }
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!res.has_more || !cursor) return { candidates: kept.sort((a, b) => compareTs(a.ts, b.ts)), candidatesLeft, scanned, ...(newestTs ? { newestTs } : {}), complete: true };
  }
  return { candidates: kept.sort((a, b) => compareTs(a.ts, b.ts)), candidatesLeft, scanned, ...(newestTs ? { newestTs } : {}), complete: false };
}
