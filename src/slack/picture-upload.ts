// The picture in the alert's thread, after the verdict: best effort, off the delivery path. The worker renders
// in a pool of renderer processes (src/pictures/pool.ts; in-process when none is given, as the CLI does).
// Rendering takes a core for a while, so pictures yield to verdicts: one is drawn once no verdict has gone out
// for a moment (or it has waited long enough), and in a storm pictures beyond a short backlog are skipped and
// counted. A render or an upload that fails is logged, counted and skipped.
import type { WebClient } from '@slack/web-api';
import { renderPicture, type Picture, type PictureInput } from '../pictures/index.js';
import { PictureNotRendered } from '../pictures/pool.js';
import { cutText } from '../drawing/svg.js';
import { slackFailureReason } from './errors.js';

export interface PictureTarget {
  channel: string;
  /** The alert message: the picture is a reply in its thread. */
  threadTs: string;
}

/** Slack's limit for a file's alt text. */
const ALT_TEXT_MAX = 1000;

/** Uploads the PNG into the thread (files.getUploadURLExternal, the upload, files.completeUploadExternal). */
export async function uploadPicture(slack: WebClient, where: PictureTarget, picture: Picture): Promise<void> {
  await slack.files.uploadV2({
    channel_id: where.channel,
    thread_ts: where.threadTs,
    file: picture.png,
    filename: picture.filename,
    title: 'The evidence as a picture',
    alt_text: cutText(picture.alt, ALT_TEXT_MAX),
  });
}

const reason = (err: unknown): string => cutText(slackFailureReason(err), 300);

export interface PictureLaneOptions {
  /** Pictures waiting (rendering one included) beyond which new ones are skipped. */
  maxWaiting?: number;
  /** How long no verdict must have gone out before a picture is drawn. */
  quietMs?: number;
  /** A picture waits for quiet at most this long (since it was posted, or since the last picture was drawn): a steady stream of verdicts gets a picture now and then, never none. */
  maxDeferMs?: number;
  /** Draws the picture (the worker's renderer pool); in this process by default. */
  render?: (input: PictureInput) => Promise<Picture | { nothing: string }>;
  /** Pictures drawn at once (the pool's renderers); 1 by default. */
  parallel?: number;
}

/** What became of the pictures handed to the lane, for the worker's metrics. */
export interface PictureLaneCounts {
  posted: number;
  nothing: number;
  skipped_backlog: number;
  not_drawn: Record<string, number>;
  not_posted: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export class PictureLane {
  private waiting = 0;
  private skipped = 0;
  private chain: Promise<void> = Promise.resolve();
  private lastVerdictAt = 0;
  private lastDrawnAt = 0;
  private readonly maxWaiting: number;
  private readonly quietMs: number;
  private readonly maxDeferMs: number;
  private readonly renderer: (input: PictureInput) => Promise<Picture | { nothing: string }>;
  private readonly parallel: number;
  private drawing = 0;
  private readonly drawn = new Set<Promise<void>>();
  private slotFreed: (() => void) | undefined;
  readonly counts: PictureLaneCounts = { posted: 0, nothing: 0, skipped_backlog: 0, not_drawn: {}, not_posted: 0 };

  constructor(
    private readonly slack: WebClient,
    private readonly log: (msg: string) => void = () => undefined,
    options: PictureLaneOptions = {},
  ) {
    this.maxWaiting = options.maxWaiting ?? 10;
    this.quietMs = options.quietMs ?? 1000;
    this.maxDeferMs = options.maxDeferMs ?? 30_000;
    this.renderer = options.render ?? renderPicture;
    this.parallel = Math.max(1, options.parallel ?? 1);
  }

  /** Queues the picture of a verdict just delivered, for its thread, and returns at once; never throws. */
  post(input: PictureInput, where: PictureTarget): void {
    const postedAt = Date.now();
    // A verdict just went out: waiting pictures hold back until verdicts pause.
    this.lastVerdictAt = postedAt;
    if (this.waiting >= this.maxWaiting) {
      this.counts.skipped_backlog++;
      if (this.skipped++ === 0) this.log(`picture of alert ${cutText(input.verdict.alert_id, 80)} skipped: ${this.maxWaiting} pictures already waiting (more skips are counted)`);
      return;
    }
    this.waiting++;
    // In order: each waits for quiet and for a free renderer, then is drawn while the next one waits.
    this.chain = this.chain
      .then(() => this.quiet(postedAt))
      .then(() => this.freeSlot())
      .then(() => {
        this.drawing++;
        const drawn: Promise<void> = this.draw(input, where).finally(() => {
          this.drawing--;
          this.drawn.delete(drawn);
          this.slotFreed?.();
          this.waiting--;
          if (this.waiting === 0 && this.skipped > 0) {
            this.log(`${this.skipped} picture(s) skipped while the picture backlog was full`);
            this.skipped = 0;
          }
        });
        this.drawn.add(drawn);
      });
  }

  /** Resolves once every queued picture is posted or given up. */
  async idle(): Promise<void> {
    await this.chain;
    await Promise.all([...this.drawn]);
  }

  private async freeSlot(): Promise<void> {
    while (this.drawing >= this.parallel) await new Promise<void>((resolve) => (this.slotFreed = resolve));
  }

  /** Until no verdict has gone out for quietMs, or maxDeferMs have passed since the picture was posted and since the last one was drawn. */
  private async quiet(postedAt: number): Promise<void> {
    for (;;) {
      const now = Date.now();
      const wait = Math.min(this.lastVerdictAt + this.quietMs, Math.max(postedAt, this.lastDrawnAt) + this.maxDeferMs) - now;
      if (wait <= 0) return;
      await sleep(wait);
    }
  }

  private async draw(input: PictureInput, where: PictureTarget): Promise<void> {
    const id = cutText(input.verdict.alert_id, 80);
    let picture: Picture | { nothing: string };
    try {
      picture = await this.renderer(input);
    } catch (err) {
      const failure = err instanceof PictureNotRendered ? err.failure : 'render_failed';
      this.counts.not_drawn[failure] = (this.counts.not_drawn[failure] ?? 0) + 1;
      this.log(`picture of alert ${id} not drawn: ${reason(err)}`);
      return;
    } finally {
      this.lastDrawnAt = Date.now();
    }
    if ('nothing' in picture) {
      this.counts.nothing++;
      return;
    }
    try {
      await uploadPicture(this.slack, where, picture);
      this.counts.posted++;
    } catch (err) {
      this.counts.not_posted++;
      this.log(`picture of alert ${id} not posted: ${reason(err)}`);
    }
  }
}
