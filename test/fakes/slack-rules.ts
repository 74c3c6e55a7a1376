// What real Slack refuses, for the fake Web API: Block Kit limits and per-method rate limits.

type Node = Record<string, unknown>;

/** Slack's documented Block Kit limits (messages; views allow 100 blocks). */
export const BLOCK_LIMITS = { blocks: 50, viewBlocks: 100, sectionText: 3000, headerText: 150, buttonText: 75, buttonValue: 2000, contextElements: 10, totalChars: 12_000 } as const;

export type BlockProblem = 'invalid_blocks' | 'msg_blocks_too_long';

const textOf = (n: unknown): string | undefined => (n && typeof n === 'object' && typeof (n as Node)['text'] === 'string' ? ((n as Node)['text'] as string) : undefined);

/** The first reason Slack would refuse these blocks, or undefined. */
export function blockProblem(blocks: unknown, kind: 'message' | 'view' = 'message'): BlockProblem | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return 'invalid_blocks';
  if (kind === 'message' && JSON.stringify(blocks).length > BLOCK_LIMITS.totalChars) return 'msg_blocks_too_long';
  if (blocks.length > (kind === 'view' ? BLOCK_LIMITS.viewBlocks : BLOCK_LIMITS.blocks)) return 'invalid_blocks';
  let bad = false;
  const visit = (n: unknown, parentType?: string): void => {
    if (bad || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach((c) => visit(c, parentType));
    const node = n as Node;
    const type = node['type'];
    // Text objects and rich-text text elements may not be empty.
    if ((type === 'plain_text' || type === 'mrkdwn' || type === 'text') && (typeof node['text'] !== 'string' || node['text'] === '')) bad = true;
    if (type === 'section' && (textOf(node['text'])?.length ?? 0) > BLOCK_LIMITS.sectionText) bad = true;
    if (type === 'header' && (textOf(node['text'])?.length ?? 0) > BLOCK_LIMITS.headerText) bad = true;
    if (type === 'context' && (!Array.isArray(node['elements']) || node['elements'].length > BLOCK_LIMITS.contextElements)) bad = true;
    if (type === 'button') {
      if ((textOf(node['text'])?.length ?? 0) > BLOCK_LIMITS.buttonText) bad = true;
      if (typeof node['value'] === 'string' && node['value'].length > BLOCK_LIMITS.buttonValue) bad = true;
    }
    if (type === 'mrkdwn' && (parentType === 'button' || parentType === 'header')) bad = true;
    for (const [k, v] of Object.entries(node)) if (k !== 'type') visit(v, typeof type === 'string' ? type : parentType);
  };
  visit(blocks);
  return bad ? 'invalid_blocks' : undefined;
}

/** A token bucket per key: `burst` calls at once, then `perSecond`. */
export interface RateLimit {
  perSecond: number;
  burst: number;
  /** chat.postMessage is limited per channel; other methods per workspace. */
  perChannel?: boolean;
}

/** Slack's published tiers, as buckets: Tier 2 ≈ 20/min, Tier 3 ≈ 50/min, Tier 4 ≈ 100/min; chat.postMessage ≈ 1/s per channel. */
export const SLACK_RATE_LIMITS: Record<string, RateLimit> = {
  'chat.postMessage': { perSecond: 1, burst: 4, perChannel: true },
  'chat.update': { perSecond: 50 / 60, burst: 20 },
  'chat.postEphemeral': { perSecond: 100 / 60, burst: 20 },
  'chat.getPermalink': { perSecond: 100 / 60, burst: 20 },
  'reactions.add': { perSecond: 50 / 60, burst: 20 },
  'reactions.remove': { perSecond: 50 / 60, burst: 20 },
  'views.open': { perSecond: 100 / 60, burst: 10 },
  'views.publish': { perSecond: 100 / 60, burst: 10 },
  'usergroups.users.list': { perSecond: 20 / 60, burst: 5 },
  'files.info': { perSecond: 100 / 60, burst: 10 },
  'conversations.replies': { perSecond: 50 / 60, burst: 20 },
  // Tier 3 for internal apps (Slack's 2025 limit of 1 a minute applies to commercially distributed non-Marketplace apps).
  'conversations.history': { perSecond: 50 / 60, burst: 20 },
  'reactions.get': { perSecond: 50 / 60, burst: 20 },
  'files.getUploadURLExternal': { perSecond: 100 / 60, burst: 10 },
  'files.completeUploadExternal': { perSecond: 100 / 60, burst: 10 },
};

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limits: Record<string, RateLimit>) {}

  /** Seconds to wait (Retry-After) when the call is over its limit, else 0 (and the call is counted). */
  take(method: string, channel: string | undefined, now = Date.now()): number {
    const limit = this.limits[method];
    if (!limit) return 0;
    const key = limit.perChannel ? `${method}:${channel ?? ''}` : method;
    const b = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / limit.perSecond));
  }
}
