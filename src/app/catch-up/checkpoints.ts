// Per alert channel: the ts up to which the catch-up has handled every message (Redis, next to the queue).
import type { Cluster, Redis } from 'ioredis';

const TS = /^\d{1,12}\.\d{1,9}$/;

export class Checkpoints {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {}

  private key(channel: string): string {
    return `${this.prefix}:catchup:checkpoint:${channel}`;
  }

  async get(channel: string): Promise<string | undefined> {
    const v = await this.redis.get(this.key(channel));
    return typeof v === 'string' && TS.test(v) ? v : undefined;
  }

  async set(channel: string, ts: string): Promise<void> {
    await this.redis.set(this.key(channel), ts);
  }
}
