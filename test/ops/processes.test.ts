// The two long-running processes, started exactly as the containers start them (the compose file's commands), with
// real Redis: health and readiness, Socket Mode state, Redis unreachable, and SIGTERM ending each process within its
// bound with nothing of it left running.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHECK_TIMEOUT_MS } from '../../src/ops/health.js';
import { createQueue, jobIdFor, redisConnection } from '../../src/queue/queue.js';
import { alertKey, AlertStateStore } from '../../src/queue/state.js';
import { ROOT } from '../support/cli.js';
import { freePort } from '../support/net.js';
import { waitFor } from '../support/wait.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ELASTICSEARCH_URL = process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';
const prefix = `{triage-proc-${randomBytes(3).toString('hex')}}`;
const compose = parse(readFileSync(`${ROOT}docker-compose.yml`, 'utf8'), { merge: true }) as { services: Record<string, { command: string[] }> };
let fake: FakeSlack;
/** Each test starts node with tsx once or twice: seconds apiece on a busy machine. */
const SLOW = { timeout: 90_000 };

interface Started {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}
const started: Started[] = [];

/** The container's command for a service, run here: `node` is this Node, the working directory the checkout. */
function startService(service: 'app' | 'worker', env: Record<string, string>): Started {
  const [cmd, entry, ...rest] = compose.services[service]!.command;
  expect(cmd).toBe('node');
  expect(entry).toMatch(/^dist\/.+\.js$/);
  // The image runs the compiled entry (compiled.test.ts builds and starts it); here the same entry from the
  // sources, so the test needs no build of the checkout.
  const args = ['--import', 'tsx', entry!.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'), ...rest];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // Its own process group: whatever it starts can be found afterwards.
    detached: true,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      REDIS_URL,
      ELASTICSEARCH_URL,
      QUEUE_PREFIX: prefix,
      SLACK_API_URL: fake.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-proc-test',
      AWS_IP_RANGES_FILE: `${ROOT}samples/aws-ip-ranges.sample.json`,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const s = { child, stderr: () => stderr, exited };
  started.push(s);
  return s;
}

/** Processes of a group that are still running (zombies waiting for a reaper are not), from /proc. */
function runningInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state, ppid, pgrp, …
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The exit code, or a failure if the process is still running after `ms`. */
async function exitWithin(s: Started, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running ${ms} ms after SIGTERM; stderr:\n${s.stderr()}`)), ms)));
  try {
    return await Promise.race([s.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(url, { signal: AbortSignal.timeout(3 * CHECK_TIMEOUT_MS) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

/** Waits for the process to answer on a port at all (starting node with tsx takes a few seconds here). */
const listening = (url: string) => waitFor(`${url} answering`, async () => (await fetch(url)).status > 0, { timeoutMs: 30_000, intervalMs: 200, retryOnError: true });

/** SIGTERM, then: exit code 0 within the bound, and no process of its group left. */
async function stopsCleanly(s: Started): Promise<void> {
  const pgid = s.child.pid!;
  s.child.kill('SIGTERM');
  expect(await exitWithin(s, 15_000)).toBe(0);
  await waitFor('its process group emptied', () => runningInGroup(pgid).length === 0, { timeoutMs: 5000 });
}

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  for (const s of started) {
    try {
      process.kill(-s.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const connection = redisConnection(REDIS_URL);
  const queue = createQueue(connection, prefix);
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  const keys = await connection.keys(`${prefix}*`);
  if (keys.length) await connection.del(...keys);
  await connection.quit();
  await fake?.close();
});

describe('the Slack app process', () => {
  it('(HTTP mode) serves /healthz, /readyz and /metrics on the ops listener (loopback), none of them on Slack\'s port, logs only JSON lines, and stops on SIGTERM', SLOW, async () => {
    const port = await freePort();
    const opsPort = await freePort();
    const app = startService('app', { SLACK_MODE: 'http', SLACK_SIGNING_SECRET: 'proc-secret', SLACK_ALERT_CHANNELS: 'C0ALERTS', PORT: String(port), OPS_PORT: String(opsPort), LOG_LEVEL: 'debug' });
    await listening(`http://127.0.0.1:${opsPort}/healthz`);
    const health = await waitFor('healthy', async () => {
      const h = await getJson(`http://127.0.0.1:${opsPort}/healthz`);
      return h.status === 200 ? h.body : undefined;
    });
    expect(health).toEqual({ status: 'ok', checks: { redis: true } });
    expect(await getJson(`http://127.0.0.1:${opsPort}/readyz`)).toEqual({ status: 200, body: { status: 'ok', checks: { redis: true, elasticsearch: true, slack_token: true } } });
    const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    expect(metrics).toContain('triage_queue_jobs{state="waiting"} 0');
    expect(metrics).not.toContain('triage_track_record');
    await listening(`http://127.0.0.1:${port}/slack/events`);
    for (const path of ['/healthz', '/readyz', '/metrics']) expect([path, (await fetch(`http://127.0.0.1:${port}${path}`)).status]).toEqual([path, 404]);
    // Bolt still has /slack/events: an unsigned request is refused by it, not by a 404.
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(401);

    await stopsCleanly(app);
    const lines = app.stderr().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), component: expect.stringMatching(/^slack-/) });
    expect(lines.some((l) => l.includes('Initializing HTTPReceiver'))).toBe(true); // Bolt, through our logger
    expect(lines.some((l) => l.includes('SIGTERM: stopping the Slack app'))).toBe(true);
  });

  it('(Socket Mode) reports the connection in /healthz, and stops on SIGTERM', SLOW, async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss.on('listening', () => r()));
    const sockets: WebSocket[] = [];
    let accept = true;
    wss.on('connection', (ws) => {
      if (!accept) return void ws.terminate();
      sockets.push(ws);
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0APP' }, debug_info: { host: 'fake' } }));
    });
    fake.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link/?ticket=t1`;
    try {
      const port = await freePort();
      const app = startService('app', { SLACK_MODE: 'socket', SLACK_APP_TOKEN: 'xapp-proc-test', SLACK_ALERT_CHANNELS: 'C0ALERTS', OPS_PORT: String(port) });
      await listening(`http://127.0.0.1:${port}/healthz`);
      const up = await waitFor('connected', async () => {
        const h = await getJson(`http://127.0.0.1:${port}/healthz`);
        return h.status === 200 ? h.body : undefined;
      }, { timeoutMs: 20_000, intervalMs: 200 });
      expect(up).toEqual({ status: 'ok', checks: { redis: true, slack: true } });

      // Slack goes away: the socket closes and reconnecting fails.
      accept = false;
      for (const ws of sockets) ws.terminate();
      const down = await waitFor('the lost connection reported', async () => {
        const h = await getJson(`http://127.0.0.1:${port}/healthz`);
        return h.status === 503 ? h.body : undefined;
      }, { timeoutMs: 20_000, intervalMs: 200 });
      expect(down).toMatchObject({ status: 'degraded', checks: { redis: true, slack: false }, problems: { slack: expect.stringMatching(/^Socket Mode /) } });

      await stopsCleanly(app);
    } finally {
      delete fake.socketUrl;
      await new Promise<void>((r) => wss.close(() => r()));
    }
  });

  it('refuses to run without its Slack settings, naming them', SLOW, async () => {
    const app = startService('app', { SLACK_BOT_TOKEN: '', SLACK_MODE: 'socket', SLACK_ALERT_CHANNEL: 'C0ALERTS' });
    expect(await exitWithin(app, 30_000)).toBe(3);
    expect(app.stderr()).toContain('SLACK_BOT_TOKEN: missing');
    expect(app.stderr()).toContain('SLACK_APP_TOKEN: missing (required in Socket Mode');
    expect(app.stderr()).toContain('SLACK_ALERT_CHANNELS: missing');
    // The typo behind the missing setting is named beside it.
    expect(app.stderr()).toContain('SLACK_ALERT_CHANNEL is not a setting (ignored): did you mean SLACK_ALERT_CHANNELS?');
  });
});

