// Fault: the app is away while alerts are posted. Slack delivers nothing to an app that is down (Socket Mode) or
// gives up after its retries (HTTP); the channel keeps the messages. On start the catch-up reads the channel back
// from its checkpoint and queues every alert nobody handled, through the live path's claim, so an alert that
// reaches the app both ways (its event, and the catch-up) is investigated once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { jobIdFor } from '../../src/queue/queue.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { cliEnv } from '../support/cli.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { ELASTICSEARCH_URL, testCluster, type TestCluster } from '../support/elastic.js';
import { ALERT_CHANNEL, printFigures, seconds, startFaultApp, startInProcessWorker, threadRecord, type FaultApp, type InProcessWorker, type ThreadRecord } from '../support/fault-app.js';
import { testRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const KEY = 'ASIAAPPDOWNTIME0001';
const awsAlert = (id: string) => ({ id, type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: KEY, instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1' });

const redis = testRedis('faults-downtime');
let fake: FakeSlack;
let cluster: TestCluster;
let worker: InProcessWorker;
const apps: FaultApp[] = [];

const startApp = async (start: boolean) => {
  const app = await startFaultApp({ fake, connection: redis.connection, prefix: redis.prefix, elasticsearchUrl: ELASTICSEARCH_URL, indices: cluster.indices, catchUp: { start } });
  apps.push(app);
  return app;
};

beforeAll(async () => {
  [fake, cluster] = await Promise.all([startFakeSlack({ responders: [] }), testCluster()]);
  const report = await cluster.load([keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }), keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux })]);
  expect(report.rejected).toEqual([]);
  worker = startInProcessWorker({ connection: redis.connection, prefix: redis.prefix, fake, env: cliEnv(cluster, ELASTICSEARCH_URL) });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  for (const app of apps) await app.close().catch(() => undefined);
  await redis.cleanup();
  await Promise.all([fake?.close(), cluster?.cleanup()]);
});

async function verdicts(threads: string[], timeoutMs = 60_000): Promise<ThreadRecord[]> {
  return waitFor(
    `${threads.length} verdicts`,
    () => {
      const records = threads.map((ts) => threadRecord(fake, ts));
      return records.every((r) => r.verdictMessages.length > 0) ? records : undefined;
    },
    { timeoutMs },
  );
}

const duplicates = (records: ThreadRecord[]) => records.reduce((n, r) => n + r.verdictMessages.length - 1 + Math.max(0, r.verdictDeliveries.length - 1), 0);

describe('the app stopped while alerts are posted', () => {
  it('20 alerts posted while the app is down: the catch-up on start queues each once; 20 verdicts, no duplicate', async () => {
    // Running first: five alerts arrive live, and a first catch-up sets the channel's checkpoint.
    const first = await startApp(true);
    await waitFor('the first catch-up', () => first.catchUp.catchUp.last);
    const live = [];
    for (let i = 0; i < 5; i++) live.push(await first.postAlert(awsAlert(`downtime-live-${i}`)));
    const liveRecords = await verdicts(live);
    await first.close();

    // Down: twenty alerts reach the channel and no app.
    const whileDown = Array.from({ length: 20 }, (_, i) => fake.postToChannel(ALERT_CHANNEL, { subtype: 'bot_message', bot_id: 'B0SIEM', text: JSON.stringify(awsAlert(`downtime-${i}`)) }));
    // A person's chatter and a reply in a thread are no alerts.
    fake.postToChannel(ALERT_CHANNEL, { user: 'U0HUMAN', text: 'deploying the triage app, back in a minute' });
    fake.postToChannel(ALERT_CHANNEL, { user: 'U0HUMAN', text: JSON.stringify(awsAlert('downtime-in-a-reply')), thread_ts: live[0]! });

    const started = Date.now();
    const second = await startApp(true);
    const records = await verdicts(whileDown);
    const recovered = Date.now() - started;
    const report = await waitFor('the catch-up report', () => second.catchUp.catchUp.last);
    expect(report.channels[0]).toMatchObject({ queued: 20, errors: 0, more: false });
    for (const r of records) {
      expect(r.verdictMessages).toHaveLength(1);
      expect(r.verdictDeliveries).toHaveLength(1);
      expect(r.statusMessages).toHaveLength(0);
    }
    expect(await second.queue.getJob(jobIdFor(alertKey('downtime-in-a-reply'), 0))).toBeUndefined();
    // The live five were not taken again.
    expect(liveRecords.every((r) => r.verdictMessages.length === 1)).toBe(true);
    for (const ts of live) expect(threadRecord(fake, ts).verdictDeliveries).toHaveLength(1);
    const counts = await waitFor('every job finished', async () => {
      const c = await second.queue.getJobCounts('completed', 'failed');
      return (c['completed'] ?? 0) + (c['failed'] ?? 0) >= 25 ? c : undefined;
    });
    expect(counts).toMatchObject({ completed: 25, failed: 0 });
    printFigures('The app stopped while alerts were posted', {
      'alerts live before the stop': `${live.length} → ${liveRecords.length} verdicts`,
      'alerts posted while the app was down': whileDown.length,
      'found by the catch-up on start (queued / already claimed)': `${report.channels[0]!.queued} / ${report.channels[0]!.alreadyClaimed}`,
      'messages read by that catch-up': report.channels[0]!.scanned,
      'verdicts out for the alerts posted while down': records.length,
      'duplicate verdict messages or deliveries': duplicates([...records, ...live.map((ts) => threadRecord(fake, ts))]),
      'app start → last of the 20 verdicts': seconds(recovered),
    });
    await second.close();
  }, 150_000);

  it('the same alert delivered live and found by the catch-up, at the same moment and after: one verdict', async () => {
    const app = await startApp(false);
    const ids = Array.from({ length: 6 }, (_, i) => `both-ways-${i}`);
    const threads = ids.map((id) => fake.postToChannel(ALERT_CHANNEL, { subtype: 'bot_message', bot_id: 'B0SIEM', text: JSON.stringify(awsAlert(id)) }));
    // Each event and a catch-up run race; then the events come again (Slack retrying), and the catch-up once more.
    const events = threads.map((ts, i) => app.deliverEvent(ts, awsAlert(ids[i]!)));
    const run = app.catchUp.catchUp.runOnce('test');
    const [report] = await Promise.all([run, ...events]);
    const records = await verdicts(threads);
    await Promise.all(threads.map((ts, i) => app.deliverEvent(ts, awsAlert(ids[i]!))));
    const again = await app.catchUp.catchUp.runOnce('test');
    await new Promise((r) => setTimeout(r, 500));
    const after = threads.map((ts) => threadRecord(fake, ts));
    for (const r of after) {
      expect(r.verdictMessages).toHaveLength(1);
      expect(r.verdictDeliveries).toHaveLength(1);
    }
    for (const id of ids) expect((await app.state.get(alertKey(id)))?.runs).toBe(0);
    // Between them, the live path and the catch-up claimed each alert once.
    expect(again.channels[0]).toMatchObject({ queued: 0 });
    printFigures('The same alert delivered live and found by the catch-up', {
      'alerts (each: an event racing a catch-up run, then a second event and a second run)': ids.length,
      'claimed by the catch-up in the race / by the events': `${report.channels[0]!.queued} / ${ids.length - report.channels[0]!.queued}`,
      'verdicts out': records.length,
      'duplicate verdict messages or deliveries': duplicates(after),
    });
  }, 90_000);
});
