// The Elasticsearch client fails at once when nobody is there (connection refused, unknown host), so an
// investigation attempt ends within about a second and the queue's retries carry it over the downtime; a
// live node's 503 and a connection it cuts are still retried within the request, as before.
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchedSearch } from '../../src/evidence/elastic/batch.js';
import { createElasticClient, ElasticsearchUnreachableError } from '../../src/evidence/elastic/client.js';
import { publicReason } from '../../src/ops/public-error.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { startFaultyHttp, type FaultyHttp } from '../support/http-faults.js';
import { freePort } from '../support/net.js';
import { hostPort } from '../support/tcp-proxy.js';

let cluster: TestCluster;
let faulty: FaultyHttp;

beforeAll(async () => {
  [cluster, faulty] = await Promise.all([testCluster(), startFaultyHttp(ELASTICSEARCH_URL)]);
  await cluster.es.indices.create({ index: cluster.indices.alerts });
}, 60_000);

afterAll(async () => {
  await faulty?.close();
  await cluster?.cleanup();
});

/** How long the promise took to settle, and its error if it failed. */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; error?: unknown }> {
  const started = Date.now();
  try {
    await work();
    return { ms: Date.now() - started };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

describe('Elasticsearch client: nobody there fails at once', () => {
  it('a refused connection fails the search without the retries that took seconds, and reads as unreachable', async () => {
    const es = createElasticClient({ ELASTICSEARCH_URL: `http://127.0.0.1:${await freePort()}` });
    const { ms, error } = await timed(() => es.search({ index: 'any' }));
    expect(error).toBeInstanceOf(ElasticsearchUnreachableError);
    expect(publicReason(error)).toBe('Elasticsearch unreachable');
    // Generous on a busy machine; the client's own backoff waited 1–2 s and then 2–4 s before giving up (3 s at least).
    expect(ms).toBeLessThan(2500);
  });

  it('an unknown host fails at once too', async () => {
    const es = createElasticClient({ ELASTICSEARCH_URL: 'http://elasticsearch.invalid:9200' });
    const { ms, error } = await timed(() => es.search({ index: 'any' }));
    expect(error).toBeInstanceOf(ElasticsearchUnreachableError);
    expect(ms).toBeLessThan(2500);
  });

  it('a batch of searches (one _msearch) against a refused port fails each search at once', async () => {
    const es = createElasticClient({ ELASTICSEARCH_URL: `http://127.0.0.1:${await freePort()}` });
    const { ms } = await timed(async () => {
      const settled = await Promise.allSettled([batchedSearch(es, 'a', { size: 0 }), batchedSearch(es, 'b', { size: 0 })]);
      for (const s of settled) expect(s.status === 'rejected' && s.reason instanceof ElasticsearchUnreachableError).toBe(true);
    });
    expect(ms).toBeLessThan(2500);
  });
});

describe('Elasticsearch client: a live node still gets its retries', () => {
  it('a 503 from the node is retried and the search answers', async () => {
    const es = createElasticClient({ ELASTICSEARCH_URL: faulty.url });
    const before = faulty.requests.length;
    faulty.fault = { kind: 'status', status: 503, body: { error: { type: 'unavailable_shards_exception' }, status: 503 }, path: '/', times: 1 };
    const res = await es.search({ index: cluster.indices.alerts, size: 0 });
    expect(res.hits.hits).toEqual([]);
    const outcomes = faulty.requests.slice(before).map((r) => r.outcome);
    expect(outcomes).toEqual([503, 'passed']);
    await es.close();
  });

  it('a connection the node cuts mid-request is retried and the search answers', async () => {
    // A node that closes the first connection as soon as a request arrives, then forwards the rest.
    let cut = 0;
    const target = hostPort(ELASTICSEARCH_URL);
    const open = new Set<Socket>();
    const server = createTcpServer((client) => {
      open.add(client);
      client.on('close', () => open.delete(client));
      if (cut++ === 0) {
        client.once('data', () => client.destroy());
        return;
      }
      const upstream = connect(target.port, target.host);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const es = createElasticClient({ ELASTICSEARCH_URL: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
    try {
      const res = await es.search({ index: cluster.indices.alerts, size: 0 });
      expect(res.hits.hits).toEqual([]);
      expect(cut).toBe(2);
    } finally {
      await es.close();
      for (const s of open) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
