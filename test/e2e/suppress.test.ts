// Dismiss and suppress similar, and the bot's track record, end to end: signed requests through the real Bolt app,
// a real worker, Redis and Elasticsearch; Slack is the fake on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { DISMISS_VIEW } from '../../src/slack/dismiss-modal.js';
import { ACTIONS, LIFT_SUPPRESSION } from '../../src/slack/render.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { literalTexts, mrkdwnTexts, shownText } from '../support/blocks.js';
import { triggerId, type RecordedCall } from '../fakes/slack-server.js';
import { buttonClick, CHANNELS, startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
let seq = 0;
const nextTs = () => `1761000000.${String(++seq).padStart(6, '0')}`;

const INSTANCE = 'i-0feed00000000b001';
const OTHER_INSTANCE = 'i-0feed00000000c002';
const HOME_IP = '3.80.1.10'; // AWS us-east-1, the instance's own public IP
const VPS = '45.155.205.10';
const KEYS = { b1: 'ASIASUPPBENIGN00001', b2: 'ASIASUPPBENIGN00002', m3: 'ASIASUPPMALICIOUS03', b4: 'ASIASUPPBENIGN00004', other: 'ASIASUPPOTHERINST05', b6: 'ASIASUPPBENIGN00006' };

/** An AWS alert whose key was used only from the instance's own IP (benign 15, A4), unless its events say otherwise. */
const awsAlert = (id: string, key: string, instance = INSTANCE) => ({
  id,
  type: 'aws.instance_credential_exfiltration',
  time: '2026-11-05T12:00:00Z',
  title: 'Instance credentials used outside AWS',
  access_key_id: key,
  instance_id: instance,
  region: 'us-east-1',
  instance_public_ips: [HOME_IP],
});

async function postAlert(alert: unknown): Promise<string> {
  const ts = nextTs();
  const text = `New alert:\n\`\`\`${JSON.stringify(alert)}\`\`\``.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const res = await h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts, text });
  expect(res.status).toBe(200);
  return ts;
}

const shown = (args: Record<string, unknown>) => `${String(args['text'] ?? '')}\n${shownText(args['blocks'])}`;
const blocksText = (args: Record<string, unknown>) => JSON.stringify(args['blocks'] ?? []);
const statusTsOf = async (id: string) => (await h.waitFor(`state of ${id}`, async () => (await h.state.get(alertKey(id)))?.messageTs))!;

async function investigated(id: string, key: string, instance = INSTANCE) {
  const ts = await postAlert(awsAlert(id, key, instance));
  const verdict = await h.verdictOf(id);
  return { ts, verdict, statusTs: await statusTsOf(id) };
}

async function submitDismiss(key: string, reason: string, suppressDays?: string, user = USERS.responder) {
  const values: Record<string, unknown> = {
    reason: { value: { type: 'static_select', selected_option: { value: reason, text: { type: 'plain_text', text: reason } } } },
    note: { value: { type: 'plain_text_input', value: null } },
    ...(suppressDays ? { suppress: { value: { type: 'static_select', selected_option: { value: suppressDays, text: { type: 'plain_text', text: `${suppressDays} days` } } } } } : {}),
  };
  return h.interact({
    type: 'view_submission',
    team: { id: 'T0TEAM' },
    user: { id: user, username: 'resp', team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'x',
    trigger_id: triggerId(),
    view: { id: 'V0MODAL', type: 'modal', callback_id: DISMISS_VIEW, private_metadata: await h.dismissMetadataOf(key), state: { values } },
  });
}

/** A click on a Lift button of /triage suppressions' ephemeral answer (Slack sends its response_url along). */
function liftClick(suppressionId: string, responseUrl: string, user = USERS.responder) {
  return h.interact({
    type: 'block_actions',
    team: { id: 'T0TEAM' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'x',
    trigger_id: triggerId(),
    channel: { id: CHANNELS.other, name: 'soc' },
    container: { type: 'message', message_ts: '1761000999.000001', channel_id: CHANNELS.other, is_ephemeral: true },
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: LIFT_SUPPRESSION, block_id: 'b', value: suppressionId, action_ts: String(Date.now() / 1000) }],
  });
}

async function dispositions(alertId: string): Promise<Array<Record<string, unknown>>> {
  try {
    await h.cluster.es.indices.refresh({ index: h.cluster.indices.dispositions, ignore_unavailable: true });
    const r = await h.cluster.es.search({ index: h.cluster.indices.dispositions, query: { term: { alert_id: alertId } }, ignore_unavailable: true, sort: [{ '@timestamp': 'asc' }] });
    return r.hits.hits.map((x) => x._source as Record<string, unknown>);
  } catch (err) {
    // The audit's first write creates the index; its shard may not be searchable yet.
    if (/no_shard_available/.test(String((err as Error).message))) return [];
    throw err;
  }
}

