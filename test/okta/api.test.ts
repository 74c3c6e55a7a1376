// The Okta API path through the real SDK against our fake Okta: pagination, users, factors,
// rate limits (429 with reset, spent budget) and a dead Okta.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recogniseAlert } from '../../src/alerts/parse.js';
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
