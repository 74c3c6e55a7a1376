// The Slack bot end to end: alert messages, /triage, escalation, dismissal, re-run, authorization,
// signatures and escaping, against the fake Slack, with real Redis, BullMQ workers and Elasticsearch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { DISMISS_VIEW } from '../../src/slack/dismiss-modal.js';
import { ACTIONS } from '../../src/slack/render.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { e2eAwsAlert } from '../support/alerts.js';
import { literalTexts, mrkdwnTexts, shownText } from '../support/blocks.js';
import { buttonClick, CHANNELS, startHarness, USERS, type Harness } from './harness.js';

let h: Harness;
let msgSeq = 0;
const nextTs = () => `1750000000.${String(++msgSeq).padStart(6, '0')}`;

const KEY = 'ASIAE2ESTOLEN000001';
const awsAlert = (id: string, extra: Record<string, unknown> = {}) => e2eAwsAlert(id, KEY, extra);

/** Posts an alert message into the alert channel as an integration would. */
async function postAlert(alert: unknown, opts: { channel?: string; asCodeBlock?: boolean } = {}): Promise<string> {
  const ts = nextTs();
  const json = JSON.stringify(alert);
  const text = (opts.asCodeBlock ?? true) ? `New alert:\n\`\`\`${json}\`\`\`` : json;
  // Slack escapes &, < and > in message text.
  const res = await h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: opts.channel ?? CHANNELS.alerts, ts, text: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') });
  expect(res.status).toBe(200);
  return ts;
}

const threadPosts = (ts: string) => h.fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === ts);
const blocksText = (args: Record<string, unknown>) => JSON.stringify(args['blocks'] ?? []);
/** What a reader sees of a call's message (or a response_url answer). */
const shown = (args: Record<string, unknown>) => `${String(args['text'] ?? '')}\n${shownText(args['blocks'])}`;

/** The verdict message of the alert posted as thread `parentTs`: the status message updated, or a post in the thread. */
async function verdictFor(parentTs: string) {
  const key = alertKeyOfThread(parentTs);
  const update = await h.verdictOf((await h.waitFor('state', () => h.state.get(key)))!.alertId);
  const statusTs = (await h.state.get(key))!.messageTs!;
  return { statusTs, update };
}

const threadKeys = new Map<string, string>();
const alertKeyOfThread = (ts: string) => threadKeys.get(ts)!;

beforeAll(async () => {
  h = await startHarness();
  const report = await h.cluster.load([
    keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }),
    keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux }),
    awsAlert('stored-e2e-alert'),
  ]);
  expect(report.rejected).toEqual([]);
}, 120_000);
afterAll(async () => h?.close());

