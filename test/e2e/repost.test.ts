// Issue 23, finding 1: a channel member must not bury a real alert by re-posting its id. Signed requests through
// the real Bolt app, a real worker, Redis and Elasticsearch; Slack is the fake on loopback. The alert channel is
// opened to anyone (SLACK_ALERT_POSTERS=*), the widest setting, where the attack was found.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { ACTIONS } from '../../src/slack/render.js';
import { DISMISS_VIEW } from '../../src/slack/dismiss-modal.js';
import { triggerId } from '../fakes/slack-server.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { e2eAwsAlert } from '../support/alerts.js';
import { shownText } from '../support/blocks.js';
import { buttonClick, CHANNELS, startHarness, USERS, type Harness } from './harness.js';

const SIEM = { subtype: 'bot_message', bot_id: 'B0SIEM' };
const MALLORY = { user: 'U0MALLORY' };
const EVE = { user: 'U0EVE' };
const STOLEN = 'ASIAREPOSTSTOLEN001'; // used from a VPS: malicious
const NOTHING = 'ASIAREPOSTNOTHING01'; // no events at all: inconclusive
const BENIGN = 'ASIAREPOSTBENIGN001'; // used from the instance's own IP only: benign

let h: Harness;
let seq = 0;
const nextTs = () => `1762000000.${String(++seq).padStart(6, '0')}`;

const real = (id: string) => e2eAwsAlert(id, STOLEN, { title: 'the real one', instance_public_ips: ['3.80.1.10'] });
const forged = (id: string) => e2eAwsAlert(id, NOTHING, { title: 'forged by a member' });

async function post(from: Record<string, unknown>, body: unknown): Promise<string> {
  const ts = nextTs();
  const text = `\`\`\`${JSON.stringify(body)}\`\`\``.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const res = await h.event({ type: 'message', channel: CHANNELS.alerts, ts, text, ...from });
  expect(res.status).toBe(200);
  return ts;
}

const stateOf = (id: string) => h.state.get(alertKey(id));
const threadPosts = (ts: string) => h.fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === ts);
const verdictIn = (id: string, threadTs: string) =>
  h.waitFor(`the verdict of ${id} in ${threadTs}`, async () => {
    const s = await stateOf(id);
    return s?.verdict && s.threadTs === threadTs ? s : undefined;
  }, 60_000);

beforeAll(async () => {
  h = await startHarness({ alertPosters: ['*'] });
  const report = await h.cluster.load([
    keyEvent({ key: STOLEN, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }),
    keyEvent({ key: STOLEN, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux }),
    keyEvent({ key: BENIGN, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }),
  ]);
  expect(report.rejected).toEqual([]);
}, 120_000);
afterAll(async () => h?.close());

