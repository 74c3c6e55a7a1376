// A picture renderer process (started by pool.ts): draws each verdict's picture it is sent, with
// renderPicture, and answers with the PNG or why there is none. It holds no secret (its environment is
// cut down), reads nothing but its messages, and exits when the worker that started it goes away.
import { renderPicture } from './index.js';
import type { RenderRequest, RendererMessage } from './render-protocol.js';

const send = (m: RendererMessage): void => void process.send?.(m);
const rssBytes = (): number => process.memoryUsage.rss();

async function answer(request: RenderRequest): Promise<void> {
  const { id, input } = request;
  try {
    const out = await renderPicture(input);
    if ('nothing' in out) return send({ id, rssBytes: rssBytes(), nothing: out.nothing });
    send({ id, rssBytes: rssBytes(), picture: { svg: out.svg, alt: out.alt, filename: out.filename, png: out.png } });
  } catch (err) {
    send({ id, rssBytes: rssBytes(), error: err instanceof Error ? err.message : String(err) });
  }
}

process.on('message', (m: RenderRequest) => void answer(m));
process.on('disconnect', () => process.exit(0));
send({ ready: true });
