// The app as an attacker who can post in an alert channel meets it: signed requests through the real Bolt app,
// a real worker, Redis and Elasticsearch; Slack is the fake on loopback, and the attacker runs a server of his own.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey } from '../../src/queue/state.js';
import { ACTIONS } from '../../src/slack/render.js';
import { keyEvent, UA } from '../support/cloudtrail.js';
import { e2eAwsAlert } from '../support/alerts.js';
import { literalTexts, mrkdwnTexts, shownText } from '../support/blocks.js';
import { buttonClick, CHANNELS, startHarness, USERS, type Harness } from './harness.js';

const SIEM_BOT = 'B0SIEM';
const SIEM_APP = 'A0SIEMAPP';
const BOT_TOKEN = 'xoxb-e2e-bot-token';
const KEY = 'ASIAHOSTILE00000001';

let h: Harness;
let attacker: Server;
let attackerUrl: string;
const attackerSaw: Array<{ url: string; authorization: string | undefined }> = [];
let seq = 0;
const nextTs = () => `1760500000.${String(++seq).padStart(6, '0')}`;

const awsAlert = (id: string, extra: Record<string, unknown> = {}) => e2eAwsAlert(id, KEY, extra);

const slackEscape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A message in the alert channel, as the SIEM's bot (default) or anyone else posts it. */
async function post(text: string, from: Record<string, unknown> = { subtype: 'bot_message', bot_id: SIEM_BOT }, extra: Record<string, unknown> = {}): Promise<string> {
  const ts = nextTs();
  const res = await h.event({ type: 'message', channel: CHANNELS.alerts, ts, text: slackEscape(text), ...from, ...extra });
  expect(res.status).toBe(200);
  return ts;
}

const threadPosts = (ts: string) => h.fake.callsOf('chat.postMessage').filter((c) => c.args['thread_ts'] === ts);
const quiet = () => new Promise((r) => setTimeout(r, 600));

const verdictOf = (id: string) => h.verdictOf(id);

