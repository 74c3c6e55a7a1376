// The evidence as a picture, end to end: after the verdict message, the worker uploads the PNG into the alert's
// thread the way files.uploadV2 does it (upload URL, the bytes, completion) against the fake Slack; an upload
// Slack refuses is logged and skipped, and neither holds a verdict back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG_SIGNATURE } from '../../src/pictures/png.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { CHANNELS, startHarness, type Harness } from './harness.js';
import type { RecordedCall } from '../fakes/slack-server.js';

const KEY = 'ASIAPICTURES0000001';
let h: Harness;
let seq = 0;
const nextTs = () => `1760800000.${String(++seq).padStart(6, '0')}`;

const awsAlert = (id: string) => ({ id, type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: KEY, instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1' });

async function postAlert(id: string): Promise<string> {
  const ts = nextTs();
  const res = await h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts, text: JSON.stringify(awsAlert(id)) });
  expect(res.status).toBe(200);
  return ts;
}

const sharedIn = (threadTs: string) => h.fake.sharedFiles.filter((f) => f.channel === CHANNELS.alerts && f.threadTs === threadTs);
const position = (call: RecordedCall) => h.fake.allCalls.indexOf(call);

beforeAll(async () => {
  h = await startHarness();
  const report = await h.cluster.load([
    keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }),
    keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux }),
  ]);
  expect(report.rejected).toEqual([]);
}, 120_000);
afterAll(async () => h?.close());

describe('the evidence picture in the thread', () => {
  it('follows the verdict message into the alert’s thread as a PNG', async () => {
    const parent = await postAlert('picture-1');
    const verdict = await h.verdictOf('picture-1');
    const [file] = await h.waitFor('the picture shared in the thread', () => (sharedIn(parent).length ? sharedIn(parent) : undefined));
    expect(sharedIn(parent)).toHaveLength(1);
    expect(file!.filename).toBe('evidence-picture-1.png');
    expect(file!.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(file!.bytes.length).toBe(file!.length);
    expect(file!.bytes.length).toBeGreaterThan(20_000);
    expect(file!.altText).toContain('45.155.205.10 (non-AWS');
    // After the verdict: the upload ticket was asked for once the verdict message was out.
    const ticket = h.fake.callsOf('files.getUploadURLExternal').find((c) => c.args['filename'] === 'evidence-picture-1.png')!;
    expect(position(ticket)).toBeGreaterThan(position(verdict));
    const completed = h.fake.callsOf('files.completeUploadExternal').find((c) => c.args['thread_ts'] === parent)!;
    expect(completed.args['channel_id']).toBe(CHANNELS.alerts);
    expect(position(completed)).toBeGreaterThan(position(ticket));
  });

  it('is logged and skipped when Slack refuses the upload; the verdict and the next alert’s picture are not held back', async () => {
    h.fake.failNext.set('files.completeUploadExternal', ['not_in_channel']);
    const parent = await postAlert('picture-refused');
    await h.verdictOf('picture-refused');
    await h.waitFor('the refusal logged', () => h.workerLogs.find((l) => l.includes('picture of alert picture-refused not posted: not_in_channel')));
    expect(h.fake.refusedOf('files.completeUploadExternal').map((c) => c.error)).toEqual(['not_in_channel']);
    expect(sharedIn(parent)).toEqual([]);

    // Slack's file host failing is no different.
    h.fake.uploadStatus = 500;
    const failedHost = await postAlert('picture-host-down');
    await h.verdictOf('picture-host-down');
    await h.waitFor('the failed upload logged', () => h.workerLogs.find((l) => l.includes('picture of alert picture-host-down not posted')));
    expect(sharedIn(failedHost)).toEqual([]);
    delete h.fake.uploadStatus;

    const next = await postAlert('picture-after');
    await h.verdictOf('picture-after');
    await h.waitFor('the next picture shared', () => (sharedIn(next).length ? true : undefined));
  });

  it('a slow Slack file upload holds no verdict back', async () => {
    // Slack takes 6 s to hand out each upload ticket.
    h.fake.delayMs.set('files.getUploadURLExternal', 6000);
    try {
      const first = await postAlert('picture-slow-1');
      await h.verdictOf('picture-slow-1');
      const second = await postAlert('picture-slow-2');
      const verdict = await h.verdictOf('picture-slow-2');
      await h.waitFor('both pictures shared in the end', () => (sharedIn(first).length && sharedIn(second).length ? true : undefined), 40_000);
      // The second verdict went out while the first picture was still on its way.
      const firstShared = h.fake.callsOf('files.completeUploadExternal').find((c) => c.args['thread_ts'] === first)!;
      expect(position(verdict)).toBeLessThan(position(firstShared));
    } finally {
      h.fake.delayMs.delete('files.getUploadURLExternal');
    }
  });
});
