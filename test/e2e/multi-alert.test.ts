// A message that carries several alerts (get-findings output, an Okta Event Hook delivery as a file):
// one investigation per alert, each answered in the message's thread. Real Redis, workers, Elasticsearch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { keyEvent } from '../support/cloudtrail.js';
import { shownText } from '../support/blocks.js';
import { fixtureText } from '../support/fixtures.js';
import { CHANNELS, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const report = await h.cluster.load([
    keyEvent({ key: 'ASIAFIXTUREGDCLI0001', ip: '45.155.205.10', at: '2026-11-22T06:00:00Z', instance: 'i-0fa1b2c3d4e5f6073' }),
    keyEvent({ key: 'ASIAFIXTUREGDCLI0002', ip: '45.155.205.10', at: '2026-11-22T06:10:00Z', instance: 'i-0fa1b2c3d4e5f6074' }),
  ]);
  expect(report.rejected).toEqual([]);
}, 120_000);
afterAll(async () => h?.close());

const slackEscaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('a message carrying several alerts', () => {
  it('get-findings output in a code block: each credential finding investigated and answered in the thread', async () => {
    const ts = '1760000000.000101';
    const res = await h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts, text: slackEscaped(`GuardDuty export:\n\`\`\`${fixtureText('guardduty/get-findings.json')}\`\`\``) });
    expect(res.status).toBe(200);
    for (const id of ['5b4a3c2d1e0f9a8b7c6d5e4f3a2b1c0d', '6c5b4a3d2e1f0a9b8c7d6e5f4a3b2c1d']) {
      const verdict = await h.verdictOf(id);
      expect(shownText(verdict.args['blocks'])).toContain('score 90');
      expect(await h.state.get(alertKey(id))).toMatchObject({ channel: CHANNELS.alerts, threadTs: ts });
    }
    // The Recon finding in the same output is not an alert of ours: no job for it.
    const jobs = await h.queue.getJobs(['completed', 'active', 'waiting', 'delayed']);
    expect(jobs.filter((j) => j.data.alertKey === alertKey('9a8b7c6d5e4f30211203f4e5d6c7b8a9'))).toHaveLength(0);
    // One status-then-verdict message per alert in the thread, nothing else.
    const inThread = h.fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === ts && !c.error);
    expect(inThread).toHaveLength(2);
  });

  it('an Okta Event Hook delivery attached as a file: one investigation per Velocity event', async () => {
    h.fake.files.set('okta-hook.json', fixtureText('okta-alerts/event-hook.json'));
    const ts = '1760000000.000102';
    await h.event({
      type: 'message',
      subtype: 'file_share',
      channel: CHANNELS.alerts,
      // An integration's upload (people's posts are not alerts unless SLACK_ALERT_POSTERS says so).
      bot_id: 'B0SIEM',
      ts,
      text: 'Event hook delivery attached',
      files: [{ id: 'F0HOOK', name: 'okta-hook.json', filetype: 'json', mimetype: 'application/json', size: 9000, url_private_download: `${h.fake.url}/files/okta-hook.json` }],
    });
    for (const id of ['f1a2b3c4-0b1c-11f1-9a01-fixture00004', 'f1a2b3c4-0b1c-11f1-9a01-fixture00006']) {
      await h.verdictOf(id);
      expect(await h.state.get(alertKey(id))).toMatchObject({ threadTs: ts });
    }
    expect(await h.state.get(alertKey('f1a2b3c4-0b1c-11f1-9a01-fixture00005'))).toBeUndefined();
  });

  it('more than 100 alerts in one message: a threaded reply naming the problem, nothing queued', async () => {
    const ts = '1760000000.000103';
    const list = Array.from({ length: 101 }, (_, i) => ({ id: `many-${i}`, type: 'okta.superhuman', time: '2026-11-10T12:00:00Z', user_login: 'jane@example.com', ip: '185.220.101.4' }));
    await h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts, text: `\`\`\`${JSON.stringify(list)}\`\`\`` });
    const reply = await h.waitFor('threaded reply', () => h.fake.callsOf('chat.postMessage').find((c) => c.args['thread_ts'] === ts));
    expect(shownText(reply.args['blocks'])).toContain('more than 100 alerts in one document');
    expect(await h.state.get(alertKey('many-0'))).toBeUndefined();
  });
});
