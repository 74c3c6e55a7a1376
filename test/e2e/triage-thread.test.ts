// /triage <id> for an alert with its own thread, end to end through the real Bolt app, a real worker, Redis and
// Elasticsearch, and the fake Slack: the verdict goes to the alert's thread, the asker gets an ephemeral confirmation
// with a permalink (or, when Slack will not give one, still says where it went); `here` answers in the channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { e2eAwsAlert } from '../support/alerts.js';
import { mrkdwnTexts, shownText } from '../support/blocks.js';
import { CHANNELS, startHarness, type Harness } from './harness.js';

let h: Harness;
let msgSeq = 0;
const nextTs = () => `1750000100.${String(++msgSeq).padStart(6, '0')}`;
const KEY = 'ASIAE2ETHREAD000001';
const awsAlert = (id: string) => e2eAwsAlert(id, KEY);

async function postAlert(alert: unknown): Promise<string> {
  const ts = nextTs();
  const res = await h.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0SIEM', channel: CHANNELS.alerts, ts, text: JSON.stringify(alert) });
  expect(res.status).toBe(200);
  return ts;
}

/** An alert posted in the alert channel, with its first verdict in its thread. */
async function answeredAlert(id: string) {
  const threadTs = await postAlert(awsAlert(id));
  await h.verdictOf(id);
  const record = (await h.state.get(alertKey(id)))!;
  expect(record.threadTs).toBe(threadTs);
  return record;
}

/** The ephemeral answer to /triage that names this alert. */
const confirmationOf = (id: string) =>
  h.waitFor(`the confirmation for ${id}`, () => h.fake.responses.find((r) => shownText(r['blocks']).includes(id) && String(r['text']).includes("alert's thread")));

/** Every showing of a verdict on this message (its post, or updates of it, with a decision path). */
const verdictShows = (channel: string, ts: string) =>
  h.fake.allCalls.filter((c) => !c.error && c.args['channel'] === channel && ((c.method === 'chat.update' && c.args['ts'] === ts) || (c.method === 'chat.postMessage' && c.postedTs === ts)) && shownText(c.args['blocks']).includes('Decision path'));

/** Waits for run `run`'s verdict to land in the record and be shown on the message after the `before` showings. */
async function verdictOfRun(id: string, run: number, where: { channel: string; ts: string }, before: number) {
  await h.waitFor(`run ${run} of ${id}`, async () => ((await h.state.get(alertKey(id)))?.verdictRun === run ? true : undefined), 20_000);
  return h.waitFor(`run ${run} of ${id} shown`, () => verdictShows(where.channel, where.ts)[before], 20_000);
}

const postsIn = (channel: string, id: string) => h.fake.callsOf('chat.postMessage').filter((c) => c.args['channel'] === channel && shownText(c.args['blocks']).includes(id));

beforeAll(async () => {
  h = await startHarness();
  const report = await h.cluster.load([
    keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }),
    keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: UA.boto3Linux }),
    awsAlert('thread-stored'),
  ]);
  expect(report.rejected).toEqual([]);
}, 120_000);
afterAll(async () => h?.close());

