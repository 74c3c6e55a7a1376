// Pictures off the investigation path: a few renderer processes of their own (renderer.ts), at low CPU
// priority, fed from a bounded queue. Rendering holds native memory (resvg's pixmaps and font tables, ~100 MB
// after a hundred pictures) that a worker thread would add to the worker's own resident memory, and a native
// fault in a thread would take the worker down with it: in a process of its own it does neither. A renderer
// that crashes, runs out of memory or exceeds the timeout means no picture for that verdict (said in the log
// and counted); the pool starts a fresh renderer for the next picture. Works from the TypeScript sources
// (tsx, in development and tests) and compiled (dist/).
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Picture, PictureInput } from './index.js';
import type { RenderRequest, RendererMessage } from './render-protocol.js';

export interface PicturePoolOptions {
  /** Renderer processes (PICTURE_RENDERERS). */
  renderers: number;
  /** Pictures waiting for a free renderer beyond which more are refused at once (PICTURE_QUEUE_SIZE). */
  maxQueued: number;
  /** A picture not answered within this (from when a running renderer has it) is given up and the renderer killed. */
  timeoutMs: number;
  /** A renderer whose resident memory passes this after a picture is replaced; its JavaScript heap is bounded to half. */
  memoryMb: number;
  log?: (msg: string) => void;
}

export const DEFAULT_PICTURE_POOL: Omit<PicturePoolOptions, 'log'> = { renderers: 1, maxQueued: 10, timeoutMs: 20_000, memoryMb: 256 };

export type PictureFailure = 'queue_full' | 'timed_out' | 'renderer_exited' | 'render_failed' | 'closed';

/** Why a picture was not rendered; `failure` is the metric's label. */
export class PictureNotRendered extends Error {
  constructor(
    readonly failure: PictureFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PictureNotRendered';
  }
}

type Outcome = Picture | { nothing: string };

interface Job {
  id: number;
  input: PictureInput;
  resolve: (out: Outcome) => void;
  reject: (err: PictureNotRendered) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  child?: ChildProcess;
  ready: boolean;
  job?: Job;
  startTimer?: NodeJS.Timeout;
}

/** Counts since start, by what happened to each picture handed to the pool. */
export interface PicturePoolCounts {
  rendered: number;
  nothing: number;
  render_failed: number;
  timed_out: number;
  renderer_exited: number;
  queue_full: number;
  renderers_started: number;
  renderers_replaced_for_memory: number;
}

