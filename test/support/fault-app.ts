// The Slack app (HTTP mode) in the test process for the fault suites, on a Redis and an Elasticsearch address
// of the suite's choosing (a private redis-server, a proxy the test cuts), driven with signed requests as Slack
// sends them. Workers run elsewhere (child processes, or startWorker). Also: reading the fake Slack's record of
// one alert's thread — which messages show its verdict, and how often it was delivered.
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { DefaultJobOptions } from 'bullmq';
import type { Redis, Cluster } from 'ioredis';
import { WebClient } from '@slack/web-api';
import { Audit } from '../../src/audit/audit.js';
import { loadConfig } from '../../src/config.js';
import type { EngineDeps } from '../../src/flows/engine.js';
import { createElasticClient } from '../../src/evidence/elastic/client.js';
import { elasticSources } from '../../src/evidence/sources.js';
import type { EvidenceIndices } from '../../src/evidence/indices.js';
import { Metrics } from '../../src/ops/metrics.js';
import { createQueue, JOB_OPTIONS } from '../../src/queue/queue.js';
import { AlertStateStore } from '../../src/queue/state.js';
import { startWorker, type Workers } from '../../src/worker/worker.js';
import { productionEngine } from '../../src/runtime.js';
import { createSlackApp } from '../../src/app/app.js';
import { oneShotClientOptions, slackClientOptions } from '../../src/slack/client.js';
import { MessageMarks } from '../../src/queue/message-marks.js';
import { createAlertIntake, type AlertIntake } from '../../src/app/alert-intake.js';
import { startCatchUp, type RunningCatchUp } from '../../src/app/catch-up/wiring.js';
import type { FakeSlack, RecordedCall } from '../fakes/slack-server.js';
import { triggerId } from '../fakes/slack-server.js';
import { shownText } from './blocks.js';

export const ALERT_CHANNEL = 'C0ALERTS';
export const RESPONDER = 'U0RESPONDER';
const SIGNING_SECRET = 'fault-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-faults-bot-token';

export interface FaultApp {
  url: string;
  queue: ReturnType<typeof createQueue>;
  state: AlertStateStore;
  /** Posts an alert in the alert channel as an integration would (Slack sends the event); returns the message ts (the thread). */
  postAlert(alert: Record<string, unknown>): Promise<string>;
  /** The same message's event alone (a second delivery, or one for a message already in the channel). */
  deliverEvent(ts: string, alert: Record<string, unknown>): Promise<Response>;
  /** The alert intake (handler and buffer) the app and its catch-up share. */
  intake: AlertIntake;
  /** The catch-up, not started unless `catchUp.start` was asked for. */
  catchUp: RunningCatchUp;
  /** A click on a button of the alert's bot message. */
  click(actionId: string, value: string, messageTs: string): Promise<Response>;
  close(): Promise<void>;
}

export interface FaultAppOptions {
  fake: FakeSlack;
  connection: Redis | Cluster;
  prefix: string;
  elasticsearchUrl: string;
  indices: EvidenceIndices;
  /** The queue's job options (retries): production's unless a suite says otherwise. */
  jobOptions?: DefaultJobOptions;
  /** Where the app reaches Slack, when not the fake directly (a proxy in front of it). */
  slackApiUrl?: string;
  /** The connection of the intake's marks and the catch-up's checkpoints (production: a fail-fast one); default `connection`. */
  intakeConnection?: Redis | Cluster;
  /** INTAKE_BUFFER_SIZE. */
  bufferSize?: number;
  /** Starts the catch-up with the app (its first run, then every `intervalSeconds`, default an hour). */
  catchUp?: { start: boolean; intervalSeconds?: number; maxMessages?: number };
  /** Where the app's log lines go. */
  log?: (line: string) => void;
}

let tsSeq = 0;

