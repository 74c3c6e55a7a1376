// `triage update-ip-ranges` against a local stand-in for AWS's endpoint.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, ROOT } from '../support/cli.js';

const sample = readFileSync(`${ROOT}samples/aws-ip-ranges.sample.json`, 'utf8');
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ip-ranges.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(sample);
    }
    if (req.url === '/broken.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"not": "ranges"}');
    }
    res.writeHead(503).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('triage update-ip-ranges', () => {
  it('downloads, validates and writes the ranges file', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'ranges-')), 'nested', 'ip-ranges.json');
    const res = await runCli(['update-ip-ranges'], { AWS_IP_RANGES_URL: `${base}/ip-ranges.json`, AWS_IP_RANGES_FILE: target });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/wrote .*ip-ranges\.json: \d+ prefixes \(createDate 2026-08-22-21-17-05\)/);
    expect(readFileSync(target, 'utf8')).toBe(sample);
  });

  it('keeps the old file when the download is not a ranges document or fails', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'ranges-')), 'ip-ranges.json');
    const bad = await runCli(['update-ip-ranges'], { AWS_IP_RANGES_URL: `${base}/broken.json`, AWS_IP_RANGES_FILE: target });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/not an AWS ip-ranges.json document/);
    const down = await runCli(['update-ip-ranges'], { AWS_IP_RANGES_URL: `${base}/missing`, AWS_IP_RANGES_FILE: target });
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/HTTP 503/);
    expect(existsSync(target)).toBe(false);
  });
});