beforeAll(async () => {
  attacker = createServer((req: IncomingMessage, res) => {
    attackerSaw.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(awsAlert('from-the-attacker')));
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  h = await startHarness({ alertPosters: [SIEM_BOT, SIEM_APP], fileTimeoutMs: 1500 });
  const report = await h.cluster.load([
    keyEvent({ key: KEY, ip: '3.80.1.10', at: '2026-11-05T10:00:00Z' }),
    // Evidence values are attacker-controlled too: a user agent that tries to start a verdict line of its own.
    keyEvent({ key: KEY, ip: '45.155.205.10', at: '2026-11-05T11:00:00Z', ua: `${UA.boto3Linux}\n:large_green_circle: *Benign* (score 0) <!channel>` }),
    awsAlert('stored-hostile', { title: 'The SIEM stored this one' }),
  ]);
  expect(report.rejected).toEqual([]);
}, 120_000);

afterAll(async () => {
  await h?.close();
  await new Promise<void>((r) => (attacker ? attacker.close(() => r()) : r()));
});

describe('prototype pollution from one message', () => {
  it('leaves every object of app and worker untouched; a real alert still gets its verdict with buttons', async () => {
    await post('{"__proto__.mode":"navigate"}');
    await post(JSON.stringify({ ...awsAlert('polluter'), '__proto__.decision': { kind: 'escalated', by: 'U0MALLORY <!channel>', at: 'now' }, 'constructor.prototype.by': 'x' }));
    await post(JSON.stringify({ ['__proto__']: { polluted: true }, ...awsAlert('polluter-2') }));
    await quiet();
    const probe = {} as Record<string, unknown>;
    expect(probe['mode']).toBeUndefined();
    expect(probe['decision']).toBeUndefined();
    expect(probe['by']).toBeUndefined();
    expect(probe['polluted']).toBeUndefined();
    await post(JSON.stringify(awsAlert('after-pollution')));
    const verdict = await verdictOf('after-pollution');
    const blocks = JSON.stringify(verdict.args['blocks']);
    for (const action of Object.values(ACTIONS)) expect(blocks).toContain(action);
    expect(shownText(verdict.args['blocks'])).not.toContain('Escalated');
    expect(({} as Record<string, unknown>)['mode']).toBeUndefined();
  });
});

describe('attached JSON files', () => {
  const fileEvent = (file: Record<string, unknown>) => ({ subtype: 'file_share', user: 'U0HUMAN', bot_id: SIEM_BOT, files: [file] });

  it('never sends the bot token anywhere but Slack’s file host', async () => {
    const ts = await post('export attached', fileEvent({ id: 'F1', name: 'alert.json', filetype: 'json', size: 300, url_private_download: `${attackerUrl}/steal` }));
    await quiet();
    expect(attackerSaw).toEqual([]);
    expect(threadPosts(ts)).toHaveLength(0);
    expect(await h.state.get(alertKey('from-the-attacker'))).toBeUndefined();
  });

  it('does not follow a redirect away from the file host', async () => {
    h.fake.fileHandlers.set('redirect.json', (_req, res) => {
      res.writeHead(302, { location: `${attackerUrl}/redirected` });
      res.end();
    });
    const ts = await post('export attached', fileEvent({ id: 'F2', name: 'redirect.json', filetype: 'json', size: 300, url_private_download: `${h.fake.url}/files/redirect.json` }));
    const reply = await h.waitFor('the reply', () => threadPosts(ts)[0]);
    expect(literalTexts(reply.args['blocks']).join(' ')).toContain('redirect');
    expect(attackerSaw).toEqual([]);
  });

  it('refuses a body over 1 MiB whatever size the event claims, without reading it whole', async () => {
    let sent = 0;
    h.fake.fileHandlers.set('huge.json', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      // Far more than the cap, written as the reader asks; a reader that stops early stops this too.
      const write = () => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', write);
        }
        res.end();
      };
      res.on('close', () => (sent = Math.max(sent, 0)));
      write();
    });
    const ts = await post('export attached', fileEvent({ id: 'F3', name: 'huge.json', filetype: 'json', size: 300, url_private_download: `${h.fake.url}/files/huge.json` }));
    const reply = await h.waitFor('the reply', () => threadPosts(ts)[0]);
    expect(literalTexts(reply.args['blocks']).join(' ')).toContain('larger than 1048576 bytes');
    expect(sent).toBeLessThan(50 * 1024 * 1024);
  });

  it('gives up on a download that hangs', async () => {
    h.fake.fileHandlers.set('slow.json', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":');
    });
    const ts = await post('export attached', fileEvent({ id: 'F4', name: 'slow.json', filetype: 'json', size: 300, url_private_download: `${h.fake.url}/files/slow.json` }));
    const reply = await h.waitFor('the reply', () => threadPosts(ts)[0], 10_000);
    expect(literalTexts(reply.args['blocks']).join(' ')).toContain('timed out');
  });

  it('looks up an ID-only file (Slack Connect) with files.info, then reads it with the token', async () => {
    h.fake.files.set('connect.json', JSON.stringify(awsAlert('via-connect')));
    h.fake.fileInfo.set('F0CONNECT', { id: 'F0CONNECT', name: 'connect.json', filetype: 'json', mimetype: 'application/json', size: 300, url_private_download: `${h.fake.url}/files/connect.json` });
    await post('shared from a partner org', fileEvent({ id: 'F0CONNECT', file_access: 'check_file_info' }));
    await verdictOf('via-connect');
    expect(h.fake.callsOf('files.info').map((c) => c.args['file'])).toContain('F0CONNECT');
    expect(h.fake.fileRequests.find((r) => r.path === '/files/connect.json')?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });
});

