// Fault: the picture renderer hangs or dies. The worker (startWorker, as src/worker/main.ts wires it) draws
// pictures in renderer processes of its own; a renderer stopped with SIGSTOP (hung) or killed with SIGKILL
// (a crash, as an out-of-memory abort would end it) costs that verdict its picture — logged and counted —
// never the verdict, nor the next verdict, nor the next picture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG_SIGNATURE } from '../../src/pictures/png.js';
import { pictureMetricLines } from '../../src/worker/metrics.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { CHANNELS, startHarness, type Harness } from './harness.js';

const KEY = 'ASIAPICTUREFAULTS01';
const TIMEOUT_MS = 8000;
let h: Harness;
let seq = 0;
const nextTs = () => `1760900000.${String(++seq).padStart(6, '0')}`;
const awsAlert = (id: string) => ({ id, type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: KEY, instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1' });

async function postAlert(id: string): Promise<string> {
  const ts = nextTs();
  const res = await h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts, text: JSON.stringify(awsAlert(id)) });
  expect(res.status).toBe(200);
  return ts;
}
const sharedIn = (threadTs: string) => h.fake.sharedFiles.filter((f) => f.channel === CHANNELS.alerts && f.threadTs === threadTs);
const pictureShared = (threadTs: string) => h.waitFor(`the picture in thread ${threadTs}`, () => sharedIn(threadTs)[0], 60_000);

beforeAll(async () => {
  h = await startHarness({ pictures: { timeoutMs: TIMEOUT_MS } });
  const report = await h.cluster.load([
    keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }),
    keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux }),
  ]);
  expect(report.rejected).toEqual([]);
}, 120_000);
afterAll(async () => h?.close());

describe('the picture renderer hangs, then dies', () => {
  it('costs those verdicts their pictures only: every verdict goes out, and the next pictures are drawn by a fresh renderer', async () => {
    const { pool, lane } = h.pictures;
    const warm = await postAlert('pf-warm');
    await h.verdictOf('pf-warm');
    expect((await pictureShared(warm)).bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const hung = pool.pids[0]!;

    // Hung: the renderer stops answering with a picture in hand.
    process.kill(hung, 'SIGSTOP');
    const stuck = await postAlert('pf-hung');
    await h.verdictOf('pf-hung');
    await h.waitFor('the picture handed to the hung renderer', () => pool.load.rendering === 1 || undefined, 30_000);
    // A verdict while the picture is stuck: it is not held back.
    const during = await postAlert('pf-during');
    await h.verdictOf('pf-during');
    expect(pool.counts.timed_out).toBe(0);
    await h.waitFor('the hung picture given up', () => h.workerLogs.find((l) => l === `picture of alert pf-hung not drawn: no picture within ${TIMEOUT_MS} ms`), TIMEOUT_MS + 30_000);
    expect(h.workerLogs).toContain(`picture renderer ${hung} killed: no picture within ${TIMEOUT_MS} ms`);
    expect(sharedIn(stuck)).toEqual([]);
    await pictureShared(during);
    expect(pool.pids).toHaveLength(1);
    expect(pool.pids[0]).not.toBe(hung);

    // Dead: the renderer is killed while it draws.
    const killedThread = await postAlert('pf-killed');
    await h.verdictOf('pf-killed');
    await h.waitFor('the picture in the renderer’s hands', () => pool.load.rendering === 1 || undefined, 30_000);
    const killed = pool.pids[0]!;
    process.kill(killed, 'SIGKILL');
    await h.waitFor('the lost picture logged', () => h.workerLogs.find((l) => l === 'picture of alert pf-killed not drawn: the renderer exited (SIGKILL)'), 30_000);
    expect(sharedIn(killedThread)).toEqual([]);

    const after = await postAlert('pf-after');
    await h.verdictOf('pf-after');
    await pictureShared(after);
    expect(pool.pids).toHaveLength(1);
    expect([hung, killed]).not.toContain(pool.pids[0]);

    // Said in the metrics too.
    const lines = pictureMetricLines(lane, pool);
    expect(lines).toContain('triage_pictures_total{outcome="posted"} 3');
    expect(lines).toContain('triage_pictures_total{outcome="not_drawn_timed_out"} 1');
    expect(lines).toContain('triage_pictures_total{outcome="not_drawn_renderer_exited"} 1');
    expect(lines).toContain('triage_picture_renderers_started_total 3');
  }, 240_000);
});
