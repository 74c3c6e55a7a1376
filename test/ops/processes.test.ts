// The two long-running processes start from their npm scripts' entry points with real Redis:
// the app (HTTP mode) answers /healthz and /metrics, a worker registers with the queue.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, redisConnection } from '../../src/queue/queue.js';
import { ROOT } from '../support/cli.js';
import { freePort } from '../support/net.js';
import { waitFor } from '../support/wait.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `{triage-proc-${randomBytes(3).toString('hex')}}`;
let fake: FakeSlack;
const children: ChildProcess[] = [];


function start(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', REDIS_URL, QUEUE_PREFIX: prefix, SLACK_API_URL: fake.apiUrl, SLACK_BOT_TOKEN: 'xoxb-proc-test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}


beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await fake?.close();
});

describe('processes', () => {
  it('npm start (HTTP mode) serves /healthz and /metrics', async () => {
    const port = await freePort();
    start('src/slack/main.ts', { SLACK_MODE: 'http', SLACK_SIGNING_SECRET: 'proc-secret', SLACK_ALERT_CHANNELS: 'C0ALERTS', PORT: String(port) });
    const health = await waitFor(
      'the app answering /healthz',
      async () => {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        return r.status === 200 ? ((await r.json()) as unknown) : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, retryOnError: true },
    );
    expect(health).toEqual({ status: 'ok', checks: { redis: true } });
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('triage_queue_jobs{state="waiting"} 0');
  });

  it('npm start refuses to run without its Slack settings, naming them', async () => {
    const child = start('src/slack/main.ts', { SLACK_BOT_TOKEN: '', SLACK_MODE: 'socket' });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(3);
    expect(stderr).toContain('SLACK_BOT_TOKEN: missing');
    expect(stderr).toContain('SLACK_APP_TOKEN: missing');
    expect(stderr).toContain('SLACK_ALERT_CHANNELS: missing');
  });

  it('npm run worker registers a worker on the shared queue, and leaves on SIGTERM', async () => {
    const connection = redisConnection(REDIS_URL);
    const queue = createQueue(connection, prefix);
    const worker = start('src/queue/main.ts', { WORKER_CONCURRENCY: '2' });
    await waitFor('the worker registered', async () => (await queue.getWorkers()).length === 1, { timeoutMs: 20_000, intervalMs: 200 });
    worker.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => worker.on('exit', r));
    expect(code).toBe(0);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await connection.quit();
  });
});