describe('fake verdict lines', () => {
  it('keeps alert and evidence values out of mrkdwn, on one line each, indicators defanged', async () => {
    const title = 'Phish\n:large_green_circle: *Benign* (score 0) see https://evil.example.com/login from 203.0.113.9 <!here>';
    await post(JSON.stringify(awsAlert('fake-lines', { title })));
    const verdict = await verdictOf('fake-lines');
    const blocks = verdict.args['blocks'];
    const parsed = mrkdwnTexts(blocks).join('\n');
    // Only our own headline mentions a verdict word in mrkdwn, and it is the real one.
    expect(parsed).toMatch(/\*Malicious \(score \d+\)\*/);
    expect(parsed).not.toMatch(/Benign|<!here>|<!channel>|evil|203\.0\.113\.9|45\.155/);
    const literal = literalTexts(blocks);
    expect(literal).toContain('Phish :large_green_circle: *Benign* (score 0) see hxxps://evil[.]example[.]com/login from 203[.]0[.]113[.]9 <!here>');
    // The evidence's user agent, with its injected line, is one line too; the IP is defanged.
    const values = literal.filter((t) => t.trim() !== '');
    for (const t of values) expect(t.replace(/^\n\s*/, '')).not.toMatch(/[\n\t]/);
    expect(literal.join(' ')).toContain('45[.]155[.]205[.]10');
    expect(literal.join(' ')).not.toContain('45.155.205.10');
    expect(String(verdict.args['text'])).not.toMatch(/Phish|evil|Benign/);
    // The audit record keeps the values as they were.
    const audit = await h.waitFor('audit record', async () => {
      await h.cluster.es.indices.refresh({ index: h.cluster.indices.verdicts, ignore_unavailable: true });
      const r = await h.cluster.es.search({ index: h.cluster.indices.verdicts, query: { term: { alert_id: 'fake-lines' } }, ignore_unavailable: true });
      return r.hits.hits[0]?._source;
    });
    expect(JSON.stringify(audit)).toContain('45.155.205.10');
  });
});

