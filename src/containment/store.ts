// The two-person state machine in Redis. Every transition is one Lua script, so two clicks (or two app
// replicas) can never both move a request from the same state: the approval that wins is the only one that calls.
import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { ActionOutcome, ContainmentMode, ContainmentPlan } from './types.js';

export const REQUEST_STATUSES = ['pending', 'executing', 'done', 'failed', 'refused', 'expired', 'undoing', 'undone'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export interface ContainmentRequest {
  id: string;
  alertKey: string;
  alertId: string;
  plan: ContainmentPlan;
  mode: Exclude<ContainmentMode, 'off'>;
  status: RequestStatus;
  requestedBy: string;
  requestedAt: string;
  /** Epoch ms after which it can no longer be approved. */
  expiresAt: number;
  channel: string;
  threadTs: string;
  /** The approval request's message in the thread. */
  messageTs?: string;
  approvedBy?: string;
  approvedAt?: string;
  refusedBy?: string;
  attempts: number;
  /** The last call's outcome (or the undo's, once undone). */
  result?: ActionOutcome;
  /** When the AWS policy was put: its aws:TokenIssueTime. */
  executedAt?: string;
  undoneBy?: string;
}

export const REQUEST_ID = /^[0-9a-f]{32}$/;
const TTL_SECONDS = 30 * 24 * 3600;

// KEYS[1] the request; ARGV: approver, now (ms), allow the requester ('1'), now (ISO).
const APPROVE = `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'missing', ''} end
if st ~= 'pending' then return {'not_pending', st} end
if tonumber(ARGV[2]) >= tonumber(redis.call('HGET', KEYS[1], 'expiresAt')) then
  redis.call('HSET', KEYS[1], 'status', 'expired')
  return {'expired', st}
end
if ARGV[3] ~= '1' and redis.call('HGET', KEYS[1], 'requestedBy') == ARGV[1] then return {'requester', st} end
redis.call('HSET', KEYS[1], 'status', 'executing', 'approvedBy', ARGV[1], 'approvedAt', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return {'ok', st}`;

// KEYS[1] the request; ARGV[1] allowed states (comma-separated), ARGV[2] the new state, then field/value pairs.
const TRANSITION = `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'missing', ''} end
local ok = false
for s in string.gmatch(ARGV[1], '[^,]+') do if s == st then ok = true end end
if not ok then return {'not_allowed', st} end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return {'ok', st}`;

export type ApproveOutcome = 'ok' | 'missing' | 'not_pending' | 'expired' | 'requester';
export interface Transitioned {
  ok: boolean;
  /** The state it was in. */
  from: string;
}

export class ContainmentStore {
  constructor(
    private readonly redis: Redis | Cluster,
    /** The queue's hash-tagged prefix: every key on one Redis Cluster slot. */
    private readonly prefix: string,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:contain:${id}`;
  }
  private get pendingKey(): string {
    return `${this.prefix}:contain-pending`;
  }

  async create(r: Omit<ContainmentRequest, 'id' | 'status' | 'attempts'>): Promise<ContainmentRequest> {
    const id = randomBytes(16).toString('hex');
    const request: ContainmentRequest = { ...r, id, status: 'pending', attempts: 0 };
    const fields: Record<string, string> = {
      id,
      alertKey: r.alertKey,
      alertId: r.alertId,
      plan: JSON.stringify(r.plan),
      mode: r.mode,
      status: 'pending',
      requestedBy: r.requestedBy,
      requestedAt: r.requestedAt,
      expiresAt: String(r.expiresAt),
      channel: r.channel,
      threadTs: r.threadTs,
      attempts: '0',
    };
    await this.redis.multi().hset(this.key(id), fields).expire(this.key(id), TTL_SECONDS).zadd(this.pendingKey, r.expiresAt, id).exec();
    return request;
  }

  async get(id: string): Promise<ContainmentRequest | undefined> {
    if (!REQUEST_ID.test(id)) return undefined;
    const h = await this.redis.hgetall(this.key(id));
    if (!h['id'] || !h['plan']) return undefined;
    return {
      id: h['id'],
      alertKey: h['alertKey'] ?? '',
      alertId: h['alertId'] ?? '',
      plan: JSON.parse(h['plan']) as ContainmentPlan,
      mode: h['mode'] === 'live' ? 'live' : 'dry-run',
      status: (REQUEST_STATUSES as readonly string[]).includes(h['status'] ?? '') ? (h['status'] as RequestStatus) : 'refused',
      requestedBy: h['requestedBy'] ?? '',
      requestedAt: h['requestedAt'] ?? '',
      expiresAt: Number(h['expiresAt'] ?? 0),
      channel: h['channel'] ?? '',
      threadTs: h['threadTs'] ?? '',
      attempts: Number(h['attempts'] ?? 0),
      ...(h['messageTs'] ? { messageTs: h['messageTs'] } : {}),
      ...(h['approvedBy'] ? { approvedBy: h['approvedBy'] } : {}),
      ...(h['approvedAt'] ? { approvedAt: h['approvedAt'] } : {}),
      ...(h['refusedBy'] ? { refusedBy: h['refusedBy'] } : {}),
      ...(h['result'] ? { result: JSON.parse(h['result']) as ActionOutcome } : {}),
      ...(h['executedAt'] ? { executedAt: h['executedAt'] } : {}),
      ...(h['undoneBy'] ? { undoneBy: h['undoneBy'] } : {}),
    };
  }

  async setMessage(id: string, messageTs: string): Promise<void> {
    await this.redis.hset(this.key(id), 'messageTs', messageTs);
  }

  /** pending → executing, by someone other than the requester (unless allowed), before it expires: atomically. */
  async approve(id: string, approver: string, now: Date, allowRequester: boolean): Promise<ApproveOutcome> {
    if (!REQUEST_ID.test(id)) return 'missing';
    const [outcome] = (await this.redis.eval(APPROVE, 1, this.key(id), approver, String(now.getTime()), allowRequester ? '1' : '0', now.toISOString())) as [ApproveOutcome, string];
    if (outcome === 'ok' || outcome === 'expired') await this.redis.zrem(this.pendingKey, id);
    return outcome;
  }

  /** Moves the request from one of `from` to `to`, setting fields; only one caller can win each move. */
  async transition(id: string, from: RequestStatus[], to: RequestStatus, fields: Record<string, string> = {}): Promise<Transitioned> {
    if (!REQUEST_ID.test(id)) return { ok: false, from: '' };
    const pairs = Object.entries(fields).flat();
    const [outcome, prev] = (await this.redis.eval(TRANSITION, 1, this.key(id), from.join(','), to, ...pairs)) as [string, string];
    if (outcome === 'ok' && from.includes('pending')) await this.redis.zrem(this.pendingKey, id);
    return { ok: outcome === 'ok', from: prev };
  }

  /** Pending requests whose time is up, each moved to expired by exactly one caller. */
  async expireDue(now: Date, limit = 50): Promise<ContainmentRequest[]> {
    const ids = await this.redis.zrangebyscore(this.pendingKey, 0, now.getTime(), 'LIMIT', 0, limit);
    const expired: ContainmentRequest[] = [];
    for (const id of ids) {
      const moved = await this.transition(id, ['pending'], 'expired');
      await this.redis.zrem(this.pendingKey, id);
      const r = moved.ok ? await this.get(id) : undefined;
      if (r) expired.push(r);
    }
    return expired;
  }
}
