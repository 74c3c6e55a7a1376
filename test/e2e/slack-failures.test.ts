// When Slack says no: the bot not invited, a deleted status message, an expired or rate-limited trigger, a
// failing re-run, a failed escalation post. The fake Slack answers as Slack does; the app and worker are real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { sweepClaims } from '../../src/queue/sweeper.js';
import { DISMISS_VIEW } from '../../src/slack/dismiss-modal.js';
import { ACTIONS } from '../../src/slack/render.js';
import { triggerId } from '../fakes/slack-server.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { literalTexts, shownText } from '../support/blocks.js';
import { buttonClick, CHANNELS, startHarness, USERS, type Harness } from './harness.js';

const KEY = 'ASIAFAILURES0000001';
let h: Harness;
let seq = 0;
const nextTs = () => `1760700000.${String(++seq).padStart(6, '0')}`;

const awsAlert = (id: string) => ({ id, type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: KEY, instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1' });

async function postAlert(id: string): Promise<string> {
  const ts = nextTs();
  await h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts, text: JSON.stringify(awsAlert(id)) });
  return ts;
}


async function investigated(id: string) {
  const parent = await postAlert(id);
  const key = alertKey(id);
  await h.verdictOf(id);
  const messageTs = (await h.state.get(key))!.messageTs!;
  return { parent, key, messageTs };
}

const auditCount = async (index: string, alertId: string, action?: string) => {
  await h.cluster.es.indices.refresh({ index, ignore_unavailable: true });
  const r = await h.cluster.es.search({ index, ignore_unavailable: true, query: { bool: { filter: [{ term: { alert_id: alertId } }, ...(action ? [{ term: { action } }] : [])] } } });
  return r.hits.hits;
};

/** The Dismiss modal submitted, as Slack sends it. */
const submitDismiss = async (key: string, reason: string) =>
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
      private_metadata: await h.dismissMetadataOf(key),
      state: { values: { reason: { value: { type: 'static_select', selected_option: { value: reason, text: { type: 'plain_text', text: reason } } } }, note: { value: { type: 'plain_text_input', value: null } } } },
    },
  });