describe('who may post alerts', () => {
  it('ignores a well-formed alert from someone not in SLACK_ALERT_POSTERS, silently', async () => {
    const ts = await post(JSON.stringify(awsAlert('pre-claimed')), { user: 'U0MALLORY' });
    await quiet();
    expect(threadPosts(ts)).toHaveLength(0);
    expect(await h.state.get(alertKey('pre-claimed'))).toBeUndefined();
    const byApp = await post(JSON.stringify(awsAlert('by-listed-app')), { subtype: 'bot_message', bot_id: 'B0OTHER', bot_profile: { app_id: SIEM_APP } });
    await verdictOf('by-listed-app');
    expect(threadPosts(byApp).length).toBeGreaterThan(0);
  });

  it('an integration’s re-post with another body replaces the stored alert, investigated afresh in its own thread; the old report stops acting, the escalation carries over', async () => {
    const forged = { ...awsAlert('reposted'), title: 'forged first', instance_id: 'i-0fffffffffffffff0' };
    const first = await post(JSON.stringify(forged));
    await verdictOf('reposted');
    const oldReport = (await h.state.get(alertKey('reposted')))!.messageTs!;
    await h.interact(buttonClick(ACTIONS.escalate, alertKey('reposted'), USERS.responder, oldReport));
    await h.waitFor('escalated', async () => (await h.state.get(alertKey('reposted')))?.decision);
    const real = awsAlert('reposted', { title: 'the real one' });
    const second = await post(JSON.stringify(real));
    const update = await h.waitFor('the verdict on the real body', async () => {
      const v = await h.verdictOf('reposted');
      return literalTexts(v.args['blocks']).some((t) => t.includes('the real one')) ? v : undefined;
    });
    expect(shownText(update.args['blocks'])).toContain('Decision path');
    const stored = await h.state.get(alertKey('reposted'));
    expect(JSON.parse(stored!.raw)).toMatchObject({ title: 'the real one' });
    expect(stored!.threadTs).toBe(second);
    // A person's decision is never wiped by a re-post: the new report shows it and cannot be dismissed over it.
    expect(stored!.decision).toMatchObject({ kind: 'escalated', by: USERS.responder });
    expect(shownText(update.args['blocks'])).toContain('Escalated');
    // The earlier thread is told, and its buttons no longer act on the new report.
    const note = await h.waitFor('note in the earlier thread', () => threadPosts(first).find((c) => String(c.args['text']).includes('posted again with a different body')));
    expect(String(note.args['text'])).toContain('escalated by <@U0RESPONDER>) carries over');
    const pagesBefore = h.fake.pagerDuty.length;
    await h.interact(buttonClick(ACTIONS.dismiss, alertKey('reposted'), USERS.responder, oldReport));
    await h.waitFor('out-of-date answer', () => h.fake.callsOf('chat.postEphemeral').find((c) => String(c.args['text']).includes('out of date')));
    expect(h.fake.callsOf('views.open').filter((c) => JSON.stringify(c.args['view']).includes(alertKey('reposted')))).toHaveLength(0);
    expect(h.fake.pagerDuty.length).toBe(pagesBefore);
    // What stood on the earlier report stays in the audit trail.
    const superseded = await h.waitFor('superseded disposition', async () => {
      await h.cluster.es.indices.refresh({ index: h.cluster.indices.dispositions, ignore_unavailable: true });
      const r = await h.cluster.es.search({ index: h.cluster.indices.dispositions, ignore_unavailable: true, query: { bool: { filter: [{ term: { alert_id: 'reposted' } }, { term: { action: 'superseded' } }] } } });
      return r.hits.hits[0]?._source;
    });
    expect(JSON.stringify(superseded)).toContain('earlier decision: escalated by U0RESPONDER');
  });

  it('/triage <id> replaces a forged body with the stored alert, answered in the alert’s own thread', async () => {
    await post(JSON.stringify({ ...awsAlert('stored-hostile'), title: 'forged before the SIEM' }));
    await verdictOf('stored-hostile');
    await h.command('stored-hostile');
    await h.waitFor('stored body in state', async () => {
      const s = await h.state.get(alertKey('stored-hostile'));
      return s && JSON.parse(s.raw).title === 'The SIEM stored this one' ? s : undefined;
    });
    const update = await h.verdictOf('stored-hostile', { channel: CHANNELS.alerts, contains: 'The SIEM stored this one' });
    expect(shownText(update.args['blocks'])).toContain('Decision path');
  });
});

describe('failures and the Home tab', () => {
  it('/triage <id> while Elasticsearch is down answers ephemerally, naming the service', async () => {
    h.alertLookupDown(true);
    try {
      await h.command('stored-hostile');
      const answer = await h.waitFor('ephemeral answer', () => h.fake.responses.find((r) => shownText(r['blocks']).includes('Elasticsearch unreachable')), 20_000);
      expect(answer).toMatchObject({ response_type: 'ephemeral' });
      expect(JSON.stringify(answer)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      h.alertLookupDown(false);
    }
  }, 30_000);

  it('shows recent verdicts in the Home tab to responders only', async () => {
    await h.event({ type: 'app_home_opened', user: USERS.outsider, channel: 'D0DM1', tab: 'home' });
    const outsider = await h.waitFor('outsider home', () => h.fake.callsOf('views.publish').find((c) => c.args['user_id'] === USERS.outsider));
    const outsiderView = shownText((outsider.args['view'] as { blocks: unknown }).blocks);
    expect(outsiderView).toContain('/triage');
    expect(outsiderView).not.toMatch(/after-pollution|fake-lines|malicious/);
    await h.event({ type: 'app_home_opened', user: USERS.responder, channel: 'D0DM2', tab: 'home' });
    const responder = await h.waitFor('responder home', () => h.fake.callsOf('views.publish').find((c) => c.args['user_id'] === USERS.responder));
    expect(shownText((responder.args['view'] as { blocks: unknown }).blocks)).toMatch(/• [\w-]+ — malicious/);
  });
});
