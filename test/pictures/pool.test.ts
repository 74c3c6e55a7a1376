// The picture pool: real renderer processes (src/pictures/renderer.ts, started through tsx as in development)
// draw the same PNG as the worker would in-process; a renderer that hangs or dies costs one picture, never the
// next one; the queue is bounded; a renderer grown past its memory bound is replaced.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/cli/demo.js';
import { investigate } from '../../src/flows/engine.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { renderPicture, type PictureInput } from '../../src/pictures/index.js';
import { PictureNotRendered, PicturePool } from '../../src/pictures/pool.js';
import { PNG_SIGNATURE } from '../../src/pictures/png.js';

let aws: PictureInput;
let okta: PictureInput;
const pools: PicturePool[] = [];
const poolOf = (options: ConstructorParameters<typeof PicturePool>[0]) => {
  const pool = new PicturePool(options);
  pools.push(pool);
  return pool;
};

beforeAll(async () => {
  const { alerts, deps } = await loadDemo();
  const inputOf = async (id: string) => {
    const alert = alerts.find((a) => a.id === id)!;
    return { verdict: await investigate(alert, deps), alertTime: alert.time };
  };
  [aws, okta] = await Promise.all([inputOf('demo-aws-vps'), inputOf('demo-okta-raj')]);
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** The rejection of a render, which must fail. */
async function failureOf(p: Promise<unknown>): Promise<PictureNotRendered> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PictureNotRendered);
  return err as PictureNotRendered;
}

const pngOf = (out: Awaited<ReturnType<PicturePool['render']>>): Buffer => {
  if ('nothing' in out) throw new Error(`no picture: ${out.nothing}`);
  return out.png;
};

describe('the picture pool', () => {
  it('renders in a process of its own the PNG the worker would draw itself', async () => {
    const pool = poolOf({ timeoutMs: 60_000 });
    const out = await pool.render(aws);
    const local = await renderPicture(aws);
    if ('nothing' in out || 'nothing' in local) throw new Error('no picture');
    expect(out.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(Buffer.isBuffer(out.png)).toBe(true);
    expect(out.png.equals(local.png)).toBe(true);
    expect(out.alt).toBe(local.alt);
    expect(out.filename).toBe('evidence-demo-aws-vps.png');
    expect(pool.pids).toHaveLength(1);
    expect(pool.pids[0]).not.toBe(process.pid);
    expect(pool.counts).toMatchObject({ rendered: 1, renderers_started: 1 });
  }, 60_000);

  it('says why a verdict has no picture, and passes a drawing error on without losing its renderer', async () => {
    const pool = poolOf({ timeoutMs: 60_000 });
    pngOf(await pool.render(okta));
    const pid = pool.pids[0];
    const failure = await failureOf(pool.render({ verdict: { ...aws.verdict, alert_id: 'broken', facts: { ips: 'not a list' } } as unknown as Verdict }));
    expect(failure.failure).toBe('render_failed');
    // Facts are typed (checked where stored verdicts come back, not by the drawing): a malformed one fails the drawing itself.
    expect(failure.message).toMatch(/\S/);
    expect(pool.pids).toEqual([pid]);
  }, 60_000);

  it('bounds its queue: beyond the renderers and the queue, pictures are refused at once', async () => {
    const pool = poolOf({ renderers: 1, maxQueued: 2, timeoutMs: 60_000 });
    const renders = Array.from({ length: 5 }, (_, i) => pool.render({ ...aws, verdict: { ...aws.verdict, alert_id: `burst-${i}` } }));
    expect(pool.load).toEqual({ queued: 2, rendering: 1 });
    const settled = await Promise.allSettled(renders);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    for (const s of settled.slice(3)) expect(s.status === 'rejected' && (s.reason as PictureNotRendered).failure).toBe('queue_full');
    expect(pool.counts).toMatchObject({ rendered: 3, queue_full: 2 });
  }, 60_000);

  it('a renderer that hangs is killed at the timeout: no picture for that verdict, a fresh renderer for the next', async () => {
    const logs: string[] = [];
    const pool = poolOf({ timeoutMs: 3000, log: (m) => logs.push(m) });
    // The bound counts from when a running renderer has the picture: its start (slow under tsx) is bounded apart.
    pngOf(await pool.render(aws));
    const hung = pool.pids[0]!;
    process.kill(hung, 'SIGSTOP');
    const failure = await failureOf(pool.render(aws));
    expect(failure.failure).toBe('timed_out');
    expect(logs).toContain(`picture renderer ${hung} killed: no picture within 3000 ms`);
    expect(pool.pids).not.toContain(hung);
    pngOf(await pool.render(okta));
    expect(pool.pids).toHaveLength(1);
    expect(pool.pids[0]).not.toBe(hung);
    expect(pool.counts).toMatchObject({ timed_out: 1, renderers_started: 2, rendered: 2 });
  }, 90_000);

  it('a renderer that dies with a picture in hand costs that picture only; the pool starts another', async () => {
    const logs: string[] = [];
    const pool = poolOf({ timeoutMs: 60_000, log: (m) => logs.push(m) });
    pngOf(await pool.render(aws));
    const first = pool.pids[0]!;
    const lost = pool.render(okta);
    process.kill(first, 'SIGKILL');
    const failure = await failureOf(lost);
    expect(failure.failure).toBe('renderer_exited');
    expect(failure.message).toBe('the renderer exited (SIGKILL)');
    expect(logs).toEqual([`picture renderer ${first} lost with a picture in hand: the renderer exited (SIGKILL)`]);
    pngOf(await pool.render(okta));
    expect(pool.pids).toHaveLength(1);
    expect(pool.pids[0]).not.toBe(first);
    expect(pool.counts).toMatchObject({ renderer_exited: 1, renderers_started: 2, rendered: 2 });
  }, 90_000);

  it('replaces a renderer whose memory passed its bound after a picture', async () => {
    const logs: string[] = [];
    const pool = poolOf({ timeoutMs: 60_000, memoryMb: 1, log: (m) => logs.push(m) });
    pngOf(await pool.render(aws));
    expect(pool.pids).toEqual([]);
    expect(logs[0]).toMatch(/^picture renderer \d+ replaced: \d+ MB resident, over 1 MB$/);
    pngOf(await pool.render(aws));
    expect(pool.counts).toMatchObject({ renderers_started: 2, renderers_replaced_for_memory: 2 });
  }, 90_000);
});
