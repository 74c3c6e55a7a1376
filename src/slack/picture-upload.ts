// The picture in the alert's thread, after the verdict: best effort, one at a time per worker process, off the
// delivery path. Rendering takes a core for a while, so pictures yield to verdicts: one is drawn once no verdict
// has gone out for a moment (or it has waited long enough), and in a storm pictures beyond a short backlog are
// skipped and counted. A render or an upload that fails is logged and skipped.
import type { WebClient } from '@slack/web-api';
import { renderPicture, type Picture, type PictureInput } from '../pictures/index.js';
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

  constructor(
    private readonly slack: WebClient,
    private readonly log: (msg: string) => void = () => undefined,
    options: PictureLaneOptions = {},
  ) {
    this.maxWaiting = options.maxWaiting ?? 10;
    this.quietMs = options.quietMs ?? 1000;
    this.maxDeferMs = options.maxDeferMs ?? 30_000;
  }

  /** Queues the picture of a verdict just delivered, for its thread, and returns at once; never throws. */
  post(input: PictureInput, where: PictureTarget): void {
    const postedAt = Date.now();
    // A verdict just went out: waiting pictures hold back until verdicts pause.
    this.lastVerdictAt = postedAt;
    if (this.waiting >= this.maxWaiting) {
      if (this.skipped++ === 0) this.log(`picture of alert ${cutText(input.verdict.alert_id, 80)} skipped: ${this.maxWaiting} pictures already waiting (more skips are counted)`);
      return;
    }
    this.waiting++;
    this.chain = this.chain
      .then(() => this.quiet(postedAt))
      .then(() => this.draw(input, where))
      .finally(() => {
        this.waiting--;
        if (this.waiting === 0 && this.skipped > 0) {
          this.log(`${this.skipped} picture(s) skipped while the picture backlog was full`);
          this.skipped = 0;
        }
      });
  }

  /** Resolves once every queued picture is posted or given up. */
  idle(): Promise<void> {
    return this.chain;
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
      picture = await renderPicture(input);
    } catch (err) {
      this.log(`picture of alert ${id} not drawn: ${reason(err)}`);
      return;
    } finally {
      this.lastDrawnAt = Date.now();
    }
    if ('nothing' in picture) return;
    try {
      await uploadPicture(this.slack, where, picture);
    } catch (err) {
      this.log(`picture of alert ${id} not posted: ${reason(err)}`);
    }
  }
}
