// The parts of the benchmark's harness that every phase shares: worker processes over Node IPC, the fake
// Slack's verdict messages, waiting for a phase's verdicts, cache clearing and the machine's busy time.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';
import { formatProgress } from '../../src/cli/progress.js';
import type { Alert } from '../../src/alerts/types.js';
import type { FakeSlack } from '../../test/fakes/slack-server.js';
import type { BenchAlert } from '../generate/scenarios.js';
import type { FromWorker, JobRecord, ToWorker } from './protocol.js';

export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** One alert as one phase sends it: its own id, so each phase is a fresh investigation. */
export interface Sent {
  bench: BenchAlert;
  alert: Alert;
  arrivedAt: number;
  messageTs?: string;
}

export class WorkerProcess {
  readonly records = new Map<string, JobRecord>();
  private readonly waiters: Array<{ type: FromWorker['type']; resolve: (m: FromWorker) => void }> = [];

  constructor(private readonly child: ChildProcess) {
    child.on('message', (m: FromWorker) => {
      if (m.type === 'job') this.records.set(m.record.alertId, m.record);
      const i = this.waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
    });
  }

  next<T extends FromWorker['type']>(type: T, timeoutMs = 120_000): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker: no ${type} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<FromWorker, { type: T }>);
        },
      });
      this.child.once('exit', (code) => reject(new Error(`worker exited (${code}) while waiting for ${type}`)));
    });
  }

  send(m: ToWorker): void {
    this.child.send(m);
  }

  /** Ends a worker that did not stop by itself (an interrupted run). */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}

export async function clearCaches(es: Client, ns: string): Promise<void> {
  // Each phase starts cold for Elasticsearch's caches (request, query, field data); the OS page cache stays warm.
  await es.indices.clearCache({ index: `logs-*-${ns}`, request: true, query: true, fielddata: true, ignore_unavailable: true, allow_no_indices: true });
}

/** CPU time the whole machine has been busy (all processes), from /proc/stat; 0 where there is none. */
export function machineBusyMs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    // USER_HZ is 100 on Linux.
    return (user + nice + system + irq + softirq + steal) * 10;
  } catch {
    return 0;
  }
}

/** Watches the fake Slack for each alert's verdict message (the chat.update of its "Investigating…" message). */
export class VerdictWatch {
  private scanned = 0;
  readonly at = new Map<string, number>();

  constructor(private readonly slack: FakeSlack) {}

  poll(): void {
    const calls = this.slack.allCalls;
    for (; this.scanned < calls.length; this.scanned++) {
      const c = calls[this.scanned]!;
      if (c.method !== 'chat.update' || c.error) continue;
      const ts = String(c.args['ts']);
      if (!this.at.has(ts)) this.at.set(ts, c.at);
    }
  }
}

/** A phase's progress every few seconds: how many verdicts of how many, the rate, the time left. */
export const PROGRESS_EVERY_MS = 5000;

/** Waits until every sent alert has its job record (from any of the workers) and its verdict message, or the timeout. */
export async function waitForPhase(phase: string, sent: Sent[], workers: WorkerProcess | WorkerProcess[], watch: VerdictWatch, timeoutMs: number): Promise<void> {
  const pool = Array.isArray(workers) ? workers : [workers];
  const started = now();
  const until = started + timeoutMs;
  let told = started;
  for (;;) {
    watch.poll();
    const missing = sent.filter((s) => !pool.some((w) => w.records.has(s.alert.id)) || !s.messageTs || !watch.at.has(s.messageTs));
    if (missing.length === 0) return;
    if (now() - told >= PROGRESS_EVERY_MS) {
      told = now();
      log(`${phase}: ${formatProgress({ done: sent.length - missing.length, total: sent.length, elapsedMs: told - started }, 'verdicts')}`);
    }
    if (now() > until) {
      log(`phase timed out: ${missing.length} of ${sent.length} alerts without a verdict (first: ${missing[0]!.alert.id})`);
      return;
    }
    await sleep(100);
  }
}