const responsesSince = (n: number) => h.fake.responses.slice(n);
let suppressionId = '';

beforeAll(async () => {
  h = await startHarness({ metricsTrackRecord: true });
  const at = '2026-11-05T10:00:00Z';
  const report = await h.cluster.load([
    ...Object.values(KEYS).map((key) => keyEvent({ key, ip: HOME_IP, at, instance: key === KEYS.other ? OTHER_INSTANCE : INSTANCE })),
    // The malicious one was also used from a VPS.
    keyEvent({ key: KEYS.m3, ip: VPS, at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux }),
  ]);
  expect(report.rejected).toEqual([]);
}, 120_000);
afterAll(async () => h?.close());

describe('dismiss and suppress similar', () => {
  it('the Dismiss modal offers to suppress similar alerts for 1, 7 or 30 days, saying what is similar', async () => {
    const { verdict, statusTs } = await investigated('supp-b1', KEYS.b1);
    expect(shown(verdict.args)).toContain('Benign (score 15)');
    await h.interact(buttonClick(ACTIONS.dismiss, alertKey('supp-b1'), USERS.responder, statusTs));
    const open = await h.waitFor('views.open', () => h.fake.callsOf('views.open').find((c) => JSON.stringify(c.args['view']).includes(alertKey('supp-b1'))));
    const view = open.args['view'] as { blocks: Array<Record<string, unknown>> };
    const suppress = view.blocks.find((b) => b['block_id'] === 'suppress')!;
    expect(suppress).toMatchObject({ type: 'input', optional: true, label: { text: 'Suppress similar alerts for' } });
    expect((suppress['element'] as { options: Array<{ value: string }> }).options.map((o) => o.value)).toEqual(['1', '7', '30']);
    expect(literalTexts([suppress]).join('\n')).toContain(`instance: ${INSTANCE}`);
  });

  it('submitting it with 7 days records the dismissal and the suppression, shows both, and audits both', async () => {
    const key = alertKey('supp-b1');
    const statusTs = await statusTsOf('supp-b1');
    await submitDismiss(key, 'false_positive', '7');
    const update = await h.waitFor('dismissed message', () => h.fake.callsOf('chat.update').find((c) => c.args['ts'] === statusTs && blocksText(c.args).includes('Dismissed')));
    expect(shown(update.args)).toMatch(/similar alerts suppressed until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    const listed = await h.state.suppressions.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ flow: 'aws_instance_credentials', kind: 'instance', parts: [INSTANCE], by: USERS.responder, reason: 'false_positive', alertId: 'supp-b1' });
    const days = (Date.parse(listed[0]!.until) - Date.parse(listed[0]!.createdAt)) / 86_400_000;
    expect(days).toBe(7);
    suppressionId = listed[0]!.id;
    const audit = await h.waitFor('both audit records', async () => {
      const d = await dispositions('supp-b1');
      return d.length >= 2 ? d : undefined;
    });
    expect(audit.map((d) => d['action']).sort()).toEqual(['dismiss', 'suppress']);
    expect(audit.find((d) => d['action'] === 'suppress')).toMatchObject({ actor: USERS.responder, reason: 'false_positive', flow: 'aws_instance_credentials', suppression: { id: suppressionId, kind: 'instance', parts: [INSTANCE], days: 7 } });
    expect(audit.find((d) => d['action'] === 'dismiss')!['seconds_to_decision']).toEqual(expect.any(Number));
  });

  it('a similar alert is still investigated and recorded, but answered with one quiet line and no reaction', async () => {
    const ts = await postAlert(awsAlert('supp-b2', KEYS.b2));
    const quiet = await h.verdictOf('supp-b2', { contains: 'Suppressed' });
    expect(shown(quiet.args)).toMatch(new RegExp(`:mute: Suppressed by <@${USERS.responder}> until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(similar — instance: ${INSTANCE}\\), verdict benign 15`));
    expect(quiet.args['blocks']).toHaveLength(1);
    expect(blocksText(quiet.args)).not.toContain(ACTIONS.dismiss);
    expect(shown(quiet.args)).not.toContain('Decision path');
    // The 👀 goes; no verdict reaction comes.
    await h.waitFor('eyes removed', () => h.fake.callsOf('reactions.remove').find((c) => c.args['timestamp'] === ts && c.args['name'] === 'eyes'));
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.callsOf('reactions.add').filter((c) => c.args['timestamp'] === ts).map((c) => c.args['name'])).toEqual(['eyes']);
    const record = await h.waitFor('verdict audit', async () => {
      await h.cluster.es.indices.refresh({ index: h.cluster.indices.verdicts, ignore_unavailable: true });
      const r = await h.cluster.es.search({ index: h.cluster.indices.verdicts, query: { term: { alert_id: 'supp-b2' } }, ignore_unavailable: true });
      return r.hits.hits[0]?._source as Record<string, unknown> | undefined;
    });
    expect(record).toMatchObject({ verdict: 'benign', score: 15, suppressed_by: { id: suppressionId, by: USERS.responder } });
    expect(record['seconds_to_verdict']).toEqual(expect.any(Number));
  });

  it('an alert of another instance is not similar: answered in full', async () => {
    const { verdict } = await investigated('supp-other', KEYS.other, OTHER_INSTANCE);
    expect(shown(verdict.args)).toContain('Decision path');
    expect(shown(verdict.args)).not.toContain('suppressed');
  });

  it('a similar alert whose verdict is malicious is posted in full, with its reaction, naming the suppression', async () => {
    const ts = await postAlert(awsAlert('supp-m3', KEYS.m3));
    const full = await h.verdictOf('supp-m3');
    const text = shown(full.args);
    expect(text).toContain('Malicious (score 90)');
    expect(text).toMatch(new RegExp(`:loud_sound: Similar alerts are suppressed by <@${USERS.responder}> until \\S+Z \\(similar — instance: ${INSTANCE}\\), but this verdict is malicious: shown in full\\.`));
    expect(blocksText(full.args)).toContain(ACTIONS.escalate);
    await h.waitFor('verdict reaction', () => h.fake.callsOf('reactions.add').find((c) => c.args['timestamp'] === ts && c.args['name'] === 'rotating_light'));
  });

  it('/triage suppressions lists them for responders, each with a Lift button; others are refused', async () => {
    let n = h.fake.responses.length;
    await h.command('suppressions', USERS.outsider);
    await h.waitFor('refusal', () => responsesSince(n).find((x) => String(x['text']).includes('Only SOC responders')));
    n = h.fake.responses.length;
    await h.command('suppressions', USERS.listed);
    const list = await h.waitFor('the list', () => responsesSince(n).find((x) => String(x['text']).includes('suppression(s) in force')));
    expect(list).toMatchObject({ response_type: 'ephemeral' });
    expect(shownText(list['blocks'])).toContain(`AWS stolen instance credentials instance: ${INSTANCE}`);
    expect(shownText(list['blocks'])).toContain(`by <@${USERS.responder}> until`);
    expect(JSON.stringify(list['blocks'])).toContain(`"action_id":"${LIFT_SUPPRESSION}"`);
    expect(JSON.stringify(list['blocks'])).toContain(`"value":"${suppressionId}"`);
    // Alert values stay rich text, never mrkdwn.
    expect(mrkdwnTexts(list['blocks']).join('\n')).not.toContain(INSTANCE);
  });

  it('a responder lifts it: the list is replaced, the lifting audited; a second click finds nothing to lift', async () => {
    await liftClick(suppressionId, `${h.fake.url}/response/lift-outsider`, USERS.outsider);
    const refused = await h.waitFor('refusal', () => h.fake.responses.find((x) => String(x['text']).includes('Only SOC responders may do that')));
    expect(refused['replace_original']).toBe(false);
    expect(await h.state.suppressions.active(suppressionId)).toBeDefined();

    const n = h.fake.responses.length;
    await liftClick(suppressionId, `${h.fake.url}/response/lift-1`);
    const replaced = await h.waitFor('replaced list', () => responsesSince(n).find((x) => shownText(x['blocks']).includes('Lifted by')));
    expect(replaced).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(shownText(replaced['blocks'])).toContain('Suppressions in force*\nnone');
    expect(await h.state.suppressions.active(suppressionId)).toBeUndefined();
    const lifted = await h.waitFor('lift audited', async () => (await dispositions('supp-b1')).find((d) => d['action'] === 'lift_suppression'));
    expect(lifted).toMatchObject({ actor: USERS.responder, flow: 'aws_instance_credentials', suppression: { id: suppressionId } });

    const m = h.fake.responses.length;
    await liftClick(suppressionId, `${h.fake.url}/response/lift-2`, USERS.listed);
    await h.waitFor('nothing to lift', () => responsesSince(m).find((x) => shownText(x['blocks']).includes('already ended or been lifted')));
    expect((await dispositions('supp-b1')).filter((d) => d['action'] === 'lift_suppression')).toHaveLength(1);
  });

  it('once lifted, a similar alert is answered in full again', async () => {
    const ts = await postAlert(awsAlert('supp-b4', KEYS.b4));
    const full = await h.verdictOf('supp-b4');
    expect(shown(full.args)).toContain('Benign (score 15)');
    expect(shown(full.args)).not.toContain('Suppressed');
    await h.waitFor('verdict reaction', () => h.fake.callsOf('reactions.add').find((c) => c.args['timestamp'] === ts && c.args['name'] === 'white_check_mark'));
  });

  it('an Okta alert without a mystery session offers no suppression', async () => {
    await postAlert({ id: 'supp-okta', type: 'okta.superhuman', time: '2026-11-05T12:00:00Z', user_id: '00usupp1', ip: '185.220.101.4' });
    const verdict = await h.verdictOf('supp-okta');
    expect(shown(verdict.args)).toContain('Inconclusive');
    const statusTs = await statusTsOf('supp-okta');
    await h.interact(buttonClick(ACTIONS.dismiss, alertKey('supp-okta'), USERS.responder, statusTs));
    const open = await h.waitFor('views.open', () => h.fake.callsOf('views.open').find((c) => JSON.stringify(c.args['view']).includes(alertKey('supp-okta'))));
    const view = open.args['view'] as { blocks: Array<Record<string, unknown>> };
    expect(view.blocks.map((b) => b['block_id'])).toEqual(['reason', 'note']);
    // A forged submission asking for a suppression anyway creates none.
    await submitDismiss(alertKey('supp-okta'), 'false_positive', '30');
    await h.waitFor('dismissed', () => h.fake.callsOf('chat.update').find((c) => c.args['ts'] === statusTs && shown(c.args).includes('Dismissed')));
    expect(await h.state.suppressions.list()).toEqual([]);
  });
});

