// Worker memory with pictures: loads what a worker process loads, then draws N evidence pictures of the demo's
// verdicts, either in this process (as the worker did before the renderer pool) or through the pool of
// renderer processes, and prints resident memory (this process, and the renderers beside it) as one JSON line.
//   npx tsx bench/picture-rss.ts --pictures 200 --mode pool|in-process
// Linux only (reads /proc for the renderers' memory).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import '../src/worker/worker.js';
import '../src/runtime.js';
import '@slack/web-api';
import { loadDemo } from '../src/cli/demo.js';
import { investigate } from '../src/flows/engine.js';
import { renderPicture, type PictureInput } from '../src/pictures/index.js';
import { PicturePool } from '../src/pictures/pool.js';

const { values } = parseArgs({ options: { pictures: { type: 'string', default: '200' }, mode: { type: 'string', default: 'pool' } } });
const count = Number(values.pictures);
const mode = values.mode === 'in-process' ? 'in-process' : 'pool';
const mb = (bytes: number) => Math.round(bytes / 1048576);
const rssOf = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.split(/\s+/)[1]) * 1024 : 0;
};

const { alerts, deps } = await loadDemo();
const inputs: PictureInput[] = [];
for (const alert of alerts) inputs.push({ verdict: await investigate(alert, deps), alertTime: alert.time });
const atStart = process.memoryUsage.rss();
const pool = mode === 'pool' ? new PicturePool({ renderers: 1, maxQueued: count }) : undefined;
let peak = atStart;
let renderersPeak = 0;
const started = Date.now();
let drawn = 0;
for (let i = 0; i < count; i++) {
  const input = inputs[i % inputs.length]!;
  const out = pool ? await pool.render(input) : await renderPicture(input);
  if (!('nothing' in out)) drawn++;
  peak = Math.max(peak, process.memoryUsage.rss());
  if (pool) renderersPeak = Math.max(renderersPeak, pool.pids.reduce((sum, pid) => sum + rssOf(pid), 0));
}
const renderersNow = pool ? pool.pids.reduce((sum, pid) => sum + rssOf(pid), 0) : 0;
await pool?.close();
process.stdout.write(
  `${JSON.stringify({
    mode,
    pictures: count,
    drawn,
    ms_per_picture: Math.round((Date.now() - started) / count),
    worker_rss_mb_at_start: mb(atStart),
    worker_rss_mb_peak: mb(peak),
    worker_rss_mb_end: mb(process.memoryUsage.rss()),
    renderers_rss_mb_peak: mb(renderersPeak),
    renderers_rss_mb_end: mb(renderersNow),
  })}\n`,
);