export async function startFaultApp(o: FaultAppOptions): Promise<FaultApp> {
  const es = createElasticClient({ ELASTICSEARCH_URL: o.elasticsearchUrl });
  const queue = createQueue(o.connection, o.prefix, o.jobOptions ?? JOB_OPTIONS);
  const state = new AlertStateStore(o.connection, o.prefix);
  const metrics = new Metrics(queue);
  const settings = {
    mode: 'http' as const,
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: o.slackApiUrl ?? o.fake.apiUrl,
    alertChannels: [ALERT_CHANNEL],
    alertPosters: [],
    responderUsers: [RESPONDER],
    logLevel: 'error' as const,
  };
  const log = (m: string) => o.log?.(m);
  const intakeConnection = o.intakeConnection ?? o.connection;
  const intake = createAlertIntake(settings, { queue, state, marks: new MessageMarks(intakeConnection, o.prefix), ...(o.bufferSize ? { bufferSize: o.bufferSize } : {}), log });
  const catchUpCfg = { CATCHUP_INTERVAL_SECONDS: o.catchUp?.intervalSeconds ?? 3600, CATCHUP_LOOKBACK_HOURS: 24, CATCHUP_MAX_MESSAGES: o.catchUp?.maxMessages ?? 500, CATCHUP_PAGE_SIZE: 200, QUEUE_PREFIX: o.prefix };
  const catchUp = startCatchUp(catchUpCfg, settings, intake, intakeConnection, metrics, (_level, m) => log(m));
  const app: App = createSlackApp(
    settings,
    {
      queue,
      state,
      alerts: elasticSources(es, o.indices).alerts,
      audit: new Audit(es, { verdicts: o.indices.verdicts, dispositions: o.indices.dispositions }),
      metrics,
      log: (_level, m) => log(m),
      intake,
      catchUp: catchUp.catchUp,
    },
  );
  const server = (await app.start(0)) as Server;
  if (o.catchUp?.start) catchUp.start();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const send = (body: string, contentType: string) => {
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    return fetch(`${url}/slack/events`, { method: 'POST', headers: { 'content-type': contentType, 'x-slack-request-timestamp': ts, 'x-slack-signature': sig }, body });
  };
  const deliverEvent = (ts: string, alert: Record<string, unknown>) => {
    const event = { type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: ALERT_CHANNEL, ts, text: JSON.stringify(alert) };
    return send(JSON.stringify({ token: 'x', team_id: 'T0TEAM', api_app_id: 'A0APP', type: 'event_callback', event_id: `EvF${++tsSeq}`, event_time: Math.floor(Date.now() / 1000), event }), 'application/json');
  };
  return {
    url,
    queue,
    state,
    intake,
    catchUp,
    async postAlert(alert) {
      // In the channel's history (the catch-up reads it back), then the event Slack sends.
      const ts = o.fake.postToChannel(ALERT_CHANNEL, { subtype: 'bot_message', bot_id: 'B0SIEM', text: JSON.stringify(alert) });
      const res = await deliverEvent(ts, alert);
      if (res.status !== 200) throw new Error(`the app answered ${res.status} to an alert event`);
      return ts;
    },
    deliverEvent: (ts, alert) => deliverEvent(ts, alert),
    click: (actionId, value, messageTs) =>
      send(
        new URLSearchParams({
          payload: JSON.stringify({
            type: 'block_actions',
            team: { id: 'T0TEAM' },
            user: { id: RESPONDER, username: 'responder', team_id: 'T0TEAM' },
            api_app_id: 'A0APP',
            token: 'x',
            trigger_id: triggerId(),
            channel: { id: ALERT_CHANNEL, name: 'soc-alerts' },
            container: { type: 'message', message_ts: messageTs, channel_id: ALERT_CHANNEL, is_ephemeral: false },
            message: { ts: messageTs, type: 'message', text: 'verdict' },
            actions: [{ type: 'button', action_id: actionId, block_id: 'triage_actions', value, action_ts: String(Date.now() / 1000) }],
          }),
        }).toString(),
        'application/x-www-form-urlencoded',
      ),
    async close() {
      catchUp.stop();
      intake.buffer.close();
      await catchUp.catchUp.idle();
      await app.stop();
      await metrics.close();
      await queue.close();
      await es.close();
    },
  };
}

export interface InProcessWorker {
  workers: Workers;
  close(): Promise<void>;
}

