// The catch-up reads alert channels back from a checkpoint, against the fake Slack (Slack's pagination, limits and
// errors) and real Redis, through the same intake as live events; no worker runs (jobs are counted in the queue).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebClient } from '@slack/web-api';
import { startCatchUp, type RunningCatchUp } from '../../src/app/catch-up/wiring.js';
import { Checkpoints } from '../../src/app/catch-up/checkpoints.js';
import { createAlertIntake, type AlertIntake } from '../../src/app/alert-intake.js';
import { slackClientOptions } from '../../src/slack/client.js';
import { alertKey } from '../../src/queue/state.js';
import { jobIdFor } from '../../src/queue/queue.js';
import { Metrics } from '../../src/ops/metrics.js';
import { catchUpStatusLines } from '../../src/app/catch-up/report.js';
import { CatchUp } from '../../src/app/catch-up/catch-up.js';
import { mayCarryAlerts } from '../../src/app/alert-message.js';
import { FAKE_BOT, startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { testRedis } from '../support/redis.js';

const redis = testRedis('catchup');
const { queue, state, connection, prefix } = redis;
let fake: FakeSlack;
const logs: string[] = [];
let seq = 0;

const awsAlert = (id: string) => ({ id, type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: 'ASIACATCHUP00000001', instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1' });
/** As an integration posts it: the JSON in a code block, Slack-escaped. */
const alertText = (alert: unknown) => `New alert:\n\`\`\`${JSON.stringify(alert).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}\`\`\``;
const postAlert = (channel: string, id: string, extra: Record<string, unknown> = {}) => fake.postToChannel(channel, { subtype: 'bot_message', bot_id: 'B0SIEM', text: alertText(awsAlert(id)), ...extra });
const channelId = () => `C0CU${String(++seq).padStart(4, '0')}`;

function build(channels: string[], o: { maxMessages?: number; pageSize?: number; posters?: string[]; lookbackHours?: number; metrics?: Metrics } = {}): { run: RunningCatchUp; intake: AlertIntake } {
  const settings = { botToken: 'xoxb-catchup', apiUrl: fake.apiUrl, alertChannels: channels, alertPosters: o.posters ?? [] };
  const client = new WebClient('xoxb-catchup', { ...slackClientOptions(fake.apiUrl), retryConfig: { retries: 1, minTimeout: 50, maxTimeout: 50 } });
  const intake = createAlertIntake(settings, { queue, state, marks: state.marks, client, log: (m) => logs.push(m) });
  const cfg = { CATCHUP_INTERVAL_SECONDS: 3600, CATCHUP_LOOKBACK_HOURS: o.lookbackHours ?? 24, CATCHUP_MAX_MESSAGES: o.maxMessages ?? 500, CATCHUP_PAGE_SIZE: o.pageSize ?? 200, QUEUE_PREFIX: prefix };
  return { run: startCatchUp(cfg, settings, intake, connection, o.metrics, (_l, m) => logs.push(m)), intake };
}

const hasJob = async (id: string) => Boolean(await queue.getJob(jobIdFor(alertKey(id), 0)));
const postsIn = (channel: string, ts: string) => fake.callsOf('chat.postMessage').filter((c) => c.args['channel'] === channel && c.args['thread_ts'] === ts);

beforeAll(async () => {
  fake = await startFakeSlack({ responders: [], rateLimits: false });
});
afterAll(async () => {
  await redis.cleanup();
  await fake.close();
});

describe('catch-up from the channel history', () => {
  it('first start: reads back the look-back window and queues the alerts nobody handled, skipping replies, our own posts and chatter', async () => {
    const ch = channelId();
    const hour = 3600;
    const now = Math.floor(Date.now() / 1000);
    fake.postToChannel(ch, { ts: `${now - 30 * hour}.000100`, subtype: 'bot_message', bot_id: 'B0SIEM', text: alertText(awsAlert('cu-too-old')) });
    const a = postAlert(ch, 'cu-first-1');
    fake.postToChannel(ch, { user: 'U0HUMAN', text: 'looking at it {not json}' });
    fake.postToChannel(ch, { user: 'U0HUMAN', text: alertText(awsAlert('cu-in-a-reply')), thread_ts: a });
    fake.postToChannel(ch, { subtype: 'bot_message', bot_id: FAKE_BOT.botId, user: FAKE_BOT.userId, text: alertText(awsAlert('cu-our-own')) });
    fake.postToChannel(ch, { subtype: 'channel_join', user: 'U0HUMAN', text: '<@U0HUMAN> has joined the channel' });
    const b = postAlert(ch, 'cu-first-2');
    const { run } = build([ch]);
    const report = await run.catchUp.runOnce('test');
    expect(report.channels).toEqual([expect.objectContaining({ channel: ch, scanned: 6, queued: 2, alreadyClaimed: 0, malformed: 0, errors: 0, more: false, checkpoint: b })]);
    expect(await hasJob('cu-first-1')).toBe(true);
    expect(await hasJob('cu-first-2')).toBe(true);
    for (const id of ['cu-too-old', 'cu-in-a-reply', 'cu-our-own']) expect(await hasJob(id)).toBe(false);
    // Answered in the alert's thread, as a live alert is.
    expect(postsIn(ch, a)).toHaveLength(1);
    expect(await new Checkpoints(connection, prefix).get(ch)).toBe(b);
    // The history was read from the look-back, not from the beginning of time.
    const oldest = Number(String(fake.callsOf('conversations.history').find((c) => c.args['channel'] === ch)!.args['oldest']));
    expect(now - oldest).toBeGreaterThanOrEqual(24 * hour - 5);
    expect(now - oldest).toBeLessThan(24 * hour + 60);
  });

  it('the next run starts at the checkpoint: what was handled is not read again, a new alert is queued', async () => {
    const ch = channelId();
    postAlert(ch, 'cu-next-1');
    const { run } = build([ch]);
    const first = await run.catchUp.runOnce('test');
    const later = postAlert(ch, 'cu-next-2');
    const second = await run.catchUp.runOnce('test');
    expect(second.channels[0]).toMatchObject({ scanned: 1, queued: 1, checkpoint: later });
    expect(fake.callsOf('conversations.history').filter((c) => c.args['channel'] === ch).at(-1)!.args['oldest']).toBe(first.channels[0]!.checkpoint);
    const third = await run.catchUp.runOnce('test');
    expect(third.channels[0]).toMatchObject({ scanned: 0, queued: 0, checkpoint: later });
  });

  it('pages through a long history with cursors, as Slack pages it', async () => {
    const ch = channelId();
    const ids = Array.from({ length: 11 }, (_, i) => `cu-page-${i}`);
    for (const id of ids) postAlert(ch, id);
    const { run } = build([ch], { pageSize: 3 });
    const report = await run.catchUp.runOnce('test');
    expect(report.channels[0]).toMatchObject({ scanned: 11, queued: 11, more: false });
    const calls = fake.callsOf('conversations.history').filter((c) => c.args['channel'] === ch);
    expect(calls).toHaveLength(4);
    expect(calls[0]!.args['cursor']).toBeUndefined();
    for (const c of calls.slice(1)) expect(typeof c.args['cursor']).toBe('string');
    for (const c of calls) expect(Number(c.args['limit'])).toBe(3);
    for (const id of ids) expect(await hasJob(id)).toBe(true);
  });

  it('is bounded per run, oldest first; the checkpoint moves only past what was handled', async () => {
    const ch = channelId();
    const ts = Array.from({ length: 7 }, (_, i) => postAlert(ch, `cu-bound-${i}`));
    const { run } = build([ch], { maxMessages: 3 });
    const r1 = await run.catchUp.runOnce('test');
    expect(r1.channels[0]).toMatchObject({ queued: 3, more: true, checkpoint: ts[2] });
    expect(await hasJob('cu-bound-2')).toBe(true);
    expect(await hasJob('cu-bound-3')).toBe(false);
    const r2 = await run.catchUp.runOnce('test');
    expect(r2.channels[0]).toMatchObject({ queued: 3, more: true, checkpoint: ts[5] });
    const r3 = await run.catchUp.runOnce('test');
    expect(r3.channels[0]).toMatchObject({ queued: 1, more: false, checkpoint: ts[6] });
    // Queued in the order they were posted.
    const jobs = await Promise.all(ts.map((_, i) => queue.getJob(jobIdFor(alertKey(`cu-bound-${i}`), 0))));
    const times = jobs.map((j) => j!.timestamp);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it('waits out a 429 with its Retry-After and carries on', async () => {
    const ch = channelId();
    postAlert(ch, 'cu-429');
    fake.failNext.set('conversations.history', ['ratelimited:1']);
    const { run } = build([ch]);
    const t0 = Date.now();
    const report = await run.catchUp.runOnce('test');
    expect(report.channels[0]).toMatchObject({ queued: 1, errors: 0 });
    expect(fake.refusedOf('conversations.history').filter((c) => c.args['channel'] === ch).map((c) => c.error)).toEqual(['ratelimited']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
  });

  it('a channel the bot is not in is reported once, not fatal: the other channels are read', async () => {
    const ok = channelId();
    postAlert(ok, 'cu-other-channel');
    const before = logs.length;
    fake.memberOf = new Set([ok]);
    try {
      const { run } = build(['C0NOWHERE', ok]);
      const r1 = await run.catchUp.runOnce('test');
      const r2 = await run.catchUp.runOnce('test');
      expect(r1.channels[0]).toMatchObject({ channel: 'C0NOWHERE', problem: 'channel_not_found', errors: 1 });
      expect(r2.channels[0]).toMatchObject({ problem: 'channel_not_found' });
      expect(r1.channels[1]).toMatchObject({ channel: ok, queued: 1 });
      expect(logs.slice(before).filter((l) => l.includes('C0NOWHERE'))).toHaveLength(1);
    } finally {
      fake.memberOf = undefined;
    }
  });

  it('a message handled live is not handled again: already claimed, no second post', async () => {
    const ch = channelId();
    const ts = postAlert(ch, 'cu-live-first');
    const { run, intake } = build([ch]);
    await intake.buffer.receive({ channel: ch, ts, subtype: 'bot_message', bot_id: 'B0SIEM', text: alertText(awsAlert('cu-live-first')) });
    const report = await run.catchUp.runOnce('test');
    expect(report.channels[0]).toMatchObject({ scanned: 1, queued: 0, alreadyClaimed: 1 });
    expect(postsIn(ch, ts)).toHaveLength(1);
  });

  it('a malformed alert is answered once however often the channel is read; a failed answer holds the checkpoint', async () => {
    const ch = channelId();
    const bad = fake.postToChannel(ch, { subtype: 'bot_message', bot_id: 'B0SIEM', text: '```{"id": "cu-bad", "type": "aws.instance_credential_exfiltration", "time": "yesterday"}```' });
    const after = postAlert(ch, 'cu-after-bad');
    fake.failNext.set('chat.postMessage', ['fatal_error']);
    const { run } = build([ch]);
    const r1 = await run.catchUp.runOnce('test');
    // The answer failed: the message stays unhandled and the checkpoint stays before it; the next alert is queued.
    expect(r1.channels[0]).toMatchObject({ errors: 1, queued: 1 });
    expect(r1.channels[0]!.checkpoint).toBeUndefined();
    const r2 = await run.catchUp.runOnce('test');
    expect(r2.channels[0]).toMatchObject({ malformed: 1, alreadyClaimed: 1, errors: 0, checkpoint: after });
    // Read once more from scratch (a lost checkpoint): nothing is answered twice.
    await connection.del(`${prefix}:catchup:checkpoint:${ch}`);
    const r3 = await run.catchUp.runOnce('test');
    expect(r3.channels[0]).toMatchObject({ malformed: 0, alreadyClaimed: 2, queued: 0 });
    expect(postsIn(ch, bad).filter((c) => String(c.args['text']).includes('cannot be read'))).toHaveLength(1);
  });

  it('applies the live rules to whoever posted: only SLACK_ALERT_POSTERS, and a reply carrying a thread_ts of its own is not an alert', async () => {
    const ch = channelId();
    fake.postToChannel(ch, { user: 'U0ATTACKER', text: alertText(awsAlert('cu-forged')) });
    fake.postToChannel(ch, { subtype: 'bot_message', bot_id: 'B0SIEM', text: alertText(awsAlert('cu-broadcast')), thread_ts: '1700000000.000001' });
    fake.postToChannel(ch, { ts: 'not-a-ts', subtype: 'bot_message', bot_id: 'B0SIEM', text: alertText(awsAlert('cu-bad-ts')) });
    postAlert(ch, 'cu-allowed');
    const { run } = build([ch], { posters: ['B0SIEM'] });
    const report = await run.catchUp.runOnce('test');
    expect(report.channels[0]).toMatchObject({ queued: 1 });
    expect(await hasJob('cu-allowed')).toBe(true);
    for (const id of ['cu-forged', 'cu-broadcast', 'cu-bad-ts']) expect(await hasJob(id)).toBe(false);
  });

  it('/triage status and /metrics show each channel\'s checkpoint and what the last run found, and the buffer', async () => {
    const ch = channelId();
    postAlert(ch, 'cu-status-1');
    const newest = fake.postToChannel(ch, { user: 'U0HUMAN', text: 'chatter' });
    const metrics = new Metrics(queue);
    const { run, intake } = build([ch, 'C0NOWHERE'], { metrics });
    fake.memberOf = new Set([ch]);
    try {
      await run.catchUp.runOnce('test');
    } finally {
      fake.memberOf = undefined;
    }
    // The checkpoint is the newest message read (every alert before it handled).
    const checkpointTs = (await new Checkpoints(connection, prefix).get(ch))!;
    expect(checkpointTs).toBe(newest);
    const lines = catchUpStatusLines(run.catchUp, intake.buffer.stats).join('\n');
    expect(lines).toContain(`<#${ch}> checkpoint ${new Date(Number(checkpointTs.split('.')[0]) * 1000).toISOString().replace('.000Z', 'Z')}: 2 scanned, 1 queued, 0 already claimed, 0 malformed, 0 errors`);
    expect(lines).toContain('<#C0NOWHERE> checkpoint none yet: 0 scanned, 0 queued, 0 already claimed, 0 malformed, 1 errors — :warning: `channel_not_found`');
    expect(lines).toContain('*Intake buffer* (Redis away): 0 held of 1000, 0 dropped');
    const text = await metrics.render();
    expect(text).toContain(`triage_catchup_checkpoint_timestamp_seconds{channel="${ch}"} ${newest}`);
    expect(text).toContain(`triage_catchup_last_run_messages{channel="${ch}",outcome="queued"} 1`);
    expect(text).toContain(`triage_catchup_last_run_messages{channel="C0NOWHERE",outcome="errors"} 1`);
    expect(text).toMatch(/^triage_catchup_runs_total 1$/m);
    expect(text).toMatch(/^triage_intake_buffer_dropped_total 0$/m);
    expect(text).toMatch(/^triage_intake_buffer_capacity 1000$/m);
  });

  it('a message that fails at every run is given up after three, so the checkpoint does not stay behind it for ever', async () => {
    const ch = channelId();
    fake.postToChannel(ch, { subtype: 'bot_message', bot_id: 'B0SIEM', text: '```{"id": "cu-always-bad", "type": "aws.instance_credential_exfiltration", "time": "yesterday"}```' });
    const after = postAlert(ch, 'cu-after-always-bad');
    fake.failNext.set('chat.postMessage', ['fatal_error', 'fatal_error', 'fatal_error']);
    const { run } = build([ch], { maxMessages: 1 });
    const r1 = await run.catchUp.runOnce('test');
    const r2 = await run.catchUp.runOnce('test');
    expect([r1.channels[0]!.errors, r2.channels[0]!.errors]).toEqual([1, 1]);
    expect(r2.channels[0]!.checkpoint).toBeUndefined();
    const r3 = await run.catchUp.runOnce('test');
    expect(r3.channels[0]).toMatchObject({ errors: 1 });
    expect(logs.some((l) => l.includes('given up after 3 tries'))).toBe(true);
    const r4 = await run.catchUp.runOnce('test');
    expect(r4.channels[0]).toMatchObject({ queued: 1, checkpoint: after });
  });

  it('a flood past the page cap: the newest pages are handled, the checkpoint stays, and it says so', async () => {
    const ch = channelId();
    const ts = Array.from({ length: 7 }, (_, i) => postAlert(ch, `cu-flood-${i}`));
    const { intake } = build([ch]);
    const client = new WebClient('xoxb-catchup', slackClientOptions(fake.apiUrl));
    const settings = { alertChannels: [ch], alertPosters: [] };
    const catchUp = new CatchUp(
      { alertChannels: [ch], intervalMs: 3_600_000, lookbackMs: 3_600_000, maxMessages: 500, pageSize: 2, maxPages: 2 },
      { client, checkpoints: new Checkpoints(connection, prefix), handle: (m, self) => intake.handler.handle(m, self), isCandidate: (m, self) => mayCarryAlerts(m, settings, self), log: (_l, m) => logs.push(m) },
    );
    const report = await catchUp.runOnce('test');
    // Two pages of two, newest first: the four newest alerts; the three oldest are unread.
    expect(report.channels[0]).toMatchObject({ scanned: 4, queued: 4, more: true });
    expect(report.channels[0]!.checkpoint).toBeUndefined();
    expect(await hasJob('cu-flood-6')).toBe(true);
    expect(await hasJob('cu-flood-0')).toBe(false);
    expect(logs.some((l) => l.includes(`${ch} has more than 2 pages`))).toBe(true);
    // A larger page reaches the checkpoint: the three older ones, and the newest counted as handled.
    const wide = new CatchUp(
      { alertChannels: [ch], intervalMs: 3_600_000, lookbackMs: 3_600_000, maxMessages: 500, pageSize: 10, maxPages: 2 },
      { client, checkpoints: new Checkpoints(connection, prefix), handle: (m, self) => intake.handler.handle(m, self), isCandidate: (m, self) => mayCarryAlerts(m, settings, self), log: (_l, m) => logs.push(m) },
    );
    expect((await wide.runOnce('test')).channels[0]).toMatchObject({ queued: 3, alreadyClaimed: 4, more: false, checkpoint: ts[6] });
  });
});