describe('alerts posted in the alert channel', () => {
  it('gets exactly one threaded verdict, with buttons, and a reaction on the alert', async () => {
    const ts = await postAlert(awsAlert('e2e-1'));
    threadKeys.set(ts, alertKey('e2e-1'));
    const { update } = await verdictFor(ts);
    // One message in the thread: "Investigating…" turned into the verdict (or the verdict itself, had it come first).
    expect(threadPosts(ts)).toHaveLength(1);
    const blocks = blocksText(update.args);
    expect(blocks).toContain('Malicious');
    expect(blocks).toContain('score 90');
    expect(blocks).toContain('A1');
    for (const action of Object.values(ACTIONS)) expect(blocks).toContain(action);
    expect(h.fake.callsOf('reactions.add').find((c) => c.args['timestamp'] === ts)?.args['name']).toBe('eyes');
    await h.waitFor('verdict reaction', () => h.fake.callsOf('reactions.add').find((c) => c.args['timestamp'] === ts && c.args['name'] === 'rotating_light'));
    await h.waitFor('eyes removed', () => h.fake.callsOf('reactions.remove').find((c) => c.args['timestamp'] === ts && c.args['name'] === 'eyes'));
    const audit = await h.waitFor('audit record', async () => {
      await h.cluster.es.indices.refresh({ index: h.cluster.indices.verdicts, ignore_unavailable: true });
      const r = await h.cluster.es.search({ index: h.cluster.indices.verdicts, query: { term: { alert_id: 'e2e-1' } }, ignore_unavailable: true });
      return r.hits.hits.length ? r.hits.hits : undefined;
    });
    expect(audit[0]!._source).toMatchObject({ alert_id: 'e2e-1', flow: 'aws_instance_credentials', verdict: 'malicious', score: 90 });
  });

  it('investigates the same alert posted twice only once; the second post gets a pointer to the first', async () => {
    const first = await postAlert(awsAlert('e2e-dup'));
    threadKeys.set(first, alertKey('e2e-dup'));
    await verdictFor(first);
    const second = await postAlert(awsAlert('e2e-dup'), { asCodeBlock: false });
    const pointer = await h.waitFor('pointer reply', () => threadPosts(second)[0]);
    expect(shown(pointer.args)).toMatch(/already posted: see <https:\/\/example\.slack\.com\/archives\/C0ALERTS\/p\d+\|the first report>/);
    expect(literalTexts(pointer.args['blocks'])).toContain('e2e-dup');
    await new Promise((r) => setTimeout(r, 500));
    expect(threadPosts(second)).toHaveLength(1);
    const jobs = await h.queue.getJobs(['completed', 'active', 'waiting', 'delayed']);
    expect(jobs.filter((j) => j.data.alertKey === alertKey('e2e-dup'))).toHaveLength(1);
  });

  it('accepts alert ids of any characters (job ids are derived, not copied)', async () => {
    const id = 'weird:id/with spaces,{braces}&<!here>';
    const ts = await postAlert(awsAlert(id));
    threadKeys.set(ts, alertKey(id));
    const { update } = await verdictFor(ts);
    // Shown literally (rich text), never as mrkdwn.
    expect(literalTexts(update.args['blocks'])).toContain(id);
    expect(mrkdwnTexts(update.args['blocks']).join('\n')).not.toContain('<!here>');
  });

  it('escapes alert text: <!channel> in a title never reaches Slack as a mention', async () => {
    const ts = await postAlert(awsAlert('e2e-escape', { title: 'Urgent <!channel> <@U0BOSS> <https://evil.test|click me> & more' }));
    threadKeys.set(ts, alertKey('e2e-escape'));
    const { update } = await verdictFor(ts);
    const title = 'Urgent <!channel> <@U0BOSS> <hxxps://evil[.]test|click me> & more';
    expect(literalTexts(update.args['blocks'])).toContain(title);
    const parsed = mrkdwnTexts(update.args['blocks']).join('\n');
    expect(parsed).not.toContain('<!channel>');
    expect(parsed).not.toContain('<@U0BOSS>');
    expect(String(update.args['text'])).not.toContain('<!channel>');
  });

  it('answers a malformed alert with a short threaded reply naming the problem; ignores chatter and other channels', async () => {
    const bad = await postAlert({ id: 'e2e-bad', type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z' });
    const reply = await h.waitFor('problem reply', () => threadPosts(bad)[0]);
    expect(shown(reply.args)).toContain('cannot be read');
    expect(literalTexts(reply.args['blocks'])).toContain('access_key_id: missing');
    const chatter = nextTs();
    await h.event({ type: 'message', channel: CHANNELS.alerts, user: 'U0HUMAN', ts: chatter, text: 'anyone seen this {weird} thing?' });
    const elsewhere = await postAlert(awsAlert('e2e-elsewhere'), { channel: CHANNELS.other });
    await new Promise((r) => setTimeout(r, 500));
    expect(threadPosts(chatter)).toHaveLength(0);
    expect(threadPosts(elsewhere)).toHaveLength(0);
  });

  it('by default takes alerts from integrations only: a member’s post of an alert, even of a known id, is conversation', async () => {
    await postAlert(awsAlert('e2e-integration-only'));
    const before = await h.verdictOf('e2e-integration-only');
    const human = nextTs();
    const text = JSON.stringify(awsAlert('e2e-integration-only', { title: 'a member’s body' }));
    await h.event({ type: 'message', channel: CHANNELS.alerts, user: 'U0HUMAN', ts: human, text });
    const fresh = nextTs();
    await h.event({ type: 'message', channel: CHANNELS.alerts, user: 'U0HUMAN', ts: fresh, text: JSON.stringify(awsAlert('e2e-by-a-member')) });
    await new Promise((r) => setTimeout(r, 500));
    expect(threadPosts(human)).toHaveLength(0);
    expect(threadPosts(fresh)).toHaveLength(0);
    expect(await h.state.get(alertKey('e2e-by-a-member'))).toBeUndefined();
    const s = (await h.state.get(alertKey('e2e-integration-only')))!;
    expect(s.runs).toBe(0);
    expect(s.messageTs).toBe(before.args['ts'] ?? s.messageTs);
    expect(JSON.parse(s.raw).title).not.toBe('a member’s body');
  });

  it('retries a job whose evidence source failed, and updates the same message instead of posting another', async () => {
    h.failNext(1);
    const ts = await postAlert(awsAlert('e2e-retry'));
    threadKeys.set(ts, alertKey('e2e-retry'));
    const { update } = await verdictFor(ts);
    expect(blocksText(update.args)).toContain('Malicious');
    expect(threadPosts(ts)).toHaveLength(1);
    const job = await h.waitFor('the job completed', async () => {
      const j = await h.queue.getJob(`alert-${alertKey('e2e-retry')}`);
      return j && (await j.isCompleted()) ? j : undefined;
    });
    expect(job.attemptsMade).toBe(2);
  });

  it('reads an alert attached as a JSON file', async () => {
    h.fake.files.set('guardduty.json', JSON.stringify(awsAlert('e2e-file')));
    const ts = nextTs();
    threadKeys.set(ts, alertKey('e2e-file'));
    await h.event({
      type: 'message',
      subtype: 'file_share',
      channel: CHANNELS.alerts,
      // An integration's upload (people's posts are not alerts unless SLACK_ALERT_POSTERS says so).
      bot_id: 'B0SIEM',
      ts,
      text: 'GuardDuty export attached',
      files: [{ id: 'F0FILE', name: 'guardduty.json', filetype: 'json', mimetype: 'application/json', size: 400, url_private_download: `${h.fake.url}/files/guardduty.json` }],
    });
    const { update } = await verdictFor(ts);
    expect(blocksText(update.args)).toContain('e2e-file');
  });

  it('rejects a forged signature and a stale timestamp', async () => {
    const body = JSON.stringify({ type: 'event_callback', event: { type: 'message', channel: CHANNELS.alerts, ts: nextTs(), text: JSON.stringify(awsAlert('e2e-forged')) } });
    const forged = await h.send('/slack/events', body, 'application/json', { forge: true });
    expect(forged.status).toBe(401);
    const stale = await h.send('/slack/events', body, 'application/json', { age: 10 * 60 });
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.state.get(alertKey('e2e-forged'))).toBeUndefined();
  });
});

describe('/triage', () => {
  it('acknowledges at once, looks the alert up in Elasticsearch and answers in the channel', async () => {
    const started = Date.now();
    const res = await h.command('stored-e2e-alert');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    const post = await h.waitFor('channel post', () => h.fake.callsOf('chat.postMessage').find((c) => c.args['channel'] === CHANNELS.other && shown(c.args).includes('stored-e2e-alert')));
    expect(post.args['thread_ts']).toBeUndefined();
    const update = await h.waitFor('verdict', () => h.fake.callsOf('chat.update').find((c) => c.args['channel'] === CHANNELS.other && blocksText(c.args).includes('stored-e2e-alert') && blocksText(c.args).includes('Malicious')));
    expect(blocksText(update.args)).toContain(ACTIONS.escalate);
  });

  it('answers an unknown id ephemerally', async () => {
    await h.command('no-such-alert');
    const r = await h.waitFor('ephemeral answer', () => h.fake.responses.find((x) => shown(x).includes('no-such-alert')));
    expect(r).toMatchObject({ response_type: 'ephemeral' });
    expect(shown(r)).toContain('No alert with this id');
  });

  it('shows help to anyone, refuses the rest to non-responders, and shows status', async () => {
    await h.command('help', USERS.outsider);
    await h.waitFor('help', () => h.fake.responses.find((x) => String(x['text']).includes('/triage status')));
    await h.command('stored-e2e-alert', USERS.outsider);
    await h.waitFor('refusal', () => h.fake.responses.find((x) => String(x['text']).includes('Only SOC responders may run /triage')));
    await h.command('status', USERS.listed);
    const status = await h.waitFor('status', () => h.fake.responses.find((x) => String(x['text']).includes('*Workers:*')));
    expect(String(status['text'])).toMatch(/\*Workers:\* 1/);
    expect(shown(status)).toMatch(/Last verdicts:\*\n(.|\n)*• e2e-/);
  });
});

describe('buttons', () => {
  async function investigated(id: string) {
    const ts = await postAlert(awsAlert(id));
    threadKeys.set(ts, alertKey(id));
    const { statusTs } = await verdictFor(ts);
    return { key: alertKey(id), statusTs };
  }

  it('escalate by a non-responder is refused and changes nothing', async () => {
    const { key, statusTs } = await investigated('e2e-refuse');
    const updatesBefore = h.fake.callsOf('chat.update').length;
    await h.interact(buttonClick(ACTIONS.escalate, key, USERS.outsider, statusTs));
    const refusal = await h.waitFor('refusal', () => h.fake.callsOf('chat.postEphemeral').find((c) => c.args['user'] === USERS.outsider));
    expect(String(refusal.args['text'])).toContain('Only SOC responders');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.callsOf('chat.update').length).toBe(updatesBefore);
    expect((await h.state.get(key))?.decision).toBeUndefined();
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args['channel'] === CHANNELS.escalation && shown(c.args).includes('e2e-refuse'))).toHaveLength(0);
  });

  it('escalate by a responder: escalation post with on-call mention and permalink, PagerDuty, message updated; a second click says who did', async () => {
    const { key, statusTs } = await investigated('e2e-escalate');
    await h.interact(buttonClick(ACTIONS.escalate, key, USERS.responder, statusTs));
    const post = await h.waitFor('escalation post', () => h.fake.callsOf('chat.postMessage').find((c) => c.args['channel'] === CHANNELS.escalation && shown(c.args).includes('e2e-escalate')));
    expect(String(post.args['text'])).toContain('<!subteam^S0ONCALL>');
    expect(String(post.args['text'])).toContain(`https://example.slack.com/archives/${CHANNELS.alerts}/p${statusTs.replace('.', '')}`);
    const pd = await h.waitFor('PagerDuty trigger', () => h.fake.pagerDuty.find((e) => e['dedup_key'] === 'e2e-escalate'));
    expect(pd).toMatchObject({ routing_key: 'pd-routing-key-e2e', event_action: 'trigger', payload: { severity: 'critical', source: 'soc-triage-bot' } });
    const update = await h.waitFor('message shows the escalation', () => h.fake.callsOf('chat.update').find((c) => c.args['ts'] === statusTs && shown(c.args).includes('Escalated to on-call by')));
    expect(shown(update.args)).toContain(`Escalated to on-call by <@${USERS.responder}>`);
    expect(blocksText(update.args)).not.toContain(ACTIONS.escalate);
    await h.interact(buttonClick(ACTIONS.escalate, key, USERS.listed, statusTs));
    const again = await h.waitFor('already escalated', () => h.fake.callsOf('chat.postEphemeral').find((c) => c.args['user'] === USERS.listed && String(c.args['text']).includes('already escalated')));
    expect(String(again.args['text'])).toContain(`<@${USERS.responder}>`);
    expect(h.fake.pagerDuty.filter((e) => e['dedup_key'] === 'e2e-escalate')).toHaveLength(1);
  });

  it('dismiss opens a modal; its submission records the disposition and updates the message', async () => {
    const { key, statusTs } = await investigated('e2e-dismiss');
    await h.interact(buttonClick(ACTIONS.dismiss, key, USERS.responder, statusTs));
    const open = await h.waitFor('views.open', () => h.fake.callsOf('views.open').find((c) => JSON.stringify(c.args['view']).includes(key)));
    expect(JSON.stringify(open.args['view'])).toContain(DISMISS_VIEW);
    await h.interact({
      type: 'view_submission',
      team: { id: 'T0TEAM' },
      user: { id: USERS.responder, username: 'resp', team_id: 'T0TEAM' },
      api_app_id: 'A0APP',
      token: 'x',
      trigger_id: 'trig-submit',
      view: {
        id: 'V0MODAL',
        type: 'modal',
        callback_id: DISMISS_VIEW,
        private_metadata: await h.dismissMetadataOf(key),
        state: { values: { reason: { value: { type: 'static_select', selected_option: { value: 'false_positive', text: { type: 'plain_text', text: 'False positive' } } } }, note: { value: { type: 'plain_text_input', value: 'Pentest <!here> by red team' } } } },
      },
    });
    const update = await h.waitFor('dismissed message', () => h.fake.callsOf('chat.update').find((c) => c.args['ts'] === statusTs && blocksText(c.args).includes('Dismissed')));
    expect(shown(update.args)).toContain('False positive: Pentest <!here> by red team');
    expect(mrkdwnTexts(update.args['blocks']).join('\n')).not.toContain('<!here>');
    const stored = await h.waitFor('disposition', async () => {
      await h.cluster.es.indices.refresh({ index: h.cluster.indices.dispositions, ignore_unavailable: true });
      const r = await h.cluster.es.search({ index: h.cluster.indices.dispositions, query: { term: { alert_id: 'e2e-dismiss' } }, ignore_unavailable: true });
      return r.hits.hits[0]?._source;
    });
    expect(stored).toMatchObject({ alert_id: 'e2e-dismiss', action: 'dismiss', actor: USERS.responder, reason: 'false_positive', note: 'Pentest <!here> by red team', verdict: 'malicious', score: 90, flow: 'aws_instance_credentials' });
  });

  it('re-run investigates again although the first job is retained, updating the same message', async () => {
    const { key, statusTs } = await investigated('e2e-rerun');
    const before = h.fake.callsOf('chat.update').filter((c) => c.args['ts'] === statusTs && blocksText(c.args).includes('Decision path')).length;
    await h.interact(buttonClick(ACTIONS.rerun, key, USERS.listed, statusTs));
    await h.waitFor('second verdict', () => h.fake.callsOf('chat.update').filter((c) => c.args['ts'] === statusTs && blocksText(c.args).includes('Decision path')).length > before);
    // The message is updated just before the job is marked completed.
    const jobs = await h.waitFor('both jobs completed', async () => {
      const ids = (await h.queue.getJobs(['completed'])).filter((j) => j.data.alertKey === key).map((j) => j.id ?? '').sort();
      return ids.length === 2 ? ids : undefined;
    });
    expect(jobs).toEqual([`alert-${key}`, `alert-${key}-run-1`]);
    // One message of ours in the thread, whichever of status post and verdict landed first.
    const parent = [...threadKeys.entries()].find(([, k]) => k === key)![0];
    expect(h.fake.threadMessages(CHANNELS.alerts, parent)).toHaveLength(1);
  });
});

