// Suppressions in real Redis: stored with their expiry under the queue's hash-tagged prefix, listed, lifted once.
import { afterAll, describe, expect, it } from 'vitest';
import type { Suppression } from '../../src/suppress/store.js';
import { testRedis } from '../support/redis.js';

const redis = testRedis('suppress');
const store = redis.state.suppressions;
afterAll(async () => redis.cleanup());

const HOUR = 3600_000;
const id = (n: number) => n.toString(16).padStart(32, '0');
function suppression(n: number, hours: number, extra: Partial<Suppression> = {}): Suppression {
  return {
    id: id(n),
    flow: 'aws_instance_credentials',
    kind: 'instance',
    parts: [`i-0${n}`],
    by: 'U0RESPONDER',
    reason: 'false_positive',
    alertId: `alert-${n}`,
    createdAt: new Date().toISOString(),
    until: new Date(Date.now() + hours * HOUR).toISOString(),
    ...extra,
  };
}

describe('suppression store', () => {
  it('stores a suppression under the hash-tagged prefix with its expiry, and finds it by key', async () => {
    const s = suppression(1, 24);
    expect(await store.create(s)).toBeUndefined();
    expect(await store.active(s.id)).toEqual(s);
    const ttl = await redis.connection.pttl(`${redis.prefix}:suppression:${s.id}`);
    expect(ttl).toBeGreaterThan(23 * HOUR);
    expect(ttl).toBeLessThanOrEqual(24 * HOUR);
    expect(await store.active(id(999))).toBeUndefined();
    expect(await store.active('not-a-key')).toBeUndefined();
  });

  it('a second suppression of the same key replaces the first and says so', async () => {
    const first = suppression(2, 24);
    await store.create(first);
    const second = suppression(2, 7 * 24, { by: 'U0OTHER' });
    expect(await store.create(second)).toEqual(first);
    expect((await store.active(first.id))?.by).toBe('U0OTHER');
  });

  it('lists those in force, the soonest to expire first; one past its end is neither active nor listed', async () => {
    await store.create(suppression(3, 30 * 24));
    const listed = (await store.list()).map((s) => s.id);
    expect(listed).toEqual([id(1), id(2), id(3)]);
    // As seen two days later: the one-day suppression is over.
    const later = Date.now() + 2 * 24 * HOUR;
    expect((await store.list(later)).map((s) => s.id)).toEqual([id(2), id(3)]);
    expect(await store.active(id(1), later)).toBeUndefined();
  });

  it('lifting returns the suppression once; a second lift (another responder’s click) gets nothing', async () => {
    const lifted = await Promise.all([store.lift(id(3)), store.lift(id(3))]);
    expect(lifted.filter(Boolean)).toHaveLength(1);
    expect(await store.active(id(3))).toBeUndefined();
    expect((await store.list()).map((s) => s.id)).not.toContain(id(3));
  });

  it('refuses one that would end in the past, and ignores what is not a suppression', async () => {
    await expect(store.create(suppression(4, -1))).rejects.toThrow(/future/);
    await redis.connection.set(`${redis.prefix}:suppression:${id(5)}`, '{"id":"x","__proto__":{"flow":"aws_instance_credentials"}}');
    expect(await store.active(id(5))).toBeUndefined();
  });
});