describe('a member re-posts a real alert’s id with another body', () => {
  it('after its verdict: body, verdict, escalation and buttons stay; the member is told, and the refusal audited', async () => {
    const realTs = await post(SIEM, real('rp-after'));
    const first = await verdictIn('rp-after', realTs);
    expect(first.verdict!.verdict).toBe('malicious');
    await h.interact(buttonClick(ACTIONS.escalate, alertKey('rp-after'), USERS.responder, first.messageTs!));
    await h.waitFor('escalated', async () => (await stateOf('rp-after'))?.decision);

    const attackTs = await post(MALLORY, forged('rp-after'));
    const refusal = await h.waitFor('the refusal in the member’s thread', () => threadPosts(attackTs).find((c) => shownText(c.args['blocks']).includes('integration')));
    expect(shownText(refusal.args['blocks'])).toContain('/triage');
    const after = (await stateOf('rp-after'))!;
    expect(JSON.parse(after.raw)).toMatchObject({ title: 'the real one' });
    expect(after).toMatchObject({ threadTs: realTs, messageTs: first.messageTs, runs: 0, verdictRun: 0 });
    expect(after.verdict!.verdict).toBe('malicious');
    expect(after.decision).toMatchObject({ kind: 'escalated', by: USERS.responder });

    // The real report's buttons still act, and a re-run keeps the escalation.
    await h.interact(buttonClick(ACTIONS.rerun, alertKey('rp-after'), USERS.responder, first.messageTs!));
    const rerun = await h.waitFor('the re-run’s verdict', async () => ((await stateOf('rp-after'))?.verdictRun === 1 ? stateOf('rp-after') : undefined));
    expect(rerun!.verdict!.verdict).toBe('malicious');
    expect(rerun!.decision).toMatchObject({ kind: 'escalated' });
    expect(h.fake.callsOf('chat.postEphemeral').filter((c) => String(c.args['text']).includes('out of date'))).toHaveLength(0);
    const refused = await h.waitFor('the audited refusal', async () => {
      await h.cluster.es.indices.refresh({ index: h.cluster.indices.dispositions, ignore_unavailable: true });
      const r = await h.cluster.es.search({ index: h.cluster.indices.dispositions, ignore_unavailable: true, query: { bool: { filter: [{ term: { alert_id: 'rp-after' } }, { term: { action: 'repost_refused' } }] } } });
      return r.hits.hits[0]?._source;
    });
    expect(refused).toMatchObject({ actor: 'U0MALLORY' });
  });

  it('before a worker takes the real job: the real body is investigated and its verdict delivered in the real thread', async () => {
    await h.pauseInvestigations();
    let realTs: string;
    try {
      realTs = await post(SIEM, real('rp-before'));
      await post(MALLORY, forged('rp-before'));
      await h.waitFor('the refusal', async () => (await h.fake.callsOf('chat.postMessage').some((c) => shownText(c.args['blocks']).includes('integration') && c.args['thread_ts'] !== realTs)) || undefined);
    } finally {
      h.resumeInvestigations();
    }
    const s = await verdictIn('rp-before', realTs);
    expect(s.verdict!.verdict).toBe('malicious');
    expect(JSON.parse(s.raw)).toMatchObject({ title: 'the real one' });
  });

  it('three real ids in one message: all three stay malicious', async () => {
    const ids = ['rp-three-1', 'rp-three-2', 'rp-three-3'];
    const threads = [];
    for (const id of ids) threads.push(await post(SIEM, real(id)));
    for (const [i, id] of ids.entries()) expect((await verdictIn(id, threads[i]!)).verdict!.verdict).toBe('malicious');
    await post(MALLORY, ids.map(forged));
    await new Promise((r) => setTimeout(r, 1500));
    for (const [i, id] of ids.entries()) {
      const s = (await stateOf(id))!;
      expect(s).toMatchObject({ threadTs: threads[i], runs: 0 });
      expect(s.verdict!.verdict).toBe('malicious');
    }
  });
});

describe('bodies posted by people', () => {
  it('a job investigates the body it was queued with; a stale run’s verdict never lands, but a malicious one is still delivered', async () => {
    await h.pauseInvestigations();
    let firstTs: string;
    let secondTs: string;
    try {
      firstTs = await post(MALLORY, real('rp-people'));
      secondTs = await post(EVE, forged('rp-people'));
      await h.waitFor('the second post’s claim', async () => ((await stateOf('rp-people'))?.threadTs === secondTs ? true : undefined));
    } finally {
      h.resumeInvestigations();
    }
    const s = await verdictIn('rp-people', secondTs);
    expect(s.verdictRun).toBe(1);
    expect(s.verdict!.verdict).not.toBe('malicious');
    // Run 0 investigated the first body (malicious): said in the first thread, as an earlier run's verdict.
    const earlier = await h.waitFor('the stale malicious verdict in the first thread', () => threadPosts(firstTs).find((c) => shownText(c.args['blocks']).includes('Malicious')), 60_000);
    expect(shownText(earlier.args['blocks'])).toContain('earlier run');
    await new Promise((r) => setTimeout(r, 500));
    expect((await stateOf('rp-people'))!.verdictRun).toBe(1);
  });

  it('an integration’s post replaces a member’s forgery of its id; the decision made on the forgery stays with the forgery', async () => {
    const forgedTs = await post(MALLORY, forged('rp-future'));
    const f = await verdictIn('rp-future', forgedTs);
    await h.interact(buttonClick(ACTIONS.escalate, alertKey('rp-future'), USERS.responder, f.messageTs!));
    await h.waitFor('escalated', async () => (await stateOf('rp-future'))?.decision);
    const realTs = await post(SIEM, real('rp-future'));
    const s = await verdictIn('rp-future', realTs);
    expect(s.verdict!.verdict).toBe('malicious');
    expect(s.decision).toBeUndefined();
    expect(JSON.parse(s.raw)).toMatchObject({ title: 'the real one' });
    const note = await h.waitFor('note in the forged thread', () => threadPosts(forgedTs).find((c) => String(c.args['text']).includes('posted again')), 60_000);
    expect(String(note.args['text'])).toContain('stays with this report');
  });
});

