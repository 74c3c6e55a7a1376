// A worker's resident memory once it is up: started compiled (node dist/worker/main.js, after `npm run build`)
// and from the sources (node --import tsx src/worker/main.ts), on a queue prefix of its own (it takes no jobs),
// sampled from /proc a few seconds after its "worker up" line. Linux only. One JSON line per way.
//   npx tsx bench/worker-start-rss.ts [--redis redis://127.0.0.1:6379] [--elasticsearch http://127.0.0.1:9200]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { redis: { type: 'string', default: 'redis://127.0.0.1:6379' }, elasticsearch: { type: 'string', default: 'http://127.0.0.1:9200' }, settle: { type: 'string', default: '5000' } } });
const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
};

async function measure(way: string, args: string[]): Promise<void> {
  const env = { PATH: process.env['PATH'] ?? '', SLACK_BOT_TOKEN: 'xoxb-rss-measurement', REDIS_URL: values.redis, ELASTICSEARCH_URL: values.elasticsearch, QUEUE_PREFIX: `{rss-${process.pid}}`, LOG_LEVEL: 'info' };
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('worker up')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${way}: the worker exited (${code}): ${log.slice(-500)}`)));
  });
  const upMs = Date.now() - started;
  await new Promise((r) => setTimeout(r, Number(values.settle)));
  process.stdout.write(`${JSON.stringify({ way, up_ms: upMs, rss_mb: rssMb(child.pid!) })}\n`);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

await measure('compiled', ['dist/worker/main.js']);
await measure('tsx', ['--import', 'tsx', 'src/worker/main.ts']);