describe('the worker process', () => {
  it('registers on the shared queue, serves /healthz and /readyz on WORKER_PORT, and stops on SIGTERM', SLOW, async () => {
    const connection = redisConnection(REDIS_URL);
    const queue = createQueue(connection, prefix);
    try {
      const port = await freePort();
      const worker = startService('worker', { WORKER_CONCURRENCY: '2', WORKER_PORT: String(port) });
      await waitFor('the worker registered', async () => (await queue.getWorkers()).length === 1, { timeoutMs: 30_000, intervalMs: 200 });
      await listening(`http://127.0.0.1:${port}/healthz`);
      expect(await getJson(`http://127.0.0.1:${port}/healthz`)).toEqual({ status: 200, body: { status: 'ok', checks: { redis: true, worker: true } } });
      expect(await getJson(`http://127.0.0.1:${port}/readyz`)).toEqual({ status: 200, body: { status: 'ok', checks: { redis: true, worker: true, elasticsearch: true, aws_ranges: true, slack_token: true } } });
      await stopsCleanly(worker);
      await waitFor('the worker gone from the queue', async () => (await queue.getWorkers()).length === 0, { timeoutMs: 10_000, intervalMs: 200 });
    } finally {
      await queue.close();
      await connection.quit();
    }
  });

  it('is not ready without its AWS ranges file, nor with a bot token Slack refuses (issue 19, item 5)', SLOW, async () => {
    fake.revokedTokens.add('xoxb-proc-revoked');
    const port = await freePort();
    const worker = startService('worker', { WORKER_PORT: String(port), AWS_IP_RANGES_FILE: `${ROOT}no-such-dir/aws-ip-ranges.json`, SLACK_BOT_TOKEN: 'xoxb-proc-revoked' });
    await listening(`http://127.0.0.1:${port}/healthz`);
    const ready = await getJson(`http://127.0.0.1:${port}/readyz`);
    expect(ready).toEqual({
      status: 503,
      body: {
        status: 'degraded',
        checks: { redis: true, worker: true, elasticsearch: true, aws_ranges: false, slack_token: false },
        problems: { aws_ranges: 'AWS IP ranges file missing or unreadable', slack_token: 'Slack refused the bot token (invalid_auth)' },
      },
    });
    await stopsCleanly(worker);
  });

  it('with an investigation that hangs, exits anyway after SHUTDOWN_TIMEOUT_MS, leaving the job to the stalled-job check', SLOW, async () => {
    // An Elasticsearch that accepts connections and never answers: the investigation waits (its client would for 30 s a try).
    const held: Socket[] = [];
    const blackHole = createTcpServer((s) => held.push(s));
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
    const connection = redisConnection(REDIS_URL);
    const queue = createQueue(connection, prefix);
    const state = new AlertStateStore(connection, prefix);
    try {
      const alert = { id: `proc-hang-${randomBytes(3).toString('hex')}`, type: 'email.malicious', time: '2026-11-23T09:00:00Z', recipients: ['bob@example.com'], sender: 'it@evil.example', subject: 'x', urls: ['https://evil.example/x'] };
      const key = alertKey(alert.id);
      await state.claim(key, { alertId: alert.id, raw: JSON.stringify(alert), channel: 'C0ALERTS', threadTs: '1760000000.000100', origin: 'integration' });
      await queue.add('investigate', { alertKey: key, run: 0 }, { jobId: jobIdFor(key, 0) });

      const worker = startService('worker', { ELASTICSEARCH_URL: `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`, SHUTDOWN_TIMEOUT_MS: '1000' });
      await waitFor('the job in hand', async () => (await queue.getJob(jobIdFor(key, 0)))?.processedOn !== undefined && held.length > 0, { timeoutMs: 30_000, intervalMs: 200 });
      const pgid = worker.child.pid!;
      worker.child.kill('SIGTERM');
      expect(await exitWithin(worker, 15_000)).toBe(1);
      expect(worker.stderr()).toContain('did not stop within 1000 ms: exiting anyway');
      await waitFor('its process group emptied', () => runningInGroup(pgid).length === 0, { timeoutMs: 5000 });
      // Not failed, not finished: still active under a lock that will lapse, and then the stalled-job check requeues it.
      const job = await queue.getJob(jobIdFor(key, 0));
      expect(await job!.getState()).toBe('active');
      expect(job!.attemptsMade).toBe(0);
    } finally {
      for (const s of held) s.destroy();
      blackHole.close();
      await queue.close();
      await connection.quit();
    }
  });
});

describe('with Redis unreachable', () => {
  it('/healthz answers 503 at once, naming redis, in the app and the worker', SLOW, async () => {
    const closedRedis = `redis://127.0.0.1:${await freePort()}`;
    const appPort = await freePort();
    const workerPort = await freePort();
    const app = startService('app', { REDIS_URL: closedRedis, SLACK_MODE: 'http', SLACK_SIGNING_SECRET: 'proc-secret', SLACK_ALERT_CHANNELS: 'C0ALERTS', PORT: String(await freePort()), OPS_PORT: String(appPort) });
    const worker = startService('worker', { REDIS_URL: closedRedis, WORKER_PORT: String(workerPort) });
    for (const port of [appPort, workerPort]) {
      await listening(`http://127.0.0.1:${port}/healthz`);
      // getJson gives up after a few check timeouts: an answer at all is the point (it used to hang for ever).
      const health = await getJson(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'degraded', checks: { redis: false }, problems: { redis: 'unreachable' } });
      const ready = await getJson(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ checks: { redis: false, elasticsearch: true } });
    }
    // Stopping does not wait for a Redis that is not there.
    await stopsCleanly(app);
    await stopsCleanly(worker);
  });
});
