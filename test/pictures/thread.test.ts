// The picture lane of a worker: best effort, one at a time, a short backlog. Real WebClient, fake Slack.
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/cli/demo.js';
import { investigate } from '../../src/flows/engine.js';
import { PictureLane } from '../../src/slack/picture-upload.js';
import { PNG_SIGNATURE } from '../../src/pictures/png.js';
import { slackClientOptions } from '../../src/slack/client.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { readStoredVerdict } from '../../src/flows/stored-verdict.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';

let fake: FakeSlack;
let slack: WebClient;
let aws: Verdict;
let email: Verdict;
const CHANNEL = 'C0ALERTS';

beforeAll(async () => {
  fake = await startFakeSlack({ memberOf: [CHANNEL], knownChannels: ['C0NOTIN'] });
  slack = new WebClient('xoxb-test', { ...slackClientOptions(fake.apiUrl), retryConfig: { retries: 0 } });
  const { alerts, deps } = await loadDemo();
  aws = await investigate(alerts.find((a) => a.id === 'demo-aws-vps')!, deps);
  email = await investigate(alerts.find((a) => a.id === 'demo-email-ignored')!, deps);
});
afterAll(async () => fake?.close());

describe('the picture lane', () => {
  it('uploads the PNG into the thread, with its alt text', async () => {
    const logs: string[] = [];
    const lane = new PictureLane(slack, (m) => logs.push(m), { quietMs: 0 });
    lane.post({ verdict: aws, alertTime: new Date('2026-11-20T09:30:00Z') }, { channel: CHANNEL, threadTs: '1700000000.000001' });
    await lane.idle();
    const [file] = fake.sharedFiles.filter((f) => f.threadTs === '1700000000.000001');
    expect(file?.channel).toBe(CHANNEL);
    expect(file?.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(file?.altText).toMatch(/^Timeline of 2 source address\(es\) of ASIADEMOSTOLEN00001/);
    expect(logs).toEqual([]);
  });

  it('logs and skips a picture it cannot draw, uploads nothing, and goes on with the next', async () => {
    const logs: string[] = [];
    const lane = new PictureLane(slack, (m) => logs.push(m), { quietMs: 0 });
    const before = fake.allCalls.length;
    lane.post({ verdict: readStoredVerdict({ ...aws, alert_id: 'broken-facts', facts: { ips: 'not a list' } })! }, { channel: CHANNEL, threadTs: '1700000000.000002' });
    // Nothing to draw (no interaction) is no failure: nothing is logged, nothing uploaded.
    lane.post({ verdict: email }, { channel: CHANNEL, threadTs: '1700000000.000003' });
    lane.post({ verdict: aws }, { channel: CHANNEL, threadTs: '1700000000.000004' });
    await lane.idle();
    expect(logs).toEqual(['picture of alert broken-facts not drawn: the AWS stolen instance credentials facts are not in the expected shape (access_key_id: invalid_type)']);
    const calls = fake.allCalls.slice(before).map((c) => c.method);
    expect(calls).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(fake.sharedFiles.filter((f) => f.threadTs === '1700000000.000004')).toHaveLength(1);
  });

  it('logs an upload Slack refuses, with Slack’s reason', async () => {
    const logs: string[] = [];
    const lane = new PictureLane(slack, (m) => logs.push(m), { quietMs: 0 });
    lane.post({ verdict: aws }, { channel: 'C0NOTIN', threadTs: '1700000000.000005' });
    await lane.idle();
    expect(logs).toEqual(['picture of alert demo-aws-vps not posted: not_in_channel']);
    expect(fake.sharedFiles.filter((f) => f.threadTs === '1700000000.000005')).toEqual([]);
  });

  it('draws a picture once verdicts pause, or after waiting its longest in a steady stream of them', async () => {
    const lane = new PictureLane(slack, () => undefined, { quietMs: 400, maxDeferMs: 60_000 });
    // Verdicts 150 ms apart: none is quiet for 400 ms, so the first picture waits for the last verdict.
    let lastVerdict = 0;
    for (let i = 0; i < 4; i++) {
      lastVerdict = Date.now();
      lane.post({ verdict: { ...aws, alert_id: `stream-${i}` } }, { channel: CHANNEL, threadTs: `1700000002.00000${i}` });
      await new Promise((r) => setTimeout(r, 150));
    }
    await lane.idle();
    const shared = fake.sharedFiles.filter((f) => f.threadTs?.startsWith('1700000002.'));
    expect(shared.map((f) => f.filename)).toEqual(['evidence-stream-0.png', 'evidence-stream-1.png', 'evidence-stream-2.png', 'evidence-stream-3.png']);
    expect(Math.min(...shared.map((f) => f.at))).toBeGreaterThanOrEqual(lastVerdict + 400);

    // Never quiet, but no picture waits past maxDeferMs since the last one was drawn.
    const patient = new PictureLane(slack, () => undefined, { quietMs: 60_000, maxDeferMs: 300 });
    const posted = Date.now();
    patient.post({ verdict: { ...aws, alert_id: 'deferred' } }, { channel: CHANNEL, threadTs: '1700000003.000001' });
    await patient.idle();
    expect(fake.sharedFiles.find((f) => f.threadTs === '1700000003.000001')!.at).toBeGreaterThanOrEqual(posted + 300);
  });

  it('skips pictures beyond its backlog, and says how many', async () => {
    const logs: string[] = [];
    const lane = new PictureLane(slack, (m) => logs.push(m), { maxWaiting: 2, quietMs: 0 });
    for (let i = 0; i < 5; i++) lane.post({ verdict: { ...aws, alert_id: `burst-${i}` } }, { channel: CHANNEL, threadTs: `1700000001.00000${i}` });
    await lane.idle();
    expect(fake.sharedFiles.filter((f) => f.threadTs?.startsWith('1700000001.')).map((f) => f.filename)).toEqual(['evidence-burst-0.png', 'evidence-burst-1.png']);
    expect(logs).toEqual(['picture of alert burst-2 skipped: 2 pictures already waiting (more skips are counted)', '3 picture(s) skipped while the picture backlog was full']);
  });
});
