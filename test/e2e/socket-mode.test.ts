// Socket Mode, the default: the real Bolt app opens its connection through the (fake) Web API and
// receives events and commands over a WebSocket of ours, acknowledging each envelope.
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Audit } from '../../src/audit/audit.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { MemoryAlertLookup } from '../../src/evidence/memory/alerts.js';
import { Metrics } from '../../src/ops/metrics.js';
import { alertKey } from '../../src/queue/state.js';
import { testRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { createSlackApp } from '../../src/app/app.js';
import { createElasticClient } from '../../src/evidence/elastic/client.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';

let fake: FakeSlack;
let wss: WebSocketServer;
let socket: WebSocket | undefined;
let app: App;
const acks = new Map<string, unknown>();
const redis = testRedis('sm');
const { queue, state } = redis;

beforeAll(async () => {
  fake = await startFakeSlack(['U0RESPONDER']);
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.on('listening', () => r()));
  fake.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link/?ticket=t1`;
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { envelope_id: string; payload?: unknown };
      acks.set(msg.envelope_id, msg.payload ?? {});
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0APP' }, debug_info: { host: 'fake' } }));
  });
  app = createSlackApp(
    { mode: 'socket', botToken: 'xoxb-socket', appToken: 'xapp-socket-token', apiUrl: fake.apiUrl, alertChannels: ['C0ALERTS'], alertPosters: [], responderUsers: [], responderUsergroup: 'S0RESP', logLevel: 'error' },
    {
      queue,
      state,
      alerts: new MemoryAlertLookup(new MemoryDocuments([])),
      audit: new Audit(createElasticClient({ ELASTICSEARCH_URL: 'http://127.0.0.1:9' }), { verdicts: 'v', dispositions: 'd' }),
      metrics: new Metrics(queue),
      log: () => undefined,
    },
  );
  await app.start();
});

afterAll(async () => {
  await app?.stop();
  await new Promise<void>((r) => wss.close(() => r()));
  await redis.cleanup();
  await fake.close();
});


describe('Socket Mode', () => {
  it('connects with the app token through apps.connections.open', async () => {
    await waitFor('the socket', () => socket);
    const open = fake.callsOf('apps.connections.open');
    expect(open.length).toBeGreaterThan(0);
  });

  it('acknowledges an alert message envelope and queues the alert', async () => {
    const alert = { id: 'socket-alert-1', type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: 'ASIASOCKET000000001' };
    socket!.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'events_api',
        accepts_response_payload: false,
        payload: { type: 'event_callback', team_id: 'T0TEAM', api_app_id: 'A0APP', event_id: 'Ev1', event_time: 1, event: { type: 'message', subtype: 'bot_message', channel: 'C0ALERTS', ts: '1760000001.000100', text: JSON.stringify(alert) } },
      }),
    );
    await waitFor('ack of env-1', () => acks.has('env-1'));
    const post = await waitFor('the Investigating… post', () => fake.callsOf('chat.postMessage').find((c) => c.args['thread_ts'] === '1760000001.000100'));
    expect(String(post.args['text'])).toContain('Investigating');
    const job = await queue.getJob(`alert-${alertKey('socket-alert-1')}`);
    // The job carries the body it was queued with, the typed alert beside it (parse once).
    expect(job?.data).toMatchObject({ alertKey: alertKey('socket-alert-1'), run: 0, body: { channel: 'C0ALERTS', threadTs: '1760000001.000100', parser: expect.any(Number) } });
    expect(JSON.parse(job!.data.body!.alert!)).toMatchObject({ id: 'socket-alert-1' });
  });

  it('acknowledges a redelivered envelope and answers the message once', async () => {
    const alert = { id: 'socket-alert-again', type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: 'ASIASOCKET000000002' };
    const ts = '1760000001.000200';
    const envelope = (id: string, retry: number) =>
      JSON.stringify({
        envelope_id: id,
        type: 'events_api',
        accepts_response_payload: false,
        retry_attempt: retry,
        retry_reason: retry ? 'timeout' : '',
        payload: { type: 'event_callback', team_id: 'T0TEAM', api_app_id: 'A0APP', event_id: 'EvAgain', event_time: 1, event: { type: 'message', subtype: 'bot_message', channel: 'C0ALERTS', ts, text: JSON.stringify(alert) } },
      });
    // Slack redelivers an envelope it did not see acknowledged, under a new envelope id.
    socket!.send(envelope('env-again-0', 0));
    socket!.send(envelope('env-again-1', 1));
    await waitFor('both acknowledged', () => acks.has('env-again-0') && acks.has('env-again-1'));
    await waitFor('the Investigating… post', () => fake.callsOf('chat.postMessage').some((c) => c.args['thread_ts'] === ts));
    socket!.send(envelope('env-again-2', 2));
    await waitFor('the third acknowledged', () => acks.has('env-again-2'));
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === ts)).toHaveLength(1);
    expect((await state.get(alertKey('socket-alert-again')))?.runs).toBe(0);
  });

  it('acknowledges a /triage command envelope and answers through response_url', async () => {
    socket!.send(
      JSON.stringify({
        envelope_id: 'env-2',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: { token: 'x', team_id: 'T0TEAM', channel_id: 'C0RANDOM', user_id: 'U0RESPONDER', command: '/triage', text: 'help', response_url: `${fake.url}/response/sm`, trigger_id: 't', api_app_id: 'A0APP' },
      }),
    );
    await waitFor('ack of env-2', () => acks.has('env-2'));
    const r = await waitFor('the help answer', () => fake.responses.find((x) => String(x['text']).includes('/triage status')));
    expect(r['response_type']).toBe('ephemeral');
  });
});
