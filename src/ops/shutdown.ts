// SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C): stop cleanly within a bound, then exit. A process that
// cannot finish in time exits anyway: the orchestrator would SIGKILL it a little later, with nothing logged.
import type { Log } from './log.js';

export interface ShutdownOptions {
  /** How long `stop` may take before the process exits anyway (exit code 1). */
  timeoutMs: number;
  log: Log;
  /** What the process says it is doing while it stops ("finishing jobs in hand"). */
  what: string;
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/** Installs the handlers; returns the function they call (for an orderly stop from elsewhere). */
export function exitOnSignals(stop: () => Promise<void>, opts: ShutdownOptions): (signal: string) => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      // A second signal: the operator does not want to wait.
      opts.log('warn', `${signal} again: exiting now`);
      exit(1);
      return;
    }
    stopping = true;
    opts.log('info', `${signal}: ${opts.what} (at most ${opts.timeoutMs} ms)`);
    const timer = setTimeout(() => {
      opts.log('warn', `did not stop within ${opts.timeoutMs} ms: exiting anyway`);
      exit(1);
    }, opts.timeoutMs);
    stop().then(
      () => {
        clearTimeout(timer);
        opts.log('info', 'stopped');
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        opts.log('error', `stopping failed: ${(err as Error).message}`);
        exit(1);
      },
    );
  };
  for (const signal of opts.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, () => shutdown(signal));
  return shutdown;
}

/** Waits for the promises to settle, or `ms`, whichever comes first: closing a client while its server is away can wait for ever. */
export async function settleWithin(ms: number, promises: Array<Promise<unknown>>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** A crash still ends the process (exit code 1, as Node would), but says why through our logger. */
export function logCrashes(log: Log): void {
  const crash = (kind: string) => (err: unknown) => {
    log('error', `${kind}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    process.exit(1);
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled rejection'));
}