const fromSource = import.meta.url.endsWith('.ts');
const RENDERER = fileURLToPath(new URL(fromSource ? './renderer.ts' : './renderer.js', import.meta.url));
/** From the sources, the renderer loads through tsx as the worker does; compiled, plain node. */
const LOADER = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
/** What a renderer may see of the worker's environment: no tokens, no passwords. */
const PASSED_ENV = ['PATH', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL', 'NODE_ENV'];
/** A renderer's start (loading the drawing code, the fonts, the world map) is bounded apart from each picture. */
const START_TIMEOUT_MS = 30_000;
/** Below the worker's own priority: an investigation gets the CPU first. */
const RENDERER_NICENESS = 10;

export class PicturePool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  readonly counts: PicturePoolCounts = { rendered: 0, nothing: 0, render_failed: 0, timed_out: 0, renderer_exited: 0, queue_full: 0, renderers_started: 0, renderers_replaced_for_memory: 0 };
  private readonly options: PicturePoolOptions;

  constructor(options: Partial<PicturePoolOptions> = {}) {
    this.options = { ...DEFAULT_PICTURE_POOL, ...options };
    this.slots = Array.from({ length: Math.max(1, this.options.renderers) }, () => ({ ready: false }));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Pictures waiting for a renderer, and pictures being rendered. */
  get load(): { queued: number; rendering: number } {
    return { queued: this.queue.length, rendering: this.slots.filter((s) => s.job).length };
  }

  /** Process ids of the renderers running now. */
  get pids(): number[] {
    return this.slots.flatMap((s) => (s.child?.pid !== undefined ? [s.child.pid] : []));
  }

  /** The picture, or why there is none; rejects with PictureNotRendered when no renderer gave an answer. */
  render(input: PictureInput): Promise<Outcome> {
    if (this.closed) return Promise.reject(new PictureNotRendered('closed', 'the picture pool is closed'));
    const free = this.slots.some((s) => !s.job);
    if (!free && this.queue.length >= this.options.maxQueued) {
      this.counts.queue_full++;
      return Promise.reject(new PictureNotRendered('queue_full', `${this.queue.length} pictures already wait for a renderer`));
    }
    return new Promise<Outcome>((resolve, reject) => {
      this.queue.push({ id: ++this.nextId, input, resolve, reject });
      this.pump();
    });
  }

  /** Stops every renderer; pictures waiting or in hand are given up. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new PictureNotRendered('closed', 'the picture pool is closed'));
    for (const slot of this.slots) {
      if (slot.job) this.settle(slot, new PictureNotRendered('closed', 'the picture pool is closed'));
      this.stop(slot, 'SIGTERM');
    }
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const child = slot.child ?? this.spawn(slot);
      child.channel?.ref();
      if (slot.ready) this.send(slot, child, job);
    }
  }

  private send(slot: Slot, child: ChildProcess, job: Job): void {
    const request: RenderRequest = { id: job.id, input: job.input };
    job.timer = setTimeout(() => this.timedOut(slot, job, `no picture within ${this.options.timeoutMs} ms`), this.options.timeoutMs);
    child.send(request, (err) => {
      if (err && slot.job === job) this.crashed(slot, child, `could not reach the renderer (${err.message})`);
    });
  }

  private spawn(slot: Slot): ChildProcess {
    const env = Object.fromEntries(PASSED_ENV.flatMap((k) => (process.env[k] !== undefined ? [[k, process.env[k]!]] : [])));
    const heapMb = Math.max(32, Math.floor(this.options.memoryMb / 2));
    const child = fork(RENDERER, [], { execArgv: [...LOADER, `--max-old-space-size=${heapMb}`], env, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.counts.renderers_started++;
    slot.child = child;
    slot.ready = false;
    const startBound = Math.max(START_TIMEOUT_MS, this.options.timeoutMs);
    slot.startTimer = setTimeout(() => {
      if (slot.child === child && !slot.ready && slot.job) this.timedOut(slot, slot.job, `the renderer did not start within ${startBound} ms`);
    }, startBound).unref();
    // An idle renderer never keeps the worker alive; pump() holds the channel while a picture is in hand.
    child.unref();
    child.channel?.unref();
    try {
      if (child.pid !== undefined) setPriority(child.pid, RENDERER_NICENESS);
    } catch {
      // Not permitted here: the renderer runs at the worker's priority.
    }
    child.on('message', (m: RendererMessage) => this.answered(slot, child, m));
    child.on('exit', (code, signal) => this.crashed(slot, child, `the renderer exited (${signal ?? `code ${code ?? '?'}`})`));
    child.on('error', (err) => this.crashed(slot, child, `the renderer failed (${err.message})`));
    return child;
  }

  private answered(slot: Slot, child: ChildProcess, m: RendererMessage): void {
    if (slot.child !== child) return;
    if ('ready' in m) {
      slot.ready = true;
      clearTimeout(slot.startTimer);
      if (slot.job) this.send(slot, child, slot.job);
      return;
    }
    const job = slot.job;
    if (!job || m.id !== job.id) return;
    if ('picture' in m) {
      this.counts.rendered++;
      const { png, ...rest } = m.picture;
      this.settle(slot, { ...rest, png: Buffer.from(png.buffer, png.byteOffset, png.byteLength) });
    } else if ('nothing' in m) {
      this.counts.nothing++;
      this.settle(slot, { nothing: m.nothing });
    } else {
      this.counts.render_failed++;
      this.settle(slot, new PictureNotRendered('render_failed', m.error));
    }
    if (m.rssBytes > this.options.memoryMb * 1024 * 1024) {
      this.counts.renderers_replaced_for_memory++;
      this.options.log?.(`picture renderer ${child.pid ?? '?'} replaced: ${Math.round(m.rssBytes / 1048576)} MB resident, over ${this.options.memoryMb} MB`);
      this.stop(slot, 'SIGTERM');
    }
    this.pump();
  }

  private timedOut(slot: Slot, job: Job, why: string): void {
    if (slot.job !== job) return;
    this.counts.timed_out++;
    this.options.log?.(`picture renderer ${slot.child?.pid ?? '?'} killed: ${why}`);
    this.settle(slot, new PictureNotRendered('timed_out', why));
    this.stop(slot, 'SIGKILL');
    this.pump();
  }

  private crashed(slot: Slot, child: ChildProcess, why: string): void {
    if (slot.child !== child) return;
    slot.child = undefined;
    slot.ready = false;
    clearTimeout(slot.startTimer);
    if (slot.job) {
      this.counts.renderer_exited++;
      this.options.log?.(`picture renderer ${child.pid ?? '?'} lost with a picture in hand: ${why}`);
      this.settle(slot, new PictureNotRendered('renderer_exited', why));
    }
    if (!this.closed) this.pump();
  }

  private settle(slot: Slot, out: Outcome | PictureNotRendered): void {
    const job = slot.job;
    if (!job) return;
    slot.job = undefined;
    clearTimeout(job.timer);
    slot.child?.channel?.unref();
    if (out instanceof PictureNotRendered) job.reject(out);
    else job.resolve(out);
  }

  /** Detaches the slot's renderer (its exit is no longer news) and ends it. */
  private stop(slot: Slot, signal: NodeJS.Signals): void {
    const child = slot.child;
    slot.child = undefined;
    slot.ready = false;
    clearTimeout(slot.startTimer);
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}
