// The picture in the alert's thread, after the verdict: best effort, one at a time per worker process, off the
// delivery path. A render or an upload that fails is logged and skipped; in a storm, pictures beyond a short
// backlog are skipped (and counted) rather than let rendering compete with investigations.
import type { WebClient } from '@slack/web-api';
import { renderPicture, type Picture, type PictureInput } from './index.js';
import { cutText } from './svg.js';

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

const reason = (err: unknown): string => {
  const code = (err as { data?: { error?: string } }).data?.error;
  return cutText(code ?? ((err as Error).message || String(err)), 300);
};

export interface PictureLaneOptions {
  /** Pictures waiting (rendering one included) beyond which new ones are skipped. */
  maxWaiting?: number;
}

export class PictureLane {
  private waiting = 0;
  private skipped = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly maxWaiting: number;

  constructor(
    private readonly slack: WebClient,
    private readonly log: (msg: string) => void = () => undefined,
    options: PictureLaneOptions = {},
  ) {
    this.maxWaiting = options.maxWaiting ?? 10;
  }

  /** Queues the verdict's picture for its thread and returns at once; never throws. */
  post(input: PictureInput, where: PictureTarget): void {
    if (this.waiting >= this.maxWaiting) {
      if (this.skipped++ === 0) this.log(`picture of alert ${cutText(input.verdict.alert_id, 80)} skipped: ${this.maxWaiting} pictures already waiting (more skips are counted)`);
      return;
    }
    this.waiting++;
    this.chain = this.chain
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

  private async draw(input: PictureInput, where: PictureTarget): Promise<void> {
    const id = cutText(input.verdict.alert_id, 80);
    let picture: Picture | { nothing: string };
    try {
      picture = await renderPicture(input);
    } catch (err) {
      this.log(`picture of alert ${id} not drawn: ${reason(err)}`);
      return;
    }
    if ('nothing' in picture) return;
    try {
      await uploadPicture(this.slack, where, picture);
    } catch (err) {
      this.log(`picture of alert ${id} not posted: ${reason(err)}`);
    }
  }
}
