// Alert messages that arrived while Redis was away: held in memory, a bounded number, and handed to the intake
// again with backoff until Redis answers. What the buffer drops when full (the oldest), or loses when the process
// dies, is still in the channel: the catch-up finds it once Redis is back.
import { randomUUID } from 'node:crypto';
import type { AlertMessage } from './alert-message.js';
import { IntakeUnavailableError } from './alert-message.js';

export const DEFAULT_BUFFER_SIZE = 1000;

interface Held {
  msg: AlertMessage;
  /** The message's lease token: a retry whose earlier lease did land takes it again. */
  token: string;
}

export interface IntakeBufferStats {
  /** Messages held now. */
  size: number;
  /** The most it holds. */
  capacity: number;
  /** Ever held (each message once). */
  held: number;
  /** Dropped because the buffer was full (the catch-up finds them). */
  dropped: number;
  /** Handled from the buffer once Redis answered. */
  recovered: number;
}

export class IntakeBuffer {
  private readonly items: Held[] = [];
  private timer: NodeJS.Timeout | undefined;
  private delayMs: number;
  private draining = false;
  private closed = false;
  private readonly counts = { held: 0, dropped: 0, recovered: 0 };
  /** Called when the buffer has emptied after Redis came back (the catch-up then looks for what was dropped). */
  onDrained: (() => void) | undefined;

  constructor(
    /** Handles one message; throws IntakeUnavailableError while Redis is away. */
    private readonly handle: (msg: AlertMessage, token: string) => Promise<unknown>,
    private readonly opts: { capacity?: number; minDelayMs?: number; maxDelayMs?: number; log?: (m: string) => void } = {},
  ) {
    this.delayMs = opts.minDelayMs ?? 500;
  }

  get stats(): IntakeBufferStats {
    return { size: this.items.length, capacity: this.capacity, ...this.counts };
  }

  private get capacity(): number {
    return this.opts.capacity ?? DEFAULT_BUFFER_SIZE;
  }

  /** Hands the message to the intake; held for later if Redis is away. Never throws for Redis being away. */
  async receive(msg: AlertMessage): Promise<void> {
    const token = randomUUID();
    // Behind messages already waiting: they go first, in order.
    if (this.items.length > 0) return this.hold({ msg, token });
    try {
      await this.handle(msg, token);
    } catch (err) {
      if (!(err instanceof IntakeUnavailableError)) throw err;
      this.hold({ msg, token });
    }
  }

  private hold(item: Held): void {
    if (this.closed) return;
    this.counts.held++;
    this.items.push(item);
    while (this.items.length > this.capacity) {
      const gone = this.items.shift()!;
      this.counts.dropped++;
      this.opts.log?.(`intake buffer full (${this.capacity}): dropped message ${gone.msg.channel} ${gone.msg.ts}; the catch-up will find it`);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.draining || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, this.delayMs);
    this.timer.unref();
  }

  /** Oldest first; stops at the first message Redis refuses, and tries again later (backoff doubles, up to the max). */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.items.length > 0 && !this.closed) {
        const next = this.items[0]!;
        try {
          await this.handle(next.msg, next.token);
          this.counts.recovered++;
        } catch (err) {
          if (err instanceof IntakeUnavailableError) {
            this.delayMs = Math.min(this.delayMs * 2, this.opts.maxDelayMs ?? 30_000);
            return;
          }
          // Anything else is the message's own problem (logged); the catch-up may try it again.
          this.opts.log?.(`held message ${next.msg.channel} ${next.msg.ts} failed: ${(err as Error).message}`);
        }
        this.items.shift();
      }
      this.delayMs = this.opts.minDelayMs ?? 500;
      if (!this.closed) this.onDrained?.();
    } finally {
      this.draining = false;
      if (this.items.length > 0) this.schedule();
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
