// A second Elasticsearch node that refuses expensive queries (search.allow_expensive_queries: false), as
// hardened production clusters do. `npm test` starts it with the others (scripts/services.sh); a suite run
// alone starts its own on a free port and stops it afterwards.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './net.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../scripts/services.sh', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface StrictNode {
  url: string;
  stop(): Promise<void>;
}

async function refusesExpensive(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_cluster/settings?include_defaults=true&flat_settings=true`, { signal: AbortSignal.timeout(3000) });
    const s = (await res.json()) as Record<string, Record<string, unknown> | undefined>;
    const v = s['transient']?.['search.allow_expensive_queries'] ?? s['persistent']?.['search.allow_expensive_queries'] ?? s['defaults']?.['search.allow_expensive_queries'];
    return String(v) === 'false';
  } catch {
    return false;
  }
}

export async function strictNode(): Promise<StrictNode> {
  const given = process.env['ELASTICSEARCH_STRICT_URL'];
  if (given && (await refusesExpensive(given))) return { url: given, stop: async () => undefined };
  const url = `http://127.0.0.1:${await freePort()}`;
  const { stdout } = await run('bash', [SCRIPT, 'strict-up'], { cwd: ROOT, env: { ...process.env, ELASTICSEARCH_STRICT_URL: url }, timeout: 240_000 });
  const [, pid, home] = stdout.trim().split(/\s+/);
  return {
    url,
    stop: async () => {
      await run('bash', [SCRIPT, 'strict-down', pid ?? '-', home ?? '-'], { cwd: ROOT, timeout: 60_000 });
    },
  };
}