describe('a Dismiss dialog left open (issue 23, finding 2)', () => {
  const submit = (privateMetadata: string, days: string) =>
    h.interact({
      type: 'view_submission',
      team: { id: 'T0TEAM' },
      user: { id: USERS.responder, username: 'resp', team_id: 'T0TEAM' },
      api_app_id: 'A0APP',
      token: 'x',
      trigger_id: triggerId(),
      view: {
        id: 'V0MODAL',
        type: 'modal',
        callback_id: DISMISS_VIEW,
        private_metadata: privateMetadata,
        state: {
          values: {
            reason: { value: { type: 'static_select', selected_option: { value: 'false_positive', text: { type: 'plain_text', text: 'False positive' } } } },
            suppress: { value: { type: 'static_select', selected_option: { value: days, text: { type: 'plain_text', text: `${days} days` } } } },
          },
        },
      },
    });

  it('refuses to dismiss or suppress once the alert it showed was replaced by another body, saying why', async () => {
    const firstTs = await post(SIEM, e2eAwsAlert('rp-dialog', BENIGN, { instance_public_ips: ['3.80.1.10'] }));
    const shown = await verdictIn('rp-dialog', firstTs);
    expect(shown.verdict!.verdict).toBe('benign');
    await h.interact(buttonClick(ACTIONS.dismiss, alertKey('rp-dialog'), USERS.responder, shown.messageTs!));
    const open = await h.waitFor('the dialog', () => h.fake.callsOf('views.open').find((c) => JSON.stringify(c.args['view']).includes(alertKey('rp-dialog'))));
    const view = open.args['view'] as { private_metadata: string };
    expect(JSON.stringify(view)).toContain('i-0a1b2c3d4e5f60718');
    // While it is open, the integration posts the id again about another instance.
    const secondTs = await post(SIEM, e2eAwsAlert('rp-dialog', BENIGN, { instance_id: 'i-0feed00000000c002', instance_public_ips: ['3.80.1.10'] }));
    await verdictIn('rp-dialog', secondTs);
    await submit(view.private_metadata, '30');
    const told = await h.waitFor('the refusal', () => h.fake.callsOf('chat.postEphemeral').find((c) => c.args['user'] === USERS.responder && String(c.args['text']).includes('nothing was dismissed')));
    expect(String(told.args['text'])).toContain('changed');
    await new Promise((r) => setTimeout(r, 300));
    expect((await stateOf('rp-dialog'))!.decision).toBeUndefined();
    expect(await h.state.suppressions.list()).toEqual([]);
  });

  it('dismisses and suppresses what it showed when nothing changed', async () => {
    const ts = await post(SIEM, e2eAwsAlert('rp-dialog-ok', BENIGN, { instance_public_ips: ['3.80.1.10'] }));
    const shown = await verdictIn('rp-dialog-ok', ts);
    await h.interact(buttonClick(ACTIONS.dismiss, alertKey('rp-dialog-ok'), USERS.responder, shown.messageTs!));
    const open = await h.waitFor('the dialog', () => h.fake.callsOf('views.open').find((c) => JSON.stringify(c.args['view']).includes(alertKey('rp-dialog-ok'))));
    await submit((open.args['view'] as { private_metadata: string }).private_metadata, '1');
    await h.waitFor('the decision', async () => (await stateOf('rp-dialog-ok'))?.decision);
    const [suppression] = await h.waitFor('the suppression', async () => {
      const list = await h.state.suppressions.list();
      return list.length ? list : undefined;
    });
    expect(suppression).toMatchObject({ kind: 'instance', parts: ['i-0a1b2c3d4e5f60718'], alertId: 'rp-dialog-ok' });
  });
});

// Last: the member's 100 alerts keep Slack's (fake) rate limit busy for a while after.
describe('a backlog the member makes', () => {
  it('behind a backlog of 100 alerts the member posted: the real verdict is malicious and delivered', async () => {
    const junk = Array.from({ length: 100 }, (_, i) => forged(`rp-junk-${i}`));
    await post(MALLORY, junk);
    const realTs = await post(SIEM, real('rp-backlog'));
    await post(MALLORY, forged('rp-backlog'));
    const s = await verdictIn('rp-backlog', realTs);
    expect(s.verdict!.verdict).toBe('malicious');
    const shown = await h.verdictOf('rp-backlog');
    expect(shownText(shown.args['blocks'])).toContain('Malicious');
  }, 120_000);
});
