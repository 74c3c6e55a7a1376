// Evidence links end to end (KIBANA_URL set): an alert posted in the alert channel, investigated by a real worker
// against real Elasticsearch, answered through the fake Slack with an "Open in Kibana" link on each decision step
// (the key's CloudTrail events in the window, on the suite's own index pattern); a click's update keeps them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { ACTIONS } from '../../src/slack/render.js';
import { KIBANA_LINK_TEXT } from '../../src/slack/path-lines.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { e2eAwsAlert } from '../support/alerts.js';
import { mrkdwnTexts } from '../support/blocks.js';
import { buttonClick, CHANNELS, startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
const KEY = 'ASIAE2ELINKS0000001';
const KIBANA = 'https://kibana.example.com/s/soc';

type Node = Record<string, unknown>;
const linksIn = (blocks: unknown): Node[] => (JSON.stringify(blocks ?? []).match(/\{"type":"link"[^}]*\}/g) ?? []).map((s) => JSON.parse(s) as Node);

beforeAll(async () => {
  h = await startHarness({ kibanaUrl: KIBANA });
  const report = await h.cluster.load([
    keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }),
    keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux }),
  ]);
  expect(report.rejected).toEqual([]);
}, 120_000);
afterAll(async () => h?.close());

describe('evidence links in the thread', () => {
  it('every decision step links to its search in Discover, in our words, and a decision keeps the links', async () => {
    const res = await h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts: '1750000300.000001', text: JSON.stringify(e2eAwsAlert('links-1', KEY, { title: 'see https://evil.example/x' })) });
    expect(res.status).toBe(200);
    const verdict = await h.verdictOf('links-1');
    const links = linksIn(verdict.args['blocks']);
    const steps = (JSON.stringify(verdict.args['blocks']).match(/"text":"A\d /g) ?? []).length;
    expect(steps).toBeGreaterThan(0);
    expect(links).toHaveLength(steps);
    for (const link of links) {
      expect(link['text']).toBe(KIBANA_LINK_TEXT);
      const url = String(link['url']);
      expect(url.startsWith(`${KIBANA}/app/discover#/?_g=`)).toBe(true);
      const a = decodeURIComponent(url.split('&_a=')[1]!);
      expect(a).toContain(`dataViewId:'${h.cluster.indices.cloudtrail}'`);
      expect(a).toContain(`aws.cloudtrail.user_identity.access_key_id:"${KEY}"`);
      expect(url).not.toContain('evil');
    }
    expect(mrkdwnTexts(verdict.args['blocks']).join('')).not.toContain('kibana.example.com');

    const record = (await h.state.get(alertKey('links-1')))!;
    await h.interact(buttonClick(ACTIONS.escalate, alertKey('links-1'), USERS.responder, record.messageTs!));
    const decided = await h.verdictOf('links-1', { contains: 'Escalated to on-call' });
    expect(linksIn(decided.args['blocks'])).toHaveLength(steps);
  });
});
