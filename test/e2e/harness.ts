// The Slack app as it runs in production (HTTP mode), driven with signed requests as Slack sends them,
// with a real worker, real Redis and real Elasticsearch; Slack and PagerDuty are fakes on loopback.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import type { App } from '@slack/bolt';
import { Audit } from '../../src/audit/audit.js';
import { EvidenceUnavailableError } from '../../src/errors.js';
import type { EngineDeps } from '../../src/flows/engine.js';
import { AwsIpRanges } from '../../src/enrich/aws-ip-ranges.js';
import { IpClassifier } from '../../src/enrich/ip-class.js';
import { elasticSources } from '../../src/evidence/sources.js';
import { createElasticClient } from '../../src/evidence/elastic/client.js';
import { Metrics } from '../../src/ops/metrics.js';
import { endpoints, startOpsServer } from '../../src/ops/http.js';
import { DEFAULT_HTTP_LIMITS } from '../../src/ops/server-limits.js';
import type { createQueue } from '../../src/queue/queue.js';
import type { AlertStateStore } from '../../src/queue/state.js';
import { testRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { startWorker, type Workers } from '../../src/worker/worker.js';
import type { WorkerDeps } from '../../src/worker/deps.js';
import { oneShotClientOptions, slackClientOptions } from '../../src/slack/client.js';
import { createSlackApp, type SlackSettings } from '../../src/app/app.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { startFakeSlack, triggerId, type FakeSlack, type FakeSlackOptions, type RecordedCall } from '../fakes/slack-server.js';
import { shownText } from '../support/blocks.js';
import { alertKey } from '../../src/queue/state.js';
import { ContainmentService, type ContainmentSettings } from '../../src/containment/service.js';
import { ContainmentStore } from '../../src/containment/store.js';
import type { Executors } from '../../src/containment/types.js';

export const SIGNING_SECRET = 'e2e-signing-secret-1234567890abcdef';
export const CHANNELS = { alerts: 'C0ALERTS', escalation: 'C0ESCALATE', other: 'C0RANDOM', notIn: 'C0NOTINVITED' };
export const USERS = { responder: 'U0RESPONDER', listed: 'U0LISTED', outsider: 'U0OUTSIDER' };

export interface Harness {
  fake: FakeSlack;
  cluster: TestCluster;
  /** Slack's port (/slack/events). */
  url: string;
  /** The ops listener (/healthz, /readyz, /metrics), on loopback apart from Slack's port, as the app serves it. */
  opsUrl: string;
  queue: ReturnType<typeof createQueue>;
  state: AlertStateStore;
  /** The suite's Redis connection and key prefix (to look at containment requests). */
  redis: { connection: ReturnType<typeof testRedis>['connection']; prefix: string };
  send(path: string, body: string, contentType: string, opts?: { forge?: boolean; age?: number; headers?: Record<string, string> }): Promise<Response>;
  /** An Events API delivery; `redelivery` repeats a given event id with Slack's retry headers. */
  event(event: Record<string, unknown>, redelivery?: { eventId: string; retryNum: number }): Promise<Response>;
  /** The event id of the last event() call. */
  lastEventId(): string;
  command(text: string, user?: string, channel?: string): Promise<Response>;
  interact(payload: Record<string, unknown>): Promise<Response>;
  /** Holds investigations back (jobs stay waiting) until resumeInvestigations(); jobs already taken finish. */
  pauseInvestigations(): Promise<void>;
  resumeInvestigations(): void;
  /** The next n investigations fail as if an evidence source were unavailable. */
  failNext(n: number): void;
  /** While true, /triage looks alerts up on an Elasticsearch nobody listens to (the real client's real error). */
  alertLookupDown(down: boolean): void;
  waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  /** What the worker logged (failed reactions, pictures not posted …). */
  workerLogs: string[];
  /** The worker's pictures: the lane that uploads them and the pool of renderer processes. */
  pictures: Workers['pictures'];
  /** The private_metadata of the newest Dismiss dialog opened for an alert (what a submission sends back). */
  dismissMetadataOf(key: string): Promise<string>;
  /** The newest verdict message of an alert (an update of its status message, or a post in its thread), once there. */
  verdictOf(alertId: string, where?: { channel?: string; contains?: string }): Promise<RecordedCall>;
  close(): Promise<void>;
}

/** Settings a suite may change: who may post alerts, how long a file download may take. */
export type HarnessOptions = Partial<Pick<SlackSettings, 'alertPosters' | 'fileTimeoutMs' | 'metricsTrackRecord'>> & {
  slack?: FakeSlackOptions;
  /** KIBANA_URL set: decision steps link to Discover (the suite's own indices). */
  kibanaUrl?: string;
  /** Containment on (issue 20): its settings and adapters (pointed at fakes). */
  containment?: { settings: ContainmentSettings; executors: Executors };
  /** The worker's picture renderers (PICTURE_* settings). */
  pictures?: WorkerDeps['pictures'];
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const [fake, cluster] = await Promise.all([startFakeSlack({ responders: [USERS.responder], memberOf: [CHANNELS.alerts, CHANNELS.escalation, CHANNELS.other], knownChannels: [CHANNELS.notIn], ...options.slack }), testCluster()]);
  const redis = testRedis('e2e');
  const { prefix, connection, queue, state } = redis;
  const metrics = new Metrics(queue);
  metrics.listen(connection, prefix);
  const audit = new Audit(cluster.es, { verdicts: cluster.indices.verdicts, dispositions: cluster.indices.dispositions });
  const ranges = AwsIpRanges.fromJson(JSON.parse(readFileSync(new URL('../../samples/aws-ip-ranges.sample.json', import.meta.url), 'utf8')));
  // The AWS ranges file can be briefly unreadable (an update in progress): tests make it so to see retries.
  let failuresToInject = 0;
  const engine: EngineDeps = {
    evidence: elasticSources(cluster.es, cluster.indices),
    ipClassifier: async () => {
      if (failuresToInject > 0) {
        failuresToInject--;
        throw new EvidenceUnavailableError('cannot read AWS IP ranges file /srv/ranges.json (EBUSY)', { service: 'AWS IP ranges file' });
      }
      return new IpClassifier(ranges, []);
    },
  };
  const kibana = options.kibanaUrl ? { url: options.kibanaUrl, indices: cluster.indices } : undefined;
  const settings: SlackSettings = {
    ...(kibana ? { kibana } : {}),
    mode: 'http',
    botToken: 'xoxb-e2e-bot-token',
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    alertChannels: [CHANNELS.alerts],
    alertPosters: options.alertPosters ?? [],
    ...(options.fileTimeoutMs ? { fileTimeoutMs: options.fileTimeoutMs } : {}),
    ...(options.metricsTrackRecord ? { metricsTrackRecord: true } : {}),
    escalationChannel: CHANNELS.escalation,
    oncallUsergroup: 'S0ONCALL',
    responderUsergroup: 'S0RESPONDERS',
    responderUsers: [USERS.listed],
    pagerDuty: { routingKey: 'pd-routing-key-e2e', baseUrl: fake.url },
    logLevel: 'error',
  };
  const deadElastic = elasticSources(createElasticClient({ ELASTICSEARCH_URL: 'http://127.0.0.1:9' }), cluster.indices).alerts;
  let lookupDown = false;
  const app: App = createSlackApp(settings, {
    queue,
    state,
    alerts: { findAlert: (id) => (lookupDown ? deadElastic : engine.evidence.alerts).findAlert(id) },
    audit,
    metrics,
    log: () => undefined,
    ...(options.containment
      ? {
          makeContainment: (isApprover: (u: string) => Promise<boolean>) =>
            new ContainmentService({ store: new ContainmentStore(connection, prefix), executors: options.containment!.executors, audit, isApprover, settings: options.containment!.settings }),
          // Expiry is driven by the tests (an approval after the TTL), not by a timer.
          containmentSweepEveryMs: 0,
        }
      : {}),
  });
  const server = (await app.start(0)) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ops = endpoints({ redis: async () => ((await connection.ping()) === 'PONG' ? { ok: true } : { ok: false, problem: 'no PONG' }) }, {}, metrics);
  const opsServer = await startOpsServer(ops, { host: '127.0.0.1', port: 0, limits: DEFAULT_HTTP_LIMITS });
  const opsUrl = `http://127.0.0.1:${(opsServer.address() as AddressInfo).port}`;
  const slackOptions = { ...slackClientOptions(fake.apiUrl), retryConfig: { retries: 1, minTimeout: 100, maxTimeout: 100 } };
  const workerLogs: string[] = [];
  const worker: Workers = startWorker(connection, prefix, 2, {
    engine,
    slack: new WebClient('xoxb-e2e-bot-token', slackOptions),
    slackDelivery: new WebClient('xoxb-e2e-bot-token', oneShotClientOptions(slackOptions)),
    state,
    audit,
    offerContainment: Boolean(options.containment),
    ...(kibana ? { kibana } : {}),
    log: (m) => workerLogs.push(m),
    ...(options.pictures ? { pictures: options.pictures } : {}),
  });

  const send: Harness['send'] = async (path, body, contentType, opts = {}) => {
    const ts = String(Math.floor(Date.now() / 1000) - (opts.age ?? 0));
    const sig = `v0=${createHmac('sha256', opts.forge ? 'not-the-secret' : SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    return fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': contentType, 'x-slack-request-timestamp': ts, 'x-slack-signature': sig, ...opts.headers }, body });
  };
  let eventSeq = 0;
  const harness: Harness = {
    fake,
    cluster,
    url,
    opsUrl,
    queue,
    state,
    redis: { connection, prefix },
    send,
    workerLogs,
    pictures: worker.pictures,
    lastEventId: () => `Ev${eventSeq}`,
    event: (event, redelivery) => {
      // The message exists in Slack before Slack tells us about it.
      if (event['type'] === 'message' && typeof event['channel'] === 'string' && typeof event['ts'] === 'string') fake.seedMessage(event['channel'], event['ts']);
      return send('/slack/events', JSON.stringify({ token: 'x', team_id: 'T0TEAM', api_app_id: 'A0APP', type: 'event_callback', event_id: redelivery?.eventId ?? `Ev${++eventSeq}`, event_time: Math.floor(Date.now() / 1000), event }), 'application/json', redelivery ? { headers: { 'x-slack-retry-num': String(redelivery.retryNum), 'x-slack-retry-reason': 'http_timeout' } } : {});
    },
    command: (text, user = USERS.responder, channel = CHANNELS.other) =>
      send(
        '/slack/events',
        new URLSearchParams({ token: 'x', team_id: 'T0TEAM', channel_id: channel, user_id: user, command: '/triage', text, response_url: `${fake.url}/response/${++eventSeq}`, trigger_id: triggerId(), api_app_id: 'A0APP' }).toString(),
        'application/x-www-form-urlencoded',
      ),
    pauseInvestigations: () => worker.investigations.pause(),
    resumeInvestigations: () => worker.investigations.resume(),
    alertLookupDown: (down) => {
      lookupDown = down;
    },
    failNext: (n) => {
      failuresToInject = n;
    },
    dismissMetadataOf: async (key) => {
      const open = await waitFor(`a Dismiss dialog for ${key}`, () => fake.callsOf('views.open').filter((c) => JSON.stringify(c.args['view']).includes(key)).at(-1));
      const metadata = (open.args['view'] as { private_metadata?: unknown }).private_metadata;
      if (typeof metadata !== 'string') throw new Error(`the Dismiss dialog for ${key} carries no private_metadata`);
      return metadata;
    },
    interact: (payload) => send('/slack/events', new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded'),
    // An index the worker is creating may refuse a search for a moment (no shard yet): that is "not yet".
    waitFor: (what, probe, timeoutMs = 15_000) => waitFor(what, probe, { timeoutMs, retryOnError: true }),
    verdictOf: (alertId, where = {}) =>
      waitFor(
        `the verdict of ${alertId}`,
        async () => {
          const s = await state.get(alertKey(alertId));
          if (!s?.messageTs || (where.channel && s.channel !== where.channel)) return undefined;
          return fake.allCalls
            .filter((c) => !c.error && ((c.method === 'chat.update' && c.args['ts'] === s.messageTs) || (c.method === 'chat.postMessage' && c.postedTs === s.messageTs)))
            .filter((c) => shownText(c.args['blocks']).includes(where.contains ?? 'Decision path'))
            .at(-1);
        },
        { timeoutMs: 20_000 },
      ),
    async close() {
      await worker.close();
      await app.stop();
      await new Promise((resolve) => opsServer.close(resolve));
      await metrics.close();
      await redis.cleanup();
      await Promise.all([fake.close(), cluster.cleanup()]);
    },
  };
  return harness;
}

/** A block_actions payload as Slack sends it when a button of the verdict message is clicked. */
export function buttonClick(actionId: string, value: string, user: string, messageTs: string, clickedAt = Date.now()): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T0TEAM' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'x',
    trigger_id: triggerId(clickedAt),
    channel: { id: CHANNELS.alerts, name: 'soc-alerts' },
    container: { type: 'message', message_ts: messageTs, channel_id: CHANNELS.alerts, is_ephemeral: false },
    message: { ts: messageTs, type: 'message', text: 'verdict' },
    actions: [{ type: 'button', action_id: actionId, block_id: 'triage_actions', value, action_ts: String(Date.now() / 1000) }],
  };
}