describe('/triage <id> for an alert with its own thread', () => {
  it('posts the verdict in the alert’s thread, nothing in the channel typed in, and confirms with a permalink', async () => {
    const record = await answeredAlert('thread-1');
    const where = { channel: CHANNELS.alerts, ts: record.messageTs! };
    const shows = verdictShows(where.channel, where.ts).length;
    const typedIn = h.fake.allCalls.length;
    await h.command('thread-1');
    const confirmation = await confirmationOf('thread-1');
    expect(confirmation['response_type']).toBe('ephemeral');
    const lead = mrkdwnTexts(confirmation['blocks']).join('\n');
    expect(lead).toContain(`<#${CHANNELS.alerts}>`);
    expect(lead).toMatch(new RegExp(`<https://example\\.slack\\.com/archives/${CHANNELS.alerts}/p${record.messageTs!.replace('.', '')}\\|open the thread>`));
    expect(lead).toContain('/triage <alert-id> here');
    expect(shows).toBeGreaterThan(0);
    const verdict = await verdictOfRun('thread-1', 1, where, shows);
    expect(shownText(verdict.args['blocks'])).toContain('Malicious');
    expect(postsIn(CHANNELS.other, 'thread-1')).toEqual([]);
    expect(h.fake.allCalls.slice(typedIn).filter((c) => c.args['channel'] === CHANNELS.other)).toEqual([]);
    // The report said so meanwhile, naming who asked.
    expect(h.fake.callsOf('chat.update').some((c) => c.args['ts'] === record.messageTs && String(c.args['text']).includes('Investigating again'))).toBe(true);
  });

  it('with `here`, answers in the channel it was typed in, as for an alert found only in Elasticsearch', async () => {
    await postAlert(awsAlert('thread-stored'));
    await h.verdictOf('thread-stored');
    await h.command('thread-stored here');
    const post = await h.waitFor('the post in the channel', () => postsIn(CHANNELS.other, 'thread-stored')[0]);
    expect(post.args['thread_ts']).toBeUndefined();
    const record = await h.waitFor('the record moved', async () => {
      const r = await h.state.get(alertKey('thread-stored'));
      return r?.channel === CHANNELS.other ? r : undefined;
    });
    expect(record.messageTs).toBe(post.postedTs);
    await verdictOfRun('thread-stored', record.runs, { channel: CHANNELS.other, ts: post.postedTs! }, 0);
  });

  it('an alert both posted and stored is investigated with the stored body, in its thread', async () => {
    const record = await answeredAlert('thread-both');
    await h.cluster.load([awsAlert('thread-both')]);
    const shows = verdictShows(CHANNELS.alerts, record.messageTs!).length;
    await h.command('thread-both');
    await confirmationOf('thread-both');
    await verdictOfRun('thread-both', 1, { channel: CHANNELS.alerts, ts: record.messageTs! }, shows);
    expect((await h.state.get(alertKey('thread-both')))).toMatchObject({ origin: 'lookup', channel: CHANNELS.alerts, threadTs: record.threadTs, messageTs: record.messageTs });
  });

  for (const error of ['message_not_found', 'channel_not_found']) {
    it(`when Slack answers ${error} for the permalink, the confirmation still says where the verdict went, without a link`, async () => {
      const id = `thread-${error}`;
      const record = await answeredAlert(id);
      const shows = verdictShows(CHANNELS.alerts, record.messageTs!).length;
      h.fake.failNext.set('chat.getPermalink', [error]);
      await h.command(id);
      const confirmation = await confirmationOf(id);
      expect(h.fake.refusedOf('chat.getPermalink').some((c) => c.error === error)).toBe(true);
      const lead = mrkdwnTexts(confirmation['blocks']).join('\n');
      expect(lead).toContain(`the verdict goes to the alert's thread in <#${CHANNELS.alerts}>`);
      expect(lead).not.toContain('open the thread');
      expect(lead).not.toContain('https://');
      await verdictOfRun(id, 1, { channel: CHANNELS.alerts, ts: record.messageTs! }, shows);
    });
  }

  it('a rate-limited permalink is waited out: the confirmation carries the link', async () => {
    await answeredAlert('thread-ratelimited');
    h.fake.failNext.set('chat.getPermalink', ['ratelimited:1']);
    await h.command('thread-ratelimited');
    const confirmation = await confirmationOf('thread-ratelimited');
    expect(h.fake.refusedOf('chat.getPermalink').some((c) => c.error === 'ratelimited')).toBe(true);
    expect(mrkdwnTexts(confirmation['blocks']).join('\n')).toContain('|open the thread>');
  });

  it('the real fake refuses a permalink for a message that does not exist', async () => {
    const before = h.fake.refusedOf('chat.getPermalink').length;
    await h.state.setMessage(alertKey('thread-1'), '1750000199.000001');
    await h.command('thread-1');
    await h.waitFor('the refusal', () => h.fake.refusedOf('chat.getPermalink').length > before);
    expect(h.fake.refusedOf('chat.getPermalink').at(-1)!.error).toBe('message_not_found');
  });

  it('a hostile alert id is a value in the confirmation: escaped in rich text, defanged, never mrkdwn', async () => {
    const id = 'thread-<!channel>-*evil*.example.com';
    await answeredAlert(id);
    await h.command(id);
    const confirmation = await h.waitFor('the confirmation', () => h.fake.responses.find((r) => shownText(r['blocks']).includes('*evil*')));
    expect(String(confirmation['text'])).toContain("alert's thread");
    const lead = mrkdwnTexts(confirmation['blocks']).join('\n');
    expect(lead).not.toContain('<!channel>');
    expect(lead).not.toContain('evil');
    expect(shownText(confirmation['blocks'])).toContain('example[.]com');
    expect(String(confirmation['text'])).not.toContain('evil');
  });

  it('a stored alert of another id that carries the typed id in a field the lookup also reads never runs in the typed alert’s thread', async () => {
    const victim = await answeredAlert('thread-victim');
    // Not the victim: its own id is thread-decoy; the victim's id sits where a GuardDuty finding id would.
    const decoy = awsAlert('thread-decoy');
    await h.cluster.load([{ ...decoy, aws: { guardduty: { id: 'thread-victim' } } }]);
    await h.command('thread-victim');
    // Answered as what it is, the decoy, in the channel typed in; the victim's record and thread are left alone.
    await h.waitFor('the decoy answered in the channel', () => postsIn(CHANNELS.other, 'thread-decoy')[0]);
    const after = (await h.state.get(alertKey('thread-victim')))!;
    expect(after.raw).toBe(victim.raw);
    expect(after.runs).toBe(victim.runs);
    expect(after.origin).toBe(victim.origin);
  });
});
