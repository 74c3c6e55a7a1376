// The benchmark's worker runs compiled, as production does (`node dist/…`): under tsx its loader and the
// transpiled sources' source maps would add their own memory and start-up work to the worker's figures.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);

/** Compiles the worker and the sources it imports (incremental: a rerun on unchanged code takes a second); returns its entry. */
export function compiledWorker(): string {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.bench.json'], { stdio: 'inherit' });
  return resolve('.cache/bench-build/bench/scale/worker.js');
}