/**
 * A worker in the test process, wired as src/worker/main.ts wires one from the same settings (`env`), on the
 * suite's Redis; `adjust` may swap a part of the engine for a test-sized one (an Okta API with a short budget).
 */
export function startInProcessWorker(o: {
  connection: Redis | Cluster;
  prefix: string;
  fake: FakeSlack;
  env: Record<string, string>;
  /** Where the worker reaches Slack, when not the fake directly (a proxy in front of it). */
  slackApiUrl?: string;
  /** The Slack client's per-request timeout, when a test needs it shorter than production's. */
  slackTimeoutMs?: number;
  adjust?: (engine: EngineDeps) => EngineDeps;
}): InProcessWorker {
  const cfg = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, ...o.env }, ['worker']);
  const slackOptions = { ...slackClientOptions(o.slackApiUrl ?? o.fake.apiUrl), ...(o.slackTimeoutMs ? { timeout: o.slackTimeoutMs } : {}) };
  const prod = productionEngine(cfg);
  const workers = startWorker(o.connection, o.prefix, cfg.WORKER_CONCURRENCY, {
    engine: o.adjust ? o.adjust(prod.engine) : prod.engine,
    audit: prod.audit,
    state: new AlertStateStore(o.connection, o.prefix),
    slack: new WebClient(BOT_TOKEN, slackOptions),
    slackDelivery: new WebClient(BOT_TOKEN, oneShotClientOptions(slackOptions)),
  });
  return {
    workers,
    async close() {
      await workers.close();
      await prod.es.close();
    },
  };
}

/** What Slack shows in one alert's thread: the bot's messages, and which of them carry a verdict. */
export interface ThreadRecord {
  /** Successful calls that put a verdict (a message with its decision path) into the thread. */
  verdictDeliveries: RecordedCall[];
  /** Distinct messages in the thread that show a verdict now (posted or updated to one, not deleted). */
  verdictMessages: string[];
  /** Distinct messages in the thread that show "Could not investigate" now. */
  failureMessages: string[];
  /** Distinct messages in the thread that still say "Investigating…". */
  statusMessages: string[];
}

export function threadRecord(fake: FakeSlack, parentTs: string, channel = ALERT_CHANNEL): ThreadRecord {
  const ok = fake.allCalls.filter((c) => !c.error && c.args['channel'] === channel);
  const inThread = new Set(ok.filter((c) => c.method === 'chat.postMessage' && c.args['thread_ts'] === parentTs && c.postedTs).map((c) => c.postedTs!));
  const deleted = new Set(ok.filter((c) => c.method === 'chat.delete').map((c) => String(c.args['ts'])));
  /** The last content each live message of the thread was given. */
  const shown = new Map<string, RecordedCall>();
  const verdictDeliveries: RecordedCall[] = [];
  for (const c of ok) {
    const ts = c.method === 'chat.postMessage' ? c.postedTs : c.method === 'chat.update' ? String(c.args['ts']) : undefined;
    if (!ts || !inThread.has(ts)) continue;
    shown.set(ts, c);
    if (shownText(c.args['blocks']).includes('Decision path')) verdictDeliveries.push(c);
  }
  const live = [...shown.entries()].filter(([ts]) => !deleted.has(ts));
  return {
    verdictDeliveries,
    verdictMessages: live.filter(([, c]) => shownText(c.args['blocks']).includes('Decision path')).map(([ts]) => ts),
    failureMessages: live.filter(([, c]) => shownText(c.args['blocks']).includes('Could not investigate')).map(([ts]) => ts),
    statusMessages: live.filter(([, c]) => shownText(c.args['blocks']).includes('Investigating…')).map(([ts]) => ts),
  };
}

/** Figures of a scenario, printed as a Markdown table row set (the source of RELIABILITY.md's tables). */
export function printFigures(scenario: string, figures: Record<string, string | number>): void {
  const rows = Object.entries(figures).map(([k, v]) => `| ${k} | ${v} |`);
  process.stdout.write(`\n[reliability] ${scenario}\n| figure | value |\n|---|---|\n${rows.join('\n')}\n`);
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
