// Fault: the Socket Mode connection drops. Slack delivers nothing while the app is disconnected, and the client
// reconnects by itself a few seconds later (clientPingTimeout × attempts). Alerts posted in between are only in the
// channel: the catch-up, triggered by every (re)connection, reads them back and queues each once.
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Audit } from '../../src/audit/audit.js';
import { createElasticClient } from '../../src/evidence/elastic/client.js';
import { elasticSources } from '../../src/evidence/sources.js';
import { Metrics } from '../../src/ops/metrics.js';
import { createSlackApp } from '../../src/app/app.js';
import { createAlertIntake } from '../../src/app/alert-intake.js';
import { catchUpOnEveryConnection, startCatchUp, type RunningCatchUp } from '../../src/app/catch-up/wiring.js';
import { socketModeClientOf } from '../../src/app/socket-client.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { cliEnv } from '../support/cli.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { ALERT_CHANNEL, printFigures, seconds, startInProcessWorker, threadRecord, type InProcessWorker, type ThreadRecord } from '../support/fault-app.js';
import { testRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const KEY = 'ASIASOCKETDROP00001';
const awsAlert = (id: string) => ({ id, type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: KEY, instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1' });

const redis = testRedis('faults-socket');
let fake: FakeSlack;
let cluster: TestCluster;
let wss: WebSocketServer;
let socket: WebSocket | undefined;
let connections = 0;
let app: App;
let catchUp: RunningCatchUp;
let worker: InProcessWorker;
const es = createElasticClient({ ELASTICSEARCH_URL });

beforeAll(async () => {
  [fake, cluster] = await Promise.all([startFakeSlack({ responders: [] }), testCluster()]);
  const report = await cluster.load([keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }), keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux })]);
  expect(report.rejected).toEqual([]);
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.on('listening', () => r()));
  fake.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link/?ticket=t1`;
  wss.on('connection', (ws) => {
    socket = ws;
    connections++;
    ws.on('message', () => undefined);
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0APP' }, debug_info: { host: 'fake' } }));
  });
  const settings = { mode: 'socket' as const, botToken: 'xoxb-socket', appToken: 'xapp-socket-token', apiUrl: fake.apiUrl, alertChannels: [ALERT_CHANNEL], alertPosters: [], responderUsers: [], logLevel: 'error' as const };
  const { queue, state, connection, prefix } = redis;
  const intake = createAlertIntake(settings, { queue, state, marks: state.marks, log: () => undefined });
  const metrics = new Metrics(queue);
  catchUp = startCatchUp({ CATCHUP_INTERVAL_SECONDS: 3600, CATCHUP_LOOKBACK_HOURS: 24, CATCHUP_MAX_MESSAGES: 500, CATCHUP_PAGE_SIZE: 200, QUEUE_PREFIX: prefix }, settings, intake, connection, metrics, () => undefined);
  app = createSlackApp(settings, {
    queue,
    state,
    alerts: elasticSources(es, cluster.indices).alerts,
    audit: new Audit(es, { verdicts: cluster.indices.verdicts, dispositions: cluster.indices.dispositions }),
    metrics,
    log: () => undefined,
    intake,
    catchUp: catchUp.catchUp,
  });
  // As src/app/main.ts wires it.
  catchUpOnEveryConnection(socketModeClientOf(app), catchUp.catchUp);
  await app.start();
  catchUp.start();
  worker = startInProcessWorker({ connection, prefix, fake, env: cliEnv(cluster, ELASTICSEARCH_URL) });
}, 60_000);

afterAll(async () => {
  catchUp?.stop();
  await worker?.close();
  await app?.stop();
  await new Promise<void>((r) => wss.close(() => r()));
  await redis.cleanup();
  await es.close();
  await Promise.all([fake?.close(), cluster?.cleanup()]);
});

let envelopeSeq = 0;
/** An alert posted in the channel and delivered over the socket, as Slack does while connected. */
function postLive(id: string): string {
  const ts = fake.postToChannel(ALERT_CHANNEL, { subtype: 'bot_message', bot_id: 'B0SIEM', text: JSON.stringify(awsAlert(id)) });
  socket!.send(
    JSON.stringify({
      envelope_id: `env-${++envelopeSeq}`,
      type: 'events_api',
      accepts_response_payload: false,
      payload: { type: 'event_callback', team_id: 'T0TEAM', api_app_id: 'A0APP', event_id: `EvS${envelopeSeq}`, event_time: 1, event: { type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: ALERT_CHANNEL, ts, text: JSON.stringify(awsAlert(id)) } },
    }),
  );
  return ts;
}

const verdicts = (threads: string[]) =>
  waitFor(
    `${threads.length} verdicts`,
    () => {
      const r = threads.map((ts) => threadRecord(fake, ts));
      return r.every((x) => x.verdictMessages.length > 0) ? r : undefined;
    },
    { timeoutMs: 60_000 },
  );
const duplicates = (records: ThreadRecord[]) => records.reduce((n, r) => n + r.verdictMessages.length - 1 + r.verdictDeliveries.length - 1, 0);

describe('a Socket Mode disconnect with alerts in between', () => {
  it('alerts posted while the socket is down are found by the catch-up after the reconnect, each once', async () => {
    await waitFor('connected and a first catch-up', () => socket && catchUp.catchUp.last);
    const live = [postLive('socket-drop-live-1'), postLive('socket-drop-live-2')];
    await verdicts(live);

    // The connection drops; until the client is back, Slack delivers nothing.
    const runsBefore = catchUp.catchUp.counters.runs;
    socket!.terminate();
    socket = undefined;
    const dropped = Date.now();
    const between = ['socket-drop-gap-1', 'socket-drop-gap-2', 'socket-drop-gap-3'].map((id) => fake.postToChannel(ALERT_CHANNEL, { subtype: 'bot_message', bot_id: 'B0SIEM', text: JSON.stringify(awsAlert(id)) }));
    await waitFor('the client reconnected', () => socket !== undefined && connections === 2, { timeoutMs: 20_000 });
    const reconnected = Date.now();
    const records = await verdicts(between);
    const lastVerdict = Date.now();
    const report = await waitFor('the catch-up after the reconnect', () => catchUp.catchUp.counters.runs > runsBefore && catchUp.catchUp.last);
    expect(report.reason).toBe('socket connected');
    expect(report.channels[0]).toMatchObject({ queued: 3, errors: 0 });
    for (const r of records) expect(r.verdictMessages).toHaveLength(1);
    const all = [...records, ...live.map((ts) => threadRecord(fake, ts))];
    expect(duplicates(all)).toBe(0);
    // A live alert after the reconnect is answered as before.
    const after = postLive('socket-drop-after');
    expect(duplicates(await verdicts([after]))).toBe(0);
    printFigures('A Socket Mode disconnect with alerts in between', {
      'alerts live before the drop': live.length,
      'alerts posted while disconnected': between.length,
      'drop → reconnected (the client waits clientPingTimeout, 5 s)': seconds(reconnected - dropped),
      'found by the catch-up on reconnect (queued / already claimed)': `${report.channels[0]!.queued} / ${report.channels[0]!.alreadyClaimed}`,
      'reconnected → last verdict': seconds(lastVerdict - reconnected),
      'verdicts out (before, between, after)': `${live.length} + ${records.length} + 1`,
      'duplicate verdict messages or deliveries': duplicates(all),
    });
  }, 120_000);
});
