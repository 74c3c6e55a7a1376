// The Okta API path through the real SDK against our fake Okta: pagination, users, factors,
// rate limits (429 with reset, spent budget) and a dead Okta.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { recogniseAlert } from '../../src/flows/recognise.js';
import { investigate } from '../../src/flows/engine.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { memorySources } from '../../src/evidence/sources.js';
import { OktaApi } from '../../src/evidence/okta-api/api.js';
import { startFakeOkta, type FakeOkta } from '../fakes/okta-server.js';
import { freePort } from '../support/net.js';
import { OKTA_SCENARIOS } from '../flows/okta-scenarios.js';

const scenario = OKTA_SCENARIOS.find((s) => s.name.startsWith('O8: mystery IP flagged'))!;
const window = { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2030-01-01T00:00:00Z') };
let fake: FakeOkta;

beforeAll(async () => {
  fake = await startFakeOkta({ events: scenario.events, users: [scenario.user] });
});
afterAll(async () => fake?.close());

function alert() {
  const o = recogniseAlert(scenario.alert);
  if (o.kind !== 'alert') throw new Error('bad alert');
  return o.alert;
}

/** Investigation with no Okta data in "Elasticsearch" (memory), so the API is the source. */
const deps = (api: OktaApi) => ({
  evidence: memorySources(new MemoryDocuments([])),
  ipClassifier: async () => {
    throw new Error('not needed');
  },
  settings: { rareDomainUserThreshold: 5, companyCidrs: [], now: () => new Date() },
  oktaApi: api,
});

describe('Okta API through the SDK', () => {
  it('follows Link pagination of the System Log', async () => {
    fake.requests.length = 0;
    const api = new OktaApi({ orgUrl: fake.url, token: fake.token });
    const events = await api.userEvents({ id: scenario.user.id }, window);
    expect(events.found.length).toBe(scenario.events.length);
    const logCalls = fake.requests.filter((r) => r.path === '/api/v1/logs');
    expect(logCalls.length).toBe(Math.ceil(scenario.events.length / 2));
    expect(logCalls[0]!.query['filter']).toBe(`actor.id eq "${scenario.user.id}"`);
    expect(logCalls.every((r) => r.auth === `SSWS ${fake.token}`)).toBe(true);
  });

  it('v3: says when its budget ends the reading, instead of cutting silently; the flow is then inconclusive', async () => {
    const api = new OktaApi({ orgUrl: fake.url, token: fake.token, maxEvents: 3 });
    const events = await api.userEvents({ id: scenario.user.id }, window);
    expect(events.found.length).toBe(3);
    expect(events.incomplete).toEqual([expect.stringMatching(/more than 3 matching events/)]);
    const v = await investigate(alert(), deps(api));
    expect([v.verdict, v.score, v.path.map((p) => p.step)]).toEqual(['inconclusive', null, ['O0']]);
    expect(v.path[0]!.evidence).toMatch(/System Log in the window is incomplete: the Okta API holds more than 3 matching events/);
  });

  it('resolves a user by login and lists enrolled factors', async () => {
    const api = new OktaApi({ orgUrl: fake.url, token: fake.token });
    expect(await api.resolveUser({ login: scenario.user.login.toUpperCase() })).toEqual({ id: scenario.user.id, login: scenario.user.login });
    expect(await api.resolveUser({ login: 'nobody@example.com' })).toBeUndefined();
    expect(await api.listFactors(scenario.user.id)).toEqual(['push', 'sms']);
  });

  it('refuses to build a filter from a malformed user id', async () => {
    fake.requests.length = 0;
    const api = new OktaApi({ orgUrl: fake.url, token: fake.token });
    const res = await api.userEvents({ id: 'x" or actor.id pr or "' }, window);
    expect(res.found).toEqual([]);
    expect(fake.requests.some((r) => r.path === '/api/v1/logs')).toBe(false);
  });

  it('waits after a 429 until the reset time, then succeeds', async () => {
    const api = new OktaApi({ orgUrl: fake.url, token: fake.token, budgetMs: 10_000 });
    fake.throttleNext(1, 1);
    const started = Date.now();
    const v = await investigate(alert(), deps(api));
    const elapsed = Date.now() - started;
    expect(v.verdict).toBe(scenario.expect.verdict);
    expect(v.score).toBe(scenario.expect.score);
    // Reset 1 s ahead, plus the SDK's 1 s clock margin.
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    const retried = fake.requests.filter((r) => r.at >= started);
    expect(retried.length).toBeGreaterThan(1);
  });

  it('waits before the next call when the limit is spent (remaining 0)', async () => {
    const api = new OktaApi({ orgUrl: fake.url, token: fake.token, budgetMs: 10_000 });
    fake.exhaustNext(2);
    await api.listFactors(scenario.user.id);
    const started = Date.now();
    await api.listFactors(scenario.user.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('gives up within the budget when Okta keeps throttling: inconclusive with the reason, no crash', async () => {
    const api = new OktaApi({ orgUrl: fake.url, token: fake.token, budgetMs: 1500, maxRetries: 1 });
    fake.throttleNext(10, 5);
    const v = await investigate(alert(), deps(api));
    fake.throttleNext(0, 1);
    expect(v.verdict).toBe('inconclusive');
    expect(v.path.at(-1)!.evidence).toMatch(/Okta System Log API failed/);
  });

  it('a dead Okta gives inconclusive with the reason in the path', async () => {
    // A port that nothing listens on.
    const port = await freePort();
    const api = new OktaApi({ orgUrl: `http://127.0.0.1:${port}`, token: 'whatever-token' });
    const v = await investigate(alert(), deps(api));
    expect(v.verdict).toBe('inconclusive');
    expect(v.score).toBeNull();
    expect(v.path).toHaveLength(1);
    expect(v.path[0]!.evidence).toMatch(/Okta System Log API failed: .*(ECONNREFUSED|connect)/i);
    expect(JSON.stringify(v)).not.toContain('whatever-token');
  });
});

describe('a hostile or broken Okta (or someone in the path)', () => {
  afterEach(() => fake.misbehave({}));;

  it('refuses a next-page link to another host: the token never leaves, the System Log answer is incomplete and the flow inconclusive', async () => {
    const elsewhere = await startCatcher();
    try {
      fake.misbehave({ nextLinkOrigin: elsewhere.url });
      const api = new OktaApi({ orgUrl: fake.url, token: fake.token });
      const events = await api.userEvents({ id: scenario.user.id }, window);
      expect(elsewhere.requests).toEqual([]);
      expect(events.found.length).toBe(2);
      expect(events.incomplete).toEqual([expect.stringMatching(/next-page link to another host than OKTA_ORG_URL: not followed/)]);
      const v = await investigate(alert(), deps(api));
      expect(elsewhere.requests).toEqual([]);
      expect([v.verdict, v.score]).toEqual(['inconclusive', null]);
      expect(v.path[0]!.evidence).toMatch(/incomplete.*another host/);
    } finally {
      await elsewhere.close();
    }
  });

  it('a link to the same host on another port is another origin: refused too', async () => {
    const elsewhere = await startCatcher();
    try {
      fake.misbehave({ nextLinkOrigin: elsewhere.url.replace('127.0.0.1', 'localhost') });
      const api = new OktaApi({ orgUrl: fake.url, token: fake.token });
      const events = await api.userEvents({ id: scenario.user.id }, window);
      expect(elsewhere.requests).toEqual([]);
      expect(events.incomplete?.length).toBe(1);
    } finally {
      await elsewhere.close();
    }
  });

  it('stops reading a page larger than the cap: incomplete, never a short "no"', async () => {
    fake.misbehave({ pageBytes: 40 * 1024 * 1024 });
    const api = new OktaApi({ orgUrl: fake.url, token: fake.token, maxPageBytes: 1024 * 1024 });
    const before = fake.requests.length;
    const events = await api.userEvents({ id: scenario.user.id }, window);
    expect(fake.requests.length - before).toBe(1);
    expect(events.found).toEqual([]);
    expect(events.incomplete).toEqual([expect.stringMatching(/a page was larger than 1048576 bytes/)]);
    const v = await investigate(alert(), deps(api));
    expect([v.verdict, v.score]).toEqual(['inconclusive', null]);
  });

  it('stops endless empty pages after a few, and says so', async () => {
    fake.misbehave({ endlessEmptyPages: true });
    const api = new OktaApi({ orgUrl: fake.url, token: fake.token, maxEmptyPages: 4 });
    const before = fake.requests.length;
    const events = await api.userEvents({ id: scenario.user.id }, window);
    expect(fake.requests.length - before).toBe(4);
    expect(events.incomplete).toEqual([expect.stringMatching(/4 empty pages in a row/)]);
  });

  it('stops after the page cap, and says so', async () => {
    const api = new OktaApi({ orgUrl: fake.url, token: fake.token, maxPages: 1 });
    const before = fake.requests.length;
    const events = await api.userEvents({ id: scenario.user.id }, window);
    expect(scenario.events.length).toBeGreaterThan(2);
    expect(fake.requests.length - before).toBe(1);
    expect(events.found.length).toBe(2);
    expect(events.incomplete).toEqual([expect.stringMatching(/more than 1 pages/)]);
  });

  it('refuses an http:// org URL outside loopback, in the adapter and in the configuration', () => {
    expect(() => new OktaApi({ orgUrl: 'http://example.okta.com', token: 't' })).toThrow(/https/);
    expect(() => new OktaApi({ orgUrl: 'http://127.0.0.1.example.com', token: 't' })).toThrow(/https/);
    expect(() => new OktaApi({ orgUrl: 'https://example.okta.com', token: 't' })).not.toThrow();
    expect(() => loadConfig({ OKTA_ORG_URL: 'http://example.okta.com', OKTA_API_TOKEN: 'secret-token' })).toThrow(/OKTA_ORG_URL: must start with https:\/\//);
    expect(loadConfig({ OKTA_ORG_URL: 'http://127.0.0.1:8080', OKTA_API_TOKEN: 'secret-token' }).OKTA_ORG_URL).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ OKTA_ORG_URL: 'https://example.okta.com', OKTA_API_TOKEN: 'secret-token' }).OKTA_ORG_URL).toBe('https://example.okta.com');
  });
});

/** A server that records whoever reaches it (and what authorisation they carried). */
async function startCatcher(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
