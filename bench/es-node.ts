// A separate single-node Elasticsearch for benchmarks (default 127.0.0.1:9250), so a benchmark never
// loads the shared test node. Started from the cached integ-test zip, as scripts/services.sh does;
// its data directory survives restarts, so a generated data set can be measured again without re-ingesting.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const ES_VERSION = process.env['TRIAGE_ES_VERSION'] ?? '8.19.7';
const ES_USER = 'triage-es';

export interface BenchEsOptions {
  port: number;
  heapMb: number;
  /** Home of the node: its extracted distribution, data, logs and pid file. */
  root: string;
  log?: (line: string) => void;
}

export interface BenchEsStatus {
  url: string;
  heapMb: number;
  /** Whether this run started it (and so stops it at the end, unless told to keep it). */
  startedHere: boolean;
}

const url = (port: number) => `http://127.0.0.1:${port}`;

async function health(port: number): Promise<boolean> {
  try {
    const res = await fetch(`${url(port)}/_cluster/health?wait_for_status=yellow&timeout=2s`, { signal: AbortSignal.timeout(4000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** The heap the running node was given (MB), read from its own statistics. */
async function heapOf(port: number): Promise<number> {
  const res = await fetch(`${url(port)}/_nodes/stats/jvm`, { signal: AbortSignal.timeout(4000) });
  const body = (await res.json()) as { nodes: Record<string, { jvm: { mem: { heap_max_in_bytes: number } } }> };
  const node = Object.values(body.nodes)[0];
  return node ? Math.round(node.jvm.mem.heap_max_in_bytes / 1024 / 1024) : 0;
}

function pidFile(root: string): string {
  return join(root, 'es.pid');
}

function ourPid(root: string): number | undefined {
  if (!existsSync(pidFile(root))) return undefined;
  const pid = Number(readFileSync(pidFile(root), 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  // A recycled pid is some other process: only one whose command line names our node's home is ours.
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes(resolve(root))) return undefined;
  } catch {
    /* no /proc: trust the pid file */
  }
  return pid;
}

function javaHome(): string {
  if (process.env['ES_JAVA_HOME']) return process.env['ES_JAVA_HOME'];
  const java = realpathSync(execFileSync('bash', ['-c', 'command -v java'], { encoding: 'utf8' }).trim());
  return dirname(dirname(java));
}

function extract(root: string): string {
  const home = join(root, `elasticsearch-${ES_VERSION}`);
  if (existsSync(join(home, 'bin', 'elasticsearch'))) return home;
  // Fetched the way the test services fetch it (scripts/services.sh: Maven, cached under .cache), so a fresh
  // clone needs nothing run before.
  const zip = execFileSync('bash', ['-c', 'source scripts/services.sh && es_zip'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TRIAGE_ES_VERSION: ES_VERSION } }).trim();
  if (!zip || !existsSync(zip)) throw new Error(`elasticsearch-${ES_VERSION}.zip could not be fetched (scripts/services.sh uses Maven; or copy the integ-test zip into .cache)`);
  // The same extraction the test services use (unzip, else the JDK's jar tool).
  execFileSync('bash', ['-c', 'source scripts/services.sh && es_extract "$1" "$2"', 'extract', zip, root], { stdio: 'inherit' });
  return home;
}

/** Starts the benchmark node unless it already answers; restarts it when it runs with another heap. */
export async function ensureBenchEs(opts: BenchEsOptions): Promise<BenchEsStatus> {
  const log = opts.log ?? (() => undefined);
  if (await health(opts.port)) {
    const heapMb = await heapOf(opts.port);
    if (Math.abs(heapMb - opts.heapMb) <= 64) return { url: url(opts.port), heapMb, startedHere: false };
    if (ourPid(opts.root) === undefined) {
      log(`elasticsearch on ${opts.port} runs with ${heapMb} MB of heap, not ${opts.heapMb}; it is not ours, so it is used as it is`);
      return { url: url(opts.port), heapMb, startedHere: false };
    }
    log(`elasticsearch on ${opts.port}: restarting with a ${opts.heapMb} MB heap (it had ${heapMb} MB)`);
    await stopBenchEs(opts);
  }
  mkdirSync(opts.root, { recursive: true });
  const root = resolve(opts.root);
  const home = extract(root);
  for (const d of ['data', 'logs']) mkdirSync(join(root, d), { recursive: true });
  const runAs: string[] = [];
  if (process.getuid?.() === 0) {
    // Elasticsearch refuses to run as root.
    execFileSync('bash', ['-c', `id ${ES_USER} >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin ${ES_USER}`]);
    execFileSync('chown', ['-R', ES_USER, root]);
    const gid = execFileSync('id', ['-g', ES_USER], { encoding: 'utf8' }).trim();
    runAs.push('setpriv', `--reuid=${ES_USER}`, `--regid=${gid}`, '--init-groups');
  }
  const out = openSync(join(root, 'stdout.log'), 'a');
  const args = [
    join(home, 'bin', 'elasticsearch'),
    '-E', 'discovery.type=single-node',
    '-E', 'cluster.name=triage-bench',
    '-E', 'network.host=127.0.0.1',
    '-E', `http.port=${opts.port}`,
    // Away from the shared node's transport port range.
    '-E', `transport.port=${opts.port + 100}`,
    '-E', 'xpack.security.enabled=false',
    '-E', `path.data=${join(root, 'data')}`,
    '-E', `path.logs=${join(root, 'logs')}`,
    '-E', 'cluster.routing.allocation.disk.threshold_enabled=false',
    '-E', 'action.destructive_requires_name=false',
  ];
  const [cmd, ...rest] = runAs.length ? [...runAs, ...args] : args;
  log(`elasticsearch: starting ${ES_VERSION} on 127.0.0.1:${opts.port} with a ${opts.heapMb} MB heap (${root})`);
  const child = spawn(cmd!, rest, {
    cwd: root,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ES_JAVA_HOME: javaHome(), ES_JAVA_OPTS: `-Xms${opts.heapMb}m -Xmx${opts.heapMb}m` },
  });
  child.unref();
  writeFileSync(pidFile(root), String(child.pid));
  for (let i = 0; i < 240; i++) {
    if (await health(opts.port)) return { url: url(opts.port), heapMb: await heapOf(opts.port), startedHere: true };
    if (ourPid(root) === undefined) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const tail = existsSync(join(root, 'stdout.log')) ? readFileSync(join(root, 'stdout.log'), 'utf8').split('\n').slice(-20).join('\n') : '';
  throw new Error(`the benchmark Elasticsearch did not become healthy on ${opts.port}:\n${tail}`);
}

/** Stops the node this tool started (by the pid it recorded), never any other. */
export async function stopBenchEs(opts: Pick<BenchEsOptions, 'root' | 'port' | 'log'>): Promise<void> {
  const root = resolve(opts.root);
  const pid = ourPid(root);
  if (pid === undefined) return;
  opts.log?.(`elasticsearch: stopping the benchmark node (pid ${pid})`);
  // Detached at start: the pid leads its own process group (setpriv execs into Elasticsearch's launcher and JVM).
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    process.kill(pid, 'SIGTERM');
  }
  for (let i = 0; i < 60 && ourPid(root) !== undefined; i++) await new Promise((r) => setTimeout(r, 1000));
  if (ourPid(root) !== undefined) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (let i = 0; i < 30 && (await health(opts.port)); i++) await new Promise((r) => setTimeout(r, 500));
  rmSync(pidFile(root), { force: true });
}

/**
 * Lowers (or restores) the CPU priority of the node this tool started, so loading a data set yields to
 * the other work on a shared machine; measurements run at normal priority. No-op for a node not ours.
 */
export function setBenchEsNiceness(root: string, niceness: number): void {
  const pid = ourPid(resolve(root));
  if (pid === undefined) return;
  try {
    execFileSync('renice', ['-n', String(niceness), '-g', String(pid)], { stdio: 'ignore' });
  } catch {
    /* not permitted here: carry on at the current priority */
  }
}
