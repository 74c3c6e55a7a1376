// Which alert-channel messages were handled, so one message is answered once however often it reaches us:
// Slack's retries, a redelivered Socket Mode envelope, the catch-up reading the channel, the intake buffer.
// A handler takes a short lease on the message; when done, the message is marked handled for 7 days (past the
// catch-up's look-back of a first start, 24 h by default; an older message seen again meets its alert's claim). A lease whose holder died lapses, and the catch-up handles the message then.
import type { Cluster, Redis } from 'ioredis';

export const LEASE_MS = 5 * 60_000;
const HANDLED_SECONDS = 7 * 24 * 3600;

/**
 * KEYS[1] the message's mark; ARGV[1] the caller's token, ARGV[2] the lease in ms.
 * Unmarked: leased to the caller. Leased to the same token (a retry of a call whose answer was lost): renewed.
 */
const BEGIN = `
local v = redis.call('GET', KEYS[1])
if v == false then redis.call('SET', KEYS[1], 'lease:' .. ARGV[1], 'PX', ARGV[2]) return 'mine' end
if v == 'done' then return 'done' end
if v == 'lease:' .. ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 'mine' end
return 'busy'
`;

/** KEYS[1] the mark; ARGV[1] the token: a lease given back (the handler failed) unless someone else holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == 'lease:' .. ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export type LeaseOutcome = 'mine' | 'busy' | 'done';

export class MessageMarks {
  constructor(
    /** Best a connection that fails fast (no offline queue): a caller must learn at once that Redis is away. */
    private readonly redis: Redis | Cluster,
    /** The queue's hash-tagged prefix. */
    private readonly prefix: string,
  ) {}

  private key(channel: string, ts: string): string {
    return `${this.prefix}:msg:${channel}:${ts}`;
  }

  /** Takes the message for handling: 'busy' (another handler has it) and 'done' (handled) mean leave it. */
  async begin(channel: string, ts: string, token: string, leaseMs = LEASE_MS): Promise<LeaseOutcome> {
    const out = await this.redis.eval(BEGIN, 1, this.key(channel, ts), token, String(leaseMs));
    return out === 'mine' || out === 'done' ? out : 'busy';
  }

  async done(channel: string, ts: string): Promise<void> {
    await this.redis.set(this.key(channel, ts), 'done', 'EX', HANDLED_SECONDS);
  }

  async release(channel: string, ts: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(channel, ts), token);
  }

  /** Whether the message was handled (the catch-up counts those as already claimed without reading them again). */
  async isDone(channel: string, ts: string): Promise<boolean> {
    return (await this.redis.get(this.key(channel, ts))) === 'done';
  }
}
