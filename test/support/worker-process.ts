// Worker processes as production runs them (`node --import tsx src/worker/main.ts`), for tests that kill or stop
// them: their own environment, their log kept for the failure message, their exit awaited.
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './cli.js';

export interface WorkerProcess {
  name: string;
  pid: number;
  /** stderr so far (the worker's JSON log). */
  readonly log: string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
  kill(signal: NodeJS.Signals): void;
}

/** Settings the test may want the worker to honour once they exist (lock and stall check timing), harmless before. */
export const FAST_STALL_ENV = { WORKER_LOCK_DURATION_MS: '4000', WORKER_STALLED_INTERVAL_MS: '2000' };

export function startWorkerProcess(name: string, env: Record<string, string>): WorkerProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  let running = true;
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    }),
  );
  return {
    name,
    pid: child.pid ?? -1,
    get log() {
      return log;
    },
    exited,
    get running() {
      return running;
    },
    kill: (signal) => {
      if (running) child.kill(signal);
    },
  };
}

/** Stops whatever is still running at the end of a suite. */
export async function stopAll(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) w.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
}
