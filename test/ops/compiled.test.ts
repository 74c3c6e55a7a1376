// Production runs compiled JavaScript: `tsc -p tsconfig.build.json` (what `npm run build` runs) into a directory
// laid out as the Docker image is (dist/, bin/, samples/, package.json; no src/, so bin/triage.js takes dist),
// then the compiled entry points start under plain node — no tsx: the CLI answers, the Slack app and the
// worker load their whole module graph and stop at their first missing setting, and a picture renderer
// process started from dist/ draws a PNG.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

const run = promisify(execFile);
// Inside the checkout, so the compiled modules find its node_modules as the image's find /app/node_modules.
const image = join(ROOT, '.cache', `compiled-${randomBytes(4).toString('hex')}`);
const dist = join(image, 'dist');

/** Runs node in the image directory with a bare environment; never throws on a non-zero exit. */
function node(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: image, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const filesUnder = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

beforeAll(async () => {
  mkdirSync(image, { recursive: true });
  await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', dist], { cwd: ROOT });
  cpSync(join(ROOT, 'bin'), join(image, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(image, 'package.json'));
  symlinkSync(join(ROOT, 'samples'), join(image, 'samples'));
}, 600_000);
afterAll(() => rmSync(image, { recursive: true, force: true }));

describe('the compiled build', () => {
  it('emits JavaScript with source maps for every entry point, and no module imports tsx', () => {
    for (const entry of ['app/main.js', 'worker/main.js', 'cli/main.js', 'pictures/renderer.js']) {
      expect(existsSync(join(dist, entry))).toBe(true);
      expect(existsSync(join(dist, `${entry}.map`))).toBe(true);
    }
    const importsTsx = filesUnder(dist).filter((f) => f.endsWith('.js') && /(?:from|import\()\s*['"]tsx/.test(readFileSync(f, 'utf8')));
    expect(importsTsx).toEqual([]);
  });

  it('bin/triage.js runs the compiled CLI where there are no sources (the image): help, config check, the demo', async () => {
    const help = await node(['bin/triage.js', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage:\n {2}triage investigate/);
    const check = await node(['bin/triage.js', 'config', 'check']);
    expect(check.stdout).toContain('Settings (environment and .env; secrets redacted):');
    expect(check.stdout).toContain('SLACK_BOT_TOKEN');
    expect(check.code).toBe(3);
    const demo = await node(['bin/triage.js', 'demo']);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('demo-aws-vps');
  }, 120_000);

  it('the Slack app and the worker load compiled and stop at their first missing setting', async () => {
    for (const entry of ['dist/app/main.js', 'dist/worker/main.js']) {
      const started = await node([entry]);
      expect(started.stderr).toMatch(/SLACK_BOT_TOKEN/);
      expect(started.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|ERR_UNKNOWN_FILE_EXTENSION|SyntaxError/);
      expect(started.code).toBe(3);
    }
  }, 120_000);

  it('a picture renderer started from dist/ draws the PNG', async () => {
    const script = `
      import { loadDemo } from './dist/cli/demo.js';
      import { investigate } from './dist/flows/engine.js';
      import { PicturePool } from './dist/pictures/pool.js';
      const { alerts, deps } = await loadDemo();
      const alert = alerts.find((a) => a.id === 'demo-aws-vps');
      const pool = new PicturePool();
      const out = await pool.render({ verdict: await investigate(alert, deps), alertTime: alert.time });
      process.stdout.write(JSON.stringify({ signature: out.png.subarray(0, 8).toString('hex'), bytes: out.png.length, renderers: pool.counts.renderers_started, other: pool.pids[0] !== process.pid }));
      await pool.close();
    `;
    const res = await node(['--input-type=module', '-e', script]);
    expect(res.stderr).toBe('');
    const out = JSON.parse(res.stdout) as { signature: string; bytes: number; renderers: number; other: boolean };
    expect(out).toMatchObject({ signature: '89504e470d0a1a0a', renderers: 1, other: true });
    expect(out.bytes).toBeGreaterThan(20_000);
  }, 120_000);
});
