// Fault: Okta slow and failing. The Okta flow falls back to the Okta API when Elasticsearch holds no System Log
// for the user; here the API (the fake Okta behind a proxy the test controls) hangs past the budget, answers
// 500, or keeps answering 429 with a reset beyond the budget. Each time the investigation ends in bounded time
// with `inconclusive` and the reason in its decision path, delivered once to the alert's thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OktaApi } from '../../src/evidence/okta-api/api.js';
import { alertKey } from '../../src/queue/state.js';
import { startFakeOkta, type FakeOkta } from '../fakes/okta-server.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { OKTA_SCENARIOS } from '../flows/okta-scenarios.js';
import { shownText } from '../support/blocks.js';
import { cliEnv } from '../support/cli.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { printFigures, seconds, startFaultApp, startInProcessWorker, threadRecord, type FaultApp, type InProcessWorker } from '../support/fault-app.js';
import { startFaultyHttp, type FaultyHttp } from '../support/http-faults.js';
import { testRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

// The API client's budget per request (production: 30 s), small so a hung Okta costs seconds here.
const BUDGET_MS = 1500;
const scenario = OKTA_SCENARIOS.find((s) => s.name.startsWith('O8: mystery IP flagged'))!;
const oktaAlert = (id: string) => ({ ...scenario.alert, id });

const redis = testRedis('faults-okta');
let fake: FakeSlack;
let okta: FakeOkta;
let faulty: FaultyHttp;
let cluster: TestCluster;
let app: FaultApp;
let worker: InProcessWorker;

beforeAll(async () => {
  [fake, okta, cluster] = await Promise.all([startFakeSlack({ responders: [] }), startFakeOkta({ events: scenario.events, users: [scenario.user] }), testCluster()]);
  faulty = await startFaultyHttp(okta.url);
  app = await startFaultApp({ fake, connection: redis.connection, prefix: redis.prefix, elasticsearchUrl: ELASTICSEARCH_URL, indices: cluster.indices });
  worker = startInProcessWorker({
    connection: redis.connection,
    prefix: redis.prefix,
    fake,
    env: { ...cliEnv(cluster, ELASTICSEARCH_URL), OKTA_ORG_URL: faulty.url, OKTA_API_TOKEN: okta.token },
    adjust: (engine) => ({ ...engine, oktaApi: new OktaApi({ orgUrl: faulty.url, token: okta.token, budgetMs: BUDGET_MS }) }),
  });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await app?.close();
  await redis.cleanup();
  await faulty?.close();
  await Promise.all([fake?.close(), okta?.close(), cluster?.cleanup()]);
});

/** Posts the alert and waits for its verdict message; the time it took and the Okta requests it made. */
async function investigate(id: string) {
  const from = faulty.requests.length;
  const started = Date.now();
  const thread = await app.postAlert(oktaAlert(id));
  const record = await waitFor(`the verdict of ${id}`, () => {
    const r = threadRecord(fake, thread);
    return r.verdictMessages.length > 0 ? r : undefined;
  }, { timeoutMs: 40_000 });
  const elapsed = Date.now() - started;
  const state = await app.state.get(alertKey(id));
  const shown = shownText(record.verdictDeliveries.at(-1)!.args['blocks']);
  return { record, elapsed, state, shown, requests: faulty.requests.slice(from) };
}

describe('Okta slow and failing', () => {
  const figures: Record<string, string | number> = {};
  let alerts = 0;
  let verdicts = 0;
  let duplicates = 0;
  const tally = (r: Awaited<ReturnType<typeof investigate>>) => {
    alerts++;
    verdicts += r.record.verdictMessages.length > 0 ? 1 : 0;
    duplicates += r.record.verdictMessages.length - 1 + (r.record.verdictDeliveries.length - 1);
  };

  it('healthy Okta: the API path gives the scenario verdict (the control)', async () => {
    faulty.fault = { kind: 'pass' };
    const r = await investigate('okta-fault-control');
    tally(r);
    expect(r.state?.verdict?.verdict).toBe(scenario.expect.verdict);
    expect(r.state?.verdict?.score).toBe(scenario.expect.score);
    expect(r.requests.length).toBeGreaterThan(0);
    figures['healthy: verdict, time'] = `${r.state?.verdict?.verdict} ${r.state?.verdict?.score}, ${seconds(r.elapsed)}`;
  });

  let hung: Awaited<ReturnType<typeof investigate>> | undefined;

  it('Okta hangs past the budget: inconclusive, the timeout named in the path, every request given up', async () => {
    faulty.fault = { kind: 'hold' };
    const r = await investigate('okta-fault-hang');
    hung = r;
    tally(r);
    expect(r.state?.verdict?.verdict).toBe('inconclusive');
    expect(r.state?.verdict?.score).toBeNull();
    expect(r.state?.verdict?.path.at(-1)?.evidence).toMatch(/Okta System Log API failed: .*timed out/i);
    expect(r.shown).toContain('Okta System Log API failed');
    // Okta never answered: every request was dropped by the client at its budget, none is still waiting.
    expect(r.requests.length).toBeGreaterThan(0);
    expect(r.requests.every((q) => q.outcome === 'held')).toBe(true);
    await waitFor('the held requests abandoned', () => faulty.held === 0);
    expect(r.record.verdictMessages).toHaveLength(1);
    figures['hung Okta: Okta requests, time to verdict'] = `${r.requests.length} × ${BUDGET_MS / 1000} s budget, ${seconds(r.elapsed)}`;
  });

  // BUG (reported): a timeout's reason is the HTTP client's raw message, "network timeout at: <Okta URL with
  // path and query>", written into the verdict's path, the Slack message and the audit. SECURITY.md: errors
  // shown in Slack name the service, never addresses. Source: src/flows/okta/gather.ts, message(err).
  it('the reason shown in Slack names Okta, never its address', () => {
    expect(hung).toBeDefined();
    const where = new URL(faulty.url).host;
    expect(hung!.shown).toContain('Okta');
    expect(hung!.shown).not.toContain(where);
    expect(JSON.stringify(hung!.state?.verdict)).not.toContain(where);
  });

  it('Okta answers 500: inconclusive at once with the status in the path', async () => {
    faulty.fault = { kind: 'status', status: 500, body: { errorCode: 'E0000009', errorSummary: 'Internal Server Error', errorCauses: [] } };
    const r = await investigate('okta-fault-500');
    tally(r);
    expect(r.state?.verdict?.verdict).toBe('inconclusive');
    expect(r.state?.verdict?.path.at(-1)?.evidence).toMatch(/Okta System Log API failed: .*500/);
    expect(r.requests.every((q) => q.outcome === 500)).toBe(true);
    expect(r.record.verdictMessages).toHaveLength(1);
    figures['Okta 500: Okta requests, time to verdict'] = `${r.requests.length}, ${seconds(r.elapsed)}`;
  });

  it('Okta keeps answering 429 with a reset beyond the budget: inconclusive without waiting it out', async () => {
    faulty.fault = { kind: 'pass' };
    okta.throttleNext(1000, 120);
    const r = await investigate('okta-fault-429');
    okta.throttleNext(0, 1);
    tally(r);
    expect(r.state?.verdict?.verdict).toBe('inconclusive');
    expect(r.state?.verdict?.path.at(-1)?.evidence).toMatch(/Okta System Log API failed: .*(429|rate limit)/i);
    expect(r.record.verdictMessages).toHaveLength(1);
    figures['Okta 429 (reset in 120 s): Okta requests, time to verdict'] = `${r.requests.length}, ${seconds(r.elapsed)}`;
  });

  afterAll(() => {
    printFigures('Okta slow and failing', { 'alerts in': alerts, 'verdicts out': verdicts, 'duplicate verdict messages or deliveries': duplicates, ...figures });
  });
});
