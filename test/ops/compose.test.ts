// docker-compose.yml: the shape operations rely on, and (where a Compose CLI exists) `docker compose config`.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../support/cli.js';

interface Compose {
  services: Record<string, { command?: string[]; image?: string; environment?: Record<string, string>; volumes?: string[]; deploy?: unknown; container_name?: string; ports?: string[] }>;
  volumes: Record<string, unknown>;
}

const compose = parse(readFileSync(`${ROOT}docker-compose.yml`, 'utf8'), { merge: true }) as Compose;

function composeCli(): string[] | undefined {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  return undefined;
}

describe('docker-compose.yml', () => {
  it('has redis with append-only persistence, single-node elasticsearch without security, app and worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'elasticsearch', 'redis', 'worker']);
    expect(compose.services['redis']!.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(compose.services['redis']!.volumes).toEqual(['redis-data:/data']);
    expect(compose.services['elasticsearch']!.environment).toMatchObject({ 'discovery.type': 'single-node', 'xpack.security.enabled': 'false' });
    expect(compose.services['elasticsearch']!.volumes?.[0]).toMatch(/^es-data:/);
    expect(compose.services['worker']!.command).toEqual(['npm', 'run', 'worker']);
    expect(compose.services['app']!.command).toEqual(['npm', 'start']);
  });

  it('lets workers scale: no fixed container name or host port on the worker', () => {
    expect(compose.services['worker']!.container_name).toBeUndefined();
    expect(compose.services['worker']!.ports).toBeUndefined();
    expect(compose.services['worker']!.environment).toMatchObject({ REDIS_URL: 'redis://redis:6379', ELASTICSEARCH_URL: 'http://elasticsearch:9200' });
    // Secrets are interpolated from the environment or .env, never written in the file.
    expect(compose.services['worker']!.environment!['SLACK_BOT_TOKEN']).toBe('${SLACK_BOT_TOKEN:-}');
  });

  const cli = composeCli();
  it.skipIf(!cli)('is accepted by `docker compose config`', () => {
    const [cmd, ...args] = cli!;
    const out = execFileSync(cmd!, [...args, '-f', `${ROOT}docker-compose.yml`, 'config', '--services'], { cwd: ROOT, encoding: 'utf8' });
    expect(out.split('\n').filter(Boolean).sort()).toEqual(['app', 'elasticsearch', 'redis', 'worker']);
  });
});
