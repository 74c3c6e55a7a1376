// docker-compose.yml and the Dockerfile: the shape operations rely on, and (where a Compose CLI exists) what
// `docker compose config` makes of it with a .env holding every setting of docs/configuration.md's table.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, SETTING_NAMES } from '../../src/config.js';
import { ROOT } from '../support/cli.js';

interface Service {
  command?: string[];
  image?: string;
  environment?: Record<string, string>;
  env_file?: string | string[];
  volumes?: string[];
  deploy?: unknown;
  container_name?: string;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  init?: boolean;
  restart?: string;
}

interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const compose = parse(readFileSync(`${ROOT}docker-compose.yml`, 'utf8'), { merge: true }) as Compose;
const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string>; dependencies?: Record<string, string> };
const svc = (name: string): Service => compose.services[name]!;
const envFiles = (s: Service): string[] => (s.env_file === undefined ? [] : Array.isArray(s.env_file) ? s.env_file : [s.env_file]);

/** Every setting named in docs/configuration.md's table. */
export function readmeSettings(): string[] {
  const section = readFileSync(`${ROOT}docs/configuration.md`, 'utf8');
  const names = section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .flatMap((l) => [...(l.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
  return [...new Set(names)];
}

/** Settings the compose file fixes on purpose: the addresses inside the stack, the ranges file, the container ports. */
const FIXED_IN_COMPOSE = ['ELASTICSEARCH_URL', 'REDIS_URL', 'AWS_IP_RANGES_FILE', 'PORT', 'OPS_PORT', 'WORKER_PORT'];

function composeCli(): string[] | undefined {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  return undefined;
}

describe('the configuration table in docs/configuration.md', () => {
  it('names every setting the code reads, and no other', () => {
    expect(readmeSettings().sort()).toEqual([...SETTING_NAMES].sort());
  });
});

describe('docker-compose.yml', () => {
  it('has redis (append-only, never evicting), single-node elasticsearch without security, the ranges init service, app and worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'elasticsearch', 'ip-ranges', 'redis', 'worker']);
    expect(svc('redis').command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    const redisCmd = svc('redis').command!;
    expect(redisCmd[redisCmd.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    expect(svc('redis').volumes).toEqual(['redis-data:/data']);
    expect(svc('elasticsearch').environment).toMatchObject({ 'discovery.type': 'single-node', 'xpack.security.enabled': 'false' });
    expect(svc('elasticsearch').volumes?.[0]).toMatch(/^es-data:/);
  });

  it('runs node itself on the compiled JavaScript in the containers, as the npm scripts do (npm does not pass SIGTERM on)', () => {
    expect(svc('app').command).toEqual(['node', 'dist/app/main.js']);
    expect(svc('worker').command).toEqual(['node', 'dist/worker/main.js']);
    expect(pkg.scripts['start']).toBe(svc('app').command!.join(' '));
    expect(pkg.scripts['worker']).toBe(svc('worker').command!.join(' '));
    for (const name of ['app', 'worker']) {
      expect(svc(name).init).toBe(true);
      // Longer than the processes' own bound (SHUTDOWN_TIMEOUT_MS), so they end on their own.
      expect(Number(/^(\d+)s$/.exec(svc(name).stop_grace_period ?? '')?.[1]) * 1000).toBeGreaterThan(loadConfig({}).SHUTDOWN_TIMEOUT_MS);
    }
  });

  it('passes every setting from .env to the app, the workers and the init service; fixes only the stack-internal ones', () => {
    for (const name of ['app', 'worker', 'ip-ranges']) {
      expect(envFiles(svc(name))).toEqual(['.env']);
      const env = svc(name).environment ?? {};
      expect(Object.keys(env).every((k) => FIXED_IN_COMPOSE.includes(k))).toBe(true);
      // No ${VAR} passthrough: a list of those is what used to drop settings silently.
      expect(Object.values(env).some((v) => String(v).includes('${'))).toBe(false);
    }
    expect(FIXED_IN_COMPOSE.every((k) => readmeSettings().includes(k))).toBe(true);
  });

  it('gets AWS ranges into a volume the app and workers read: the init service writes it, they start after it', () => {
    const rangesFile = svc('app').environment!['AWS_IP_RANGES_FILE']!;
    for (const name of ['app', 'worker', 'ip-ranges']) {
      expect(svc(name).environment!['AWS_IP_RANGES_FILE']).toBe(rangesFile);
      const mount = svc(name).volumes?.find((v) => v.startsWith('ip-ranges:'));
      expect(mount && rangesFile.startsWith(`${mount.split(':')[1]}/`)).toBe(true);
    }
    expect(svc('ip-ranges').command!.join(' ')).toContain('bin/triage.js update-ip-ranges');
    expect(svc('ip-ranges').restart).toBe('no');
    for (const name of ['app', 'worker']) expect(svc(name).depends_on?.['ip-ranges']).toEqual({ condition: 'service_completed_successfully' });
    // The named volume starts as a copy of the image's directory: it must exist there, owned by the user that writes.
    const dir = svc('app').volumes!.find((v) => v.startsWith('ip-ranges:'))!.split(':')[1]!;
    const chown = dockerfile.indexOf(`chown node:node ${dir}`);
    expect(chown).toBeGreaterThan(-1);
    expect(chown).toBeLessThan(dockerfile.indexOf('USER node'));
  });

  it('checks the health of app and worker on their ops ports, never on the port published for Slack', () => {
    expect(svc('app').healthcheck?.test).toEqual(['CMD', 'node', 'bin/healthcheck.js', `http://127.0.0.1:${svc('app').environment!['OPS_PORT']}/healthz`]);
    expect(svc('app').environment!['OPS_PORT']).not.toBe(svc('app').environment!['PORT']);
    expect(svc('worker').healthcheck?.test).toEqual(['CMD', 'node', 'bin/healthcheck.js', `http://127.0.0.1:${svc('worker').environment!['WORKER_PORT']}/healthz`]);
    expect(svc('app').ports).toEqual([`127.0.0.1:3000:${svc('app').environment!['PORT']}`]);
  });

  it('lets workers scale: no fixed container name or host port on the worker', () => {
    expect(svc('worker').container_name).toBeUndefined();
    expect(svc('worker').ports).toBeUndefined();
    expect(svc('worker').environment).toMatchObject({ REDIS_URL: 'redis://redis:6379', ELASTICSEARCH_URL: 'http://elasticsearch:9200' });
  });

  it('publishes nothing on the host ports the tests use (Elasticsearch 9200, Redis 6379)', () => {
    const hostPorts = Object.values(compose.services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':').at(-2)));
    expect(hostPorts).not.toContain('9200');
    expect(hostPorts).not.toContain('6379');
  });

  it('builds on Node 22 LTS in two stages and runs the compiled JavaScript with node directly, without tsx', () => {
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.map((s) => s.split('\n')[0])).toEqual(['node:22-bookworm-slim AS build', 'node:22-bookworm-slim']);
    const [build, runtime] = stages as [string, string];
    expect(build).toMatch(/^RUN npm ci --no-audit --no-fund$/m);
    expect(build).toMatch(/^RUN npm run build$/m);
    // The runtime image: production dependencies, the compiled output and no sources.
    expect(runtime).toMatch(/^RUN npm ci --omit=dev /m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(runtime).not.toMatch(/^COPY src/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/app\/main\.js"\]$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toContain('tsx');
    expect(Object.keys(pkg.dependencies ?? {})).not.toContain('tsx');
  });

  const cli = composeCli();
  it.skipIf(!cli)('`docker compose config` hands every documented setting in .env to app and worker (fixed ones excepted)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    copyFileSync(`${ROOT}docker-compose.yml`, join(dir, 'docker-compose.yml'));
    copyFileSync(`${ROOT}Dockerfile`, join(dir, 'Dockerfile'));
    const settings = readmeSettings();
    expect(settings.length).toBeGreaterThan(40);
    writeFileSync(join(dir, '.env'), settings.map((s) => `${s}=from-dotenv-${s.toLowerCase()}`).join('\n'));
    const [cmd, ...args] = cli!;
    const resolved = parse(execFileSync(cmd!, [...args, 'config'], { cwd: dir, encoding: 'utf8' })) as Compose;
    expect(Object.keys(resolved.services).sort()).toEqual(['app', 'elasticsearch', 'ip-ranges', 'redis', 'worker']);
    for (const name of ['app', 'worker']) {
      const env = resolved.services[name]!.environment ?? {};
      const missing = settings.filter((s) => !FIXED_IN_COMPOSE.includes(s) && env[s] !== `from-dotenv-${s.toLowerCase()}`);
      expect(missing).toEqual([]);
      expect(env['REDIS_URL']).toBe('redis://redis:6379');
      expect(env['ELASTICSEARCH_URL']).toBe('http://elasticsearch:9200');
    }
    expect(resolved.services['app']!.environment!['PORT']).toBe('3000');
    expect(resolved.services['worker']!.environment!['WORKER_PORT']).toBe('3001');
  });
});
