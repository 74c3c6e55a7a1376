// Health checks answer within their bound whatever the service does: refused, silent, or fine.
import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createElasticClient } from '../../src/evidence/elastic/client.js';
import { elasticsearchCheck, redisHealth, runChecks } from '../../src/ops/health.js';
import { ROOT } from '../support/cli.js';
import { freePort } from '../support/net.js';
import { REDIS_URL } from '../support/redis.js';

const ELASTICSEARCH_URL = process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';
const held: Socket[] = [];
const blackHole = createTcpServer((s) => held.push(s));
const blackHolePort = new Promise<number>((r) => blackHole.listen(0, '127.0.0.1', () => r((blackHole.address() as AddressInfo).port)));
afterAll(() => {
  for (const s of held) s.destroy();
  blackHole.close();
});

describe('health checks', () => {
  it('a check that never answers fails at the bound, named, while the others report', async () => {
    const report = await runChecks({ fine: async () => ({ ok: true }), silent: () => new Promise(() => undefined), broken: async () => Promise.reject(new Error('boom')) }, 100);
    expect(report).toEqual({ status: 'degraded', checks: { fine: true, silent: false, broken: false }, problems: { silent: 'no answer within 100 ms', broken: 'check failed' } });
  });

  it('Redis: PONG from the real one; "unreachable" from a closed port, without waiting for a reconnect', async () => {
    const live = redisHealth(REDIS_URL);
    const dead = redisHealth(`redis://127.0.0.1:${await freePort()}`, false, 500);
    try {
      expect(await runChecks({ redis: live.check })).toEqual({ status: 'ok', checks: { redis: true } });
      // The bound is far above the answer: the check refuses at once instead of queueing the PING.
      expect(await runChecks({ redis: dead.check }, 10_000)).toEqual({ status: 'degraded', checks: { redis: false }, problems: { redis: 'unreachable' } });
    } finally {
      await live.close();
      await dead.close();
    }
  });

  it('Redis that accepts connections and never answers fails at the bound', async () => {
    const silent = redisHealth(`redis://127.0.0.1:${await blackHolePort}`, false, 300);
    try {
      const report = await runChecks({ redis: silent.check }, 10_000);
      expect(report.checks).toEqual({ redis: false });
    } finally {
      await silent.close();
    }
  });

  it('Elasticsearch: a size-0 search on the real one; a silent one fails at the bound, a closed port at once', async () => {
    const real = createElasticClient({ ELASTICSEARCH_URL });
    const silent = createElasticClient({ ELASTICSEARCH_URL: `http://127.0.0.1:${await blackHolePort}` });
    const closed = createElasticClient({ ELASTICSEARCH_URL: `http://127.0.0.1:${await freePort()}` });
    try {
      expect(await runChecks({ elasticsearch: elasticsearchCheck(real, 'no-such-index-*,triage-alerts') })).toEqual({ status: 'ok', checks: { elasticsearch: true } });
      expect(await runChecks({ elasticsearch: elasticsearchCheck(silent, 'x', 300) }, 10_000)).toMatchObject({ checks: { elasticsearch: false } });
      expect(await runChecks({ elasticsearch: elasticsearchCheck(closed, 'x', 300) }, 10_000)).toEqual({ status: 'degraded', checks: { elasticsearch: false }, problems: { elasticsearch: 'unreachable' } });
    } finally {
      await Promise.all([real.close(), silent.close(), closed.close()]);
    }
  });

  it("the containers' health check command: exit 0 on 200, 1 on anything else or no answer", async () => {
    let status = 200;
    const server = createHttpServer((_req, res) => res.writeHead(status).end('{}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
    // Not spawnSync: the server answering is in this process.
    const run = (u: string) => new Promise<number | null>((resolve) => spawn(process.execPath, [`${ROOT}bin/healthcheck.js`, u], { stdio: 'ignore' }).on('exit', resolve));
    try {
      expect(await run(url)).toBe(0);
      status = 503;
      expect(await run(url)).toBe(1);
      expect(await run(`http://127.0.0.1:${await freePort()}/healthz`)).toBe(1);
    } finally {
      server.close();
    }
  });
});
