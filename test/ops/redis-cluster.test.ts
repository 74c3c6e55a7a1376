// A real three-node Redis Cluster on loopback: the queue, a worker and the alert state work across it
// because every key carries the hash-tagged prefix.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisConnection } from '../../src/queue/queue.js';
import { alertKey, AlertStateStore } from '../../src/queue/state.js';
import { freePort } from '../support/net.js';

const haveRedis = spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;
const nodes: ChildProcess[] = [];
let ports: number[] = [];


beforeAll(async () => {
  if (!haveRedis) return;
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  // Cluster bus ports are port + 10000: keep the ports low enough.
  ports = [];
  while (ports.length < 3) {
    const p = await freePort();
    if (p < 55000 && !ports.includes(p)) ports.push(p);
  }
  for (const port of ports) {
    nodes.push(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' }));
  }
  for (const port of ports) {
    for (let i = 0; i < 50 && spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() !== 'PONG'; i++) await new Promise((r) => setTimeout(r, 100));
  }
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`cluster create failed: ${created.stdout}${created.stderr}`);
  for (let i = 0; i < 100; i++) {
    const info = spawnSync('redis-cli', ['-p', String(ports[0]), 'cluster', 'info'], { encoding: 'utf8' }).stdout;
    if (info.includes('cluster_state:ok')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);

afterAll(() => {
  for (const n of nodes) n.kill('SIGKILL');
});

describe.skipIf(!haveRedis)('Redis Cluster', () => {
  it('runs jobs and keeps alert state with the hash-tagged prefix', async () => {
    const url = ports.map((p) => `redis://127.0.0.1:${p}`).join(',');
    const connection = redisConnection(url, true);
    const prefix = '{triage}';
    const queue = new Queue<{ alertKey: string; run: number }>('investigations', { connection, prefix });
    const seen: string[] = [];
    const worker = new Worker<{ alertKey: string; run: number }>('investigations', async (job) => void seen.push(job.data.alertKey), { connection, prefix });
    const state = new AlertStateStore(connection, prefix);
    try {
      const key = alertKey('cluster-alert');
      expect(await state.claim(key, { alertId: 'cluster-alert', raw: '{}', channel: 'C1', threadTs: '1.1', origin: 'integration' })).toBe(true);
      expect(await state.claim(key, { alertId: 'cluster-alert', raw: '{}', channel: 'C1', threadTs: '1.2', origin: 'integration' })).toBe(false);
      expect((await state.decide(key, { kind: 'escalated', by: 'U1', at: 'now' })).recorded).toBe(true);
      await state.recordVerdictSummary({ alertId: 'cluster-alert', flow: 'f', verdict: 'benign', score: 10, at: 'now' });
      expect((await state.recentVerdicts(1))[0]?.alertId).toBe('cluster-alert');
      await queue.add('investigate', { alertKey: key, run: 0 }, { jobId: `alert-${key}` });
      await queue.add('investigate', { alertKey: key, run: 0 }, { jobId: `alert-${key}` });
      for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 300));
      expect(seen).toEqual([key]);
    } finally {
      await worker.close();
      await queue.close();
      await connection.quit();
    }
  }, 30_000);
});