const buttonEffects = async (labels: string): Promise<number> => {
  const res = await fetch(`${h.opsUrl}/metrics`);
  expect(res.status).toBe(200); // a counter read from no metrics at all would pass as 0
  const text = await res.text();
  const line = text.split('\n').find((l) => l.startsWith(`triage_button_effects_total{${labels}} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
};

beforeAll(async () => {
  h = await startHarness();
  const report = await h.cluster.load([
    keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }),
    keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux }),
    awsAlert('stored-failures'),
  ]);
  expect(report.rejected).toEqual([]);
}, 120_000);
afterAll(async () => h?.close());

describe('the worker against a Slack that says no', () => {
  it('posts the verdict anew in the thread when its message was deleted', async () => {
    const { parent, key, messageTs } = await investigated('deleted-status');
    // Someone deletes the verdict message; a re-run then finds it gone (message_not_found) and posts anew.
    h.fake.deleteMessage(CHANNELS.alerts, messageTs);
    await h.interact(buttonClick(ACTIONS.rerun, key, USERS.responder, messageTs));
    const fresh = await h.waitFor('a verdict posted in the thread', () =>
      h.fake.callsOf('chat.postMessage').find((c) => c.args['thread_ts'] === parent && c.postedTs !== messageTs && shownText(c.args['blocks']).includes('Decision path')),
    );
    expect(literalTexts(fresh.args['blocks'])).toContain('deleted-status');
    const state = await h.waitFor('new message ts saved', async () => {
      const s = await h.state.get(key);
      return s?.messageTs === fresh.postedTs ? s : undefined;
    });
    expect(h.fake.refusedOf('chat.update').some((c) => c.args['ts'] === messageTs && c.error === 'message_not_found')).toBe(true);
    expect(state.verdict?.verdict).toBe('malicious');
  });

  it('a failing re-run puts the previous verdict back, with a one-line note', async () => {
    const { key, messageTs } = await investigated('rerun-fails');
    h.failNext(2); // both attempts of the re-run
    await h.interact(buttonClick(ACTIONS.rerun, key, USERS.responder, messageTs));
    const restored = await h.waitFor('previous verdict restored', () =>
      h.fake.callsOf('chat.update').find((c) => c.args['ts'] === messageTs && shownText(c.args['blocks']).includes('re-run failed')),
    );
    const shown = shownText(restored.args['blocks']);
    expect(shown).toContain('AWS IP ranges file unavailable');
    expect(shown).toContain('Decision path');
    expect(shown).toContain('Malicious');
    expect(JSON.stringify(restored.args['blocks'])).toContain(ACTIONS.escalate);
  });
});

describe('buttons against a Slack that says no', () => {
  it('escalation still pages PagerDuty when the bot is not in the escalation channel, and says what failed', async () => {
    const { key, messageTs, parent } = await investigated('escalate-not-invited');
    h.fake.memberOf!.delete(CHANNELS.escalation);
    try {
      await h.interact(buttonClick(ACTIONS.escalate, key, USERS.responder, messageTs));
      await h.waitFor('PagerDuty', () => h.fake.pagerDuty.find((e) => e['dedup_key'] === 'escalate-not-invited'));
      const update = await h.waitFor('message shows the outcome', () => h.fake.callsOf('chat.update').find((c) => c.args['ts'] === messageTs && shownText(c.args['blocks']).includes('Slack post failed: not_in_channel')));
      expect(shownText(update.args['blocks'])).toContain('Escalated to on-call by');
      const told = await h.waitFor('the clicker is told', () => h.fake.callsOf('chat.postEphemeral').find((c) => c.args['user'] === USERS.responder && String(c.args['text']).includes('not_in_channel')));
      expect(told.args['thread_ts']).toBe(parent);
      const audit = await h.waitFor('disposition', async () => (await auditCount(h.cluster.indices.dispositions, 'escalate-not-invited', 'escalate'))[0]?._source);
      expect(audit).toMatchObject({ outcome: 'escalated; Slack post failed: not_in_channel' });
      expect((await h.state.get(key))?.decision).toMatchObject({ kind: 'escalated', outcome: 'escalated; Slack post failed: not_in_channel' });
    } finally {
      h.fake.memberOf!.add(CHANNELS.escalation);
    }
  });

  it('a Dismiss click whose trigger expired, or that Slack rate-limits, is answered in the thread', async () => {
    const { key, messageTs, parent } = await investigated('dismiss-late');
    await h.interact(buttonClick(ACTIONS.dismiss, key, USERS.responder, messageTs, Date.now() - 4000));
    const late = await h.waitFor('answer to the late click', () => h.fake.callsOf('chat.postEphemeral').find((c) => c.args['user'] === USERS.responder && String(c.args['text']).includes('Dismiss* again')));
    expect(late.args['thread_ts']).toBe(parent);
    expect(h.fake.refusedOf('views.open').map((c) => c.error)).toContain('expired_trigger_id');
    const before = h.fake.callsOf('chat.postEphemeral').length;
    h.fake.failNext.set('views.open', ['ratelimited']);
    const started = Date.now();
    await h.interact(buttonClick(ACTIONS.dismiss, key, USERS.responder, messageTs));
    await h.waitFor('answer to the rate-limited click', () => h.fake.callsOf('chat.postEphemeral').length > before);
    // Answered at once: the 5 s Retry-After was not waited out.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('a Dismiss whose chat.update Slack refuses still writes its audit record, counts the failure and says so', async () => {
    const { key, messageTs, parent } = await investigated('dismiss-update-refused');
    const failedBefore = await buttonEffects('action="dismiss",effect="slack_update",outcome="failed"');
    await h.interact(buttonClick(ACTIONS.dismiss, key, USERS.responder, messageTs));
    await h.dismissMetadataOf(key);
    h.fake.failNext.set('chat.update', ['cant_update_message']);
    await submitDismiss(key, 'false_positive');
    const audit = await h.waitFor('the dismissal audited', async () => (await auditCount(h.cluster.indices.dispositions, 'dismiss-update-refused', 'dismiss'))[0]?._source);
    expect(audit).toMatchObject({ action: 'dismiss', actor: USERS.responder, reason: 'false_positive', flow: 'aws_instance_credentials' });
    expect(h.fake.refusedOf('chat.update').some((c) => c.args['ts'] === messageTs && c.error === 'cant_update_message')).toBe(true);
    expect((await h.state.get(key))?.decision).toMatchObject({ kind: 'dismissed', by: USERS.responder });
    const told = await h.waitFor('the clicker is told', () => h.fake.callsOf('chat.postEphemeral').find((c) => c.args['user'] === USERS.responder && String(c.args['text']).includes('message update failed: cant_update_message')));
    expect(told.args['thread_ts']).toBe(parent);
    expect(await buttonEffects('action="dismiss",effect="slack_update",outcome="failed"')).toBe(failedBefore + 1);
    expect(await buttonEffects('action="dismiss",effect="audit",outcome="ok"')).toBeGreaterThanOrEqual(1);
  });

  it('/triage where the bot is not a member says how to invite it', async () => {
    await h.command('stored-failures', USERS.responder, CHANNELS.notIn);
    const answer = await h.waitFor('ephemeral answer', () => h.fake.responses.find((r) => shownText(r['blocks']).includes('/invite')));
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(h.fake.refusedOf('chat.postMessage').some((c) => c.args['channel'] === CHANNELS.notIn && c.error === 'not_in_channel')).toBe(true);
  });
});

describe('no alert lost between claim and queue', () => {
  const crashAfterClaim = async (id: string, threadTs: string) => {
    // What a crash right after the claim leaves behind: a claimed alert, no status message, no job.
    expect(await h.state.claim(alertKey(id), { alertId: id, raw: JSON.stringify(awsAlert(id)), channel: CHANNELS.alerts, threadTs, origin: 'integration' })).toBe(true);
    h.fake.seedMessage(CHANNELS.alerts, threadTs);
  };

  it('the sweeper queues a claim that has neither a job nor a verdict; the verdict lands in the thread', async () => {
    const thread = nextTs();
    await crashAfterClaim('crashed-after-claim', thread);
    expect(await sweepClaims(h.queue, h.state, 60_000)).not.toContain(alertKey('crashed-after-claim'));
    expect(await sweepClaims(h.queue, h.state, 0)).toContain(alertKey('crashed-after-claim'));
    const verdict = await h.waitFor('verdict in the thread', () => h.fake.callsOf('chat.postMessage').find((c) => c.args['thread_ts'] === thread && shownText(c.args['blocks']).includes('Decision path')));
    expect(literalTexts(verdict.args['blocks'])).toContain('crashed-after-claim');
    // Swept once: the next pass finds nothing to do.
    expect(await sweepClaims(h.queue, h.state, 0)).toEqual([]);
  });

  it('a re-post of an alert whose job went missing is investigated, not answered "already posted"', async () => {
    await crashAfterClaim('lost-then-reposted', nextTs());
    const repost = await postAlert('lost-then-reposted');
    const update = await h.verdictOf('lost-then-reposted');
    expect(literalTexts(update.args['blocks'])).toContain('lost-then-reposted');
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === repost).map((c) => shownText(c.args['blocks']))).not.toContainEqual(expect.stringContaining('already posted'));
  });

  it('a redelivered event (X-Slack-Retry-Num) is processed once and never pointed at itself', async () => {
    const ts = nextTs();
    const event = { type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts, text: JSON.stringify(awsAlert('redelivered')) };
    await h.event(event);
    const eventId = h.lastEventId();
    await h.event(event, { eventId, retryNum: 1 });
    await h.event(event, { eventId, retryNum: 2 });
    await h.verdictOf('redelivered');
    await new Promise((r) => setTimeout(r, 300));
    // One message of ours in the thread (the status post turned verdict, or the verdict if it came first), and
    // no "already posted" pointer at itself.
    const inThread = h.fake.threadMessages(CHANNELS.alerts, ts);
    expect(inThread).toHaveLength(1);
    expect(shownText(inThread[0]!.shown.args['blocks'])).toContain('Decision path');
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === ts && shownText(c.args['blocks']).includes('already posted'))).toHaveLength(0);
    const jobs = (await h.queue.getJobs(['completed', 'active', 'waiting', 'delayed'])).filter((j) => j.data.alertKey === alertKey('redelivered'));
    expect(jobs).toHaveLength(1);
  });
});