describe('the track record', () => {
  let shownStats: Record<string, unknown>;

  beforeAll(async () => {
    // A benign verdict escalated: overruled. AWS so far: supp-b1 benign dismissed (agreed); the rest undecided.
    const { statusTs } = await investigated('supp-b6', KEYS.b6);
    await h.interact(buttonClick(ACTIONS.escalate, alertKey('supp-b6'), USERS.responder, statusTs));
    await h.waitFor('escalation audited', async () => (await dispositions('supp-b6')).find((d) => d['action'] === 'escalate'));
    // Every verdict of this suite is in the audit (each is written just after its delivery is queued).
    await h.waitFor('all verdicts audited', async () => {
      await h.cluster.es.indices.refresh({ index: h.cluster.indices.verdicts });
      const r = await h.cluster.es.count({ index: h.cluster.indices.verdicts });
      return r.count >= 7;
    });
    await h.cluster.es.indices.refresh({ index: `${h.cluster.indices.verdicts},${h.cluster.indices.dispositions}` });
  }, 60_000);

  it('/triage stats shows alerts, agreement and times per flow over 7 and 30 days, and flags a flow below the minimum', async () => {
    const n = h.fake.responses.length;
    await h.command('stats', USERS.listed);
    shownStats = await h.waitFor('stats', () => responsesSince(n).find((x) => String(x['text']).startsWith('Track record')));
    expect(shownStats).toMatchObject({ response_type: 'ephemeral' });
    const text = shownText(shownStats['blocks']);
    expect(text).toContain('*Track record — last 7 days*');
    expect(text).toContain('*Track record — last 30 days*');
    // AWS: supp-b1, -b2, -other, -m3, -b4, -b6 — agreed 1 (b1), overruled 1 (b6): 50 %, below 80 %.
    expect(text).toMatch(/:warning: \*AWS stolen instance credentials\* — 6 alert\(s\) · agreement 50% \*below the minimum\* \(1 agreed, 1 overruled, 4 excluded\) · median to verdict (<1|\d+) s, to decision (<1|\d+) (s|min)/);
    expect(text).toMatch(/benign 5: 1 agreed, 1 overruled, 3 excluded/);
    expect(text).toMatch(/malicious 1: 0 agreed, 0 overruled, 1 excluded/);
    // Okta: one inconclusive alert, dismissed: excluded; nothing judged.
    expect(text).toMatch(/\*Okta impossible travel\* — 1 alert\(s\) · agreement n\/a/);
    expect(String(shownStats['text'])).toContain('below 80% agreement — AWS stolen instance credentials (7 d), AWS stolen instance credentials (30 d)');
  });

  it('is refused to non-responders', async () => {
    const n = h.fake.responses.length;
    await h.command('stats', USERS.outsider);
    const r = await h.waitFor('refusal', () => responsesSince(n)[0]);
    expect(String(r['text'])).toContain('Only SOC responders');
  });

  it('/metrics exposes it as gauges (METRICS_TRACK_RECORD=true)', async () => {
    const metrics = await (await fetch(`${h.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/^triage_track_record_up 1$/m);
    expect(metrics).toMatch(/^triage_track_record_agreement\{flow="aws_instance_credentials",window="7d"\} 0\.5$/m);
    expect(metrics).toMatch(/^triage_track_record_flagged\{flow="aws_instance_credentials",window="7d"\} 1$/m);
    expect(metrics).toMatch(/^triage_track_record_flagged\{flow="okta_impossible_travel",window="30d"\} 0$/m);
    expect(metrics).toMatch(/^triage_track_record_alerts\{flow="aws_instance_credentials",verdict="benign",outcome="overruled",window="30d"\} 1$/m);
    expect(metrics).toMatch(/^triage_track_record_median_seconds\{flow="aws_instance_credentials",verdict="benign",until="decision",window="7d"\} [\d.]+$/m);
    expect(metrics).toContain('# TYPE triage_track_record_agreement gauge');
  });

  it('the Home tab shows responders the suppressions (with Lift) and the track record; others neither', async () => {
    // A suppression in force again, to be listed.
    const { statusTs } = await investigated('supp-b7', KEYS.b4);
    await h.interact(buttonClick(ACTIONS.dismiss, alertKey('supp-b7'), USERS.responder, statusTs));
    await submitDismiss(alertKey('supp-b7'), 'benign_true_positive', '1');
    await h.waitFor('suppression', async () => (await h.state.suppressions.list()).length === 1);

    const publishes = () => h.fake.callsOf('views.publish');
    let n = publishes().length;
    await h.event({ type: 'app_home_opened', user: USERS.responder, channel: 'D0DM', tab: 'home' });
    const mine = await h.waitFor('views.publish', () => publishes().slice(n).find((c) => c.args['user_id'] === USERS.responder));
    const blocks = (mine.args['view'] as { blocks: unknown }).blocks;
    const text = shownText(blocks);
    expect(text).toContain('Suppressions in force* (1)');
    expect(text).toContain(`AWS stolen instance credentials instance: ${INSTANCE}`);
    expect(JSON.stringify(blocks)).toContain(LIFT_SUPPRESSION);
    expect(text).toContain('*Track record — last 7 days*');

    n = publishes().length;
    await h.event({ type: 'app_home_opened', user: USERS.outsider, channel: 'D0DM2', tab: 'home' });
    const theirs = await h.waitFor('views.publish', () => publishes().slice(n).find((c) => c.args['user_id'] === USERS.outsider));
    const other = shownText((theirs.args['view'] as { blocks: unknown }).blocks);
    expect(other).not.toContain('Suppressions in force');
    expect(other).not.toContain('Track record —');
    expect(other).toContain('shown to SOC responders only');
  });

  it('lifting from the Home tab publishes it again without the suppression', async () => {
    const [s] = await h.state.suppressions.list();
    const n = h.fake.callsOf('views.publish').length;
    await h.interact({
      type: 'block_actions',
      team: { id: 'T0TEAM' },
      user: { id: USERS.listed, username: 'listed', team_id: 'T0TEAM' },
      api_app_id: 'A0APP',
      token: 'x',
      trigger_id: triggerId(),
      container: { type: 'view', view_id: 'V0HOME' },
      view: { id: 'V0HOME', type: 'home', callback_id: '', private_metadata: '', hash: 'h', state: { values: {} }, blocks: [] },
      actions: [{ type: 'button', action_id: LIFT_SUPPRESSION, block_id: 'b', value: s!.id, action_ts: String(Date.now() / 1000) }],
    });
    const again: RecordedCall = await h.waitFor('home published again', () => h.fake.callsOf('views.publish').slice(n).find((c) => c.args['user_id'] === USERS.listed));
    const text = shownText((again.args['view'] as { blocks: unknown }).blocks);
    expect(text).toContain(`Lifted by <@${USERS.listed}>`);
    expect(text).toContain('Suppressions in force*\nnone');
    expect(await h.state.suppressions.list()).toEqual([]);
  });
});