describe('app home', () => {
  it('publishes usage and the last verdicts when the Home tab opens', async () => {
    await h.event({ type: 'app_home_opened', user: USERS.responder, channel: 'D0DM', tab: 'home' });
    const publish = await h.waitFor('views.publish', () => h.fake.callsOf('views.publish').find((c) => c.args['user_id'] === USERS.responder));
    const view = JSON.stringify(publish.args['view']);
    expect(view).toContain('/triage status');
    expect(shownText((publish.args['view'] as { blocks: unknown }).blocks)).toMatch(/Last verdicts(.|\n)*• e2e-[a-z-]+ — malicious \(90\) aws_instance_credentials/);
  });
});

describe('operations endpoints', () => {
  it("Slack's port serves none of /healthz, /readyz and /metrics (issue 23: verdict counts were readable there)", async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) expect([path, (await fetch(`${h.url}${path}`)).status]).toEqual([path, 404]);
  });

  it('/healthz answers ok and /metrics exposes queue depth, latency and verdict counts on the ops listener, without the track record by default', async () => {
    const health = await fetch(`${h.opsUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { redis: true } });
    const metrics = await (await fetch(`${h.opsUrl}/metrics`)).text();
    expect(metrics).not.toContain('triage_track_record');
    expect(metrics).toMatch(/^triage_queue_jobs\{state="waiting"\} \d+$/m);
    expect(metrics).toMatch(/^triage_job_latency_seconds_count [1-9]\d*$/m);
    expect(metrics).toMatch(/^triage_verdicts_total\{flow="aws_instance_credentials",verdict="malicious"\} [1-9]\d*$/m);
  });
});
