// A fake of Slack's Web API (and response_url, file downloads and uploads, PagerDuty Events v2) on 127.0.0.1 that
// fails as Slack does: channels the bot is not in, Block Kit over its limits, deleted messages, rate limits with
// Retry-After, expired triggers, unknown upload tickets. The real Bolt app and WebClient talk to it; every call is
// recorded. Uploads work as files.uploadV2 drives them: files.getUploadURLExternal hands out an upload URL and a
// file id, the bytes are POSTed there, files.completeUploadExternal shares the file (in a thread).
// conversations.history follows Slack's Web API reference: newest first, `oldest`/`latest` exclusive unless
// `inclusive`, `limit` (default 100, at most 999), `has_more` and `response_metadata.next_cursor` (an opaque
// base64 "next_ts:…" cursor, as Slack's look), top-level messages and broadcasts only (replies live in threads);
// reactions.get answers `message.reactions` [{ name, users, count }] as Slack does; chat.getPermalink answers
// channel_not_found and message_not_found as Slack does.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockProblem, RateLimiter, SLACK_RATE_LIMITS, type RateLimit } from './slack-rules.js';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** Slack's error code when the call was refused (HTTP 200 with ok: false, or 429 ratelimited). */
  error?: string;
  /** The ts of the message a chat.postMessage created. */
  postedTs?: string;
  /** When the call arrived (ms since the epoch, sub-millisecond): benchmarks time verdicts by it. */
  at: number;
}

/** A message as conversations.history returns it (the fields the app reads). */
export interface HistoryMessage {
  type?: 'message';
  ts?: string;
  text?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  thread_ts?: string;
  files?: unknown[];
}

/** The bot's identity, as auth.test answers it. */
export const FAKE_BOT = { userId: 'U0BOT', botId: 'B0BOT' } as const;

export interface FakeSlackOptions {
  /** Members of the responder user group. */
  responders?: string[];
  /** Channels the bot was invited to; others answer not_in_channel (or channel_not_found when unknown). Default: every channel. */
  memberOf?: string[];
  /** Channels that exist but the bot is not in (not_in_channel); any other non-member channel is channel_not_found. */
  knownChannels?: string[];
  /** Per-method limits; Slack's by default, `false` for none (benchmarks). */
  rateLimits?: Record<string, RateLimit> | false;
  /** How long a trigger_id stays valid for views.open (Slack: 3 s). */
  triggerTtlMs?: number;
}

/** A file shared by files.completeUploadExternal. */
export interface SharedFile {
  id: string;
  filename: string;
  /** The length files.getUploadURLExternal was told. */
  length: number;
  altText?: string;
  title?: string;
  bytes: Buffer;
  channel?: string;
  threadTs?: string;
  /** When Slack completed the upload (epoch ms). */
  at: number;
}

export interface FakeSlack {
  url: string;
  apiUrl: string;
  /** Every Web API call, refused ones included (they carry `error`). */
  allCalls: RecordedCall[];
  responses: Array<Record<string, unknown>>;
  pagerDuty: Array<Record<string, unknown>>;
  /** PagerDuty answers this HTTP status instead of 202 while set. */
  pagerDutyStatus?: number;
  files: Map<string, string>;
  /** Custom answers for file downloads by name (redirects, slow or huge bodies). */
  fileHandlers: Map<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** Every file download, with the Authorization header it carried. */
  fileRequests: Array<{ path: string; authorization: string | undefined }>;
  /** What files.info answers, by file id (Slack Connect files arrive with only an id). */
  fileInfo: Map<string, Record<string, unknown>>;
  /** Files uploaded and shared (files.completeUploadExternal), in order. */
  sharedFiles: SharedFile[];
  /** The upload URL answers this HTTP status instead of 200 while set (Slack's file host failing). */
  uploadStatus?: number;
  responders: string[];
  /** Channels the bot is in; undefined: all. Tests may invite or kick the bot. */
  memberOf: Set<string> | undefined;
  /** Errors to answer for the next calls of a method, consumed in order ('ratelimited' answers 429 with Retry-After: 5, 'ratelimited:N' with N). */
  failNext: Map<string, string[]>;
  /** Tokens Slack no longer accepts (revoked, app uninstalled): every call with one answers invalid_auth, as Slack does. */
  revokedTokens: Set<string>;
  /** Milliseconds to hold every answer of a method before replying (a slow Slack). */
  delayMs: Map<string, number>;
  /** What apps.connections.open hands out (a Socket Mode WebSocket URL). */
  socketUrl?: string;
  /** Successful calls of a method. */
  callsOf(method: string): RecordedCall[];
  /** Refused calls of a method. */
  refusedOf(method: string): RecordedCall[];
  /** Deletes a message, as a user would: later updates answer message_not_found. */
  deleteMessage(channel: string, ts: string): void;
  /** A message that exists already (posted before the test). */
  seedMessage(channel: string, ts: string): void;
  /**
   * Posts a message into a channel's history as a person or an integration would (no event is sent: the app
   * finds it only by reading the history). Returns its ts, later than every ts before (now-based, as Slack's).
   */
  postToChannel(channel: string, message: HistoryMessage): string;
  /** A ts Slack could give a message posted now: later than every ts handed out before. */
  nextTs(): string;
  /** The reactions a message carries now, by name, with who added each. */
  reactionsOn(channel: string, ts: string): Array<{ name: string; users: string[] }>;
  /** The bot's messages that still exist in a thread, with what each shows now (its last post or update). */
  threadMessages(channel: string, threadTs: string): Array<{ ts: string; shown: RecordedCall }>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The file bytes of an upload: the first file part of a multipart body (WebClient's way), else the raw body. */
async function uploadedBytes(body: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return body;
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  for (const value of form.values()) if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  return Buffer.alloc(0);
}

/** WebClient sends form fields, with objects (blocks, view) as JSON strings. */
function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    out[k] = /^[[{]/.test(v) ? (() => { try { return JSON.parse(v) as unknown; } catch { return v; } })() : v;
  }
  return out;
}

/** Trigger ids of the fake's clicks are `<issued epoch ms>.<random>` (see harness buttonClick). */
export const triggerId = (issuedAt = Date.now()) => `${issuedAt}.${Math.random().toString(36).slice(2, 10)}`;

/** Slack's ts ("1761234567.000100") in time order: seconds, then the sequence within the second. */
export function compareTs(a: string, b: string): number {
  const [as, af = ''] = a.split('.');
  const [bs, bf = ''] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

/** Slack's cursors are opaque base64 ("next_ts:…"); ours say where the next (older) page starts. */
const historyCursor = (ts: string) => Buffer.from(`next_ts:${ts}`).toString('base64');
function cursorTs(cursor: string): string | undefined {
  const m = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m?.[1];
}

/**
 * conversations.history as Slack pages it: newest first, between `oldest` and `latest` (exclusive unless
 * `inclusive`), `limit` messages a page (default 100, at most 999), a cursor while more remain.
 */
function historyPage(all: HistoryMessage[], args: Record<string, unknown>): Record<string, unknown> {
  const inclusive = args['inclusive'] === true || args['inclusive'] === 'true' || args['inclusive'] === '1';
  const oldest = typeof args['oldest'] === 'string' && args['oldest'] !== '' ? args['oldest'] : '0';
  const latest = typeof args['latest'] === 'string' && args['latest'] !== '' ? args['latest'] : undefined;
  const asked = Number(args['limit'] ?? 100);
  const limit = Math.min(999, Number.isInteger(asked) && asked > 0 ? asked : 100);
  const startAt = typeof args['cursor'] === 'string' && args['cursor'] !== '' ? cursorTs(args['cursor']) : undefined;
  if (typeof args['cursor'] === 'string' && args['cursor'] !== '' && !startAt) return { ok: false, error: 'invalid_cursor' };
  const inRange = all
    .filter((m) => {
      const lo = compareTs(m.ts!, oldest);
      const hi = latest === undefined ? -1 : compareTs(m.ts!, latest);
      return (inclusive ? lo >= 0 : lo > 0) && (latest === undefined || (inclusive ? hi <= 0 : hi < 0)) && (startAt === undefined || compareTs(m.ts!, startAt) <= 0);
    })
    .reverse();
  const page = inRange.slice(0, limit);
  const more = inRange.length > limit;
  return { ok: true, messages: page, has_more: more, pin_count: 0, response_metadata: { next_cursor: more ? historyCursor(inRange[limit]!.ts!) : '' } };
}

const CHANNEL_METHODS = new Set(['conversations.history', 'chat.postMessage', 'chat.update', 'chat.postEphemeral', 'reactions.add', 'reactions.remove', 'chat.delete', 'files.completeUploadExternal']);

export async function startFakeSlack(options: FakeSlackOptions | string[] = {}): Promise<FakeSlack> {
  const opts: FakeSlackOptions = Array.isArray(options) ? { responders: options } : options;
  let seq = 0;
  const limiter = opts.rateLimits === false ? undefined : new RateLimiter(opts.rateLimits ?? SLACK_RATE_LIMITS);
  const triggerTtl = opts.triggerTtlMs ?? 3000;
  // Channels the bot was in exist too: kicking the bot out leaves them known (not_in_channel).
  const known = new Set([...(opts.knownChannels ?? []), ...(opts.memberOf ?? [])]);
  /** channel → ts of messages that exist. */
  const messages = new Map<string, Set<string>>();
  const reactions = new Set<string>();
  /** channel → its top-level messages and broadcasts, oldest first (what conversations.history pages through). */
  const history = new Map<string, HistoryMessage[]>();
  let lastTsMicros = 0;
  const nextTs = () => {
    lastTsMicros = Math.max(lastTsMicros + 1, Date.now() * 1000);
    return `${Math.floor(lastTsMicros / 1e6)}.${String(lastTsMicros % 1e6).padStart(6, '0')}`;
  };
  const addToHistory = (channel: string, message: HistoryMessage & { ts: string }) => {
    const list = history.get(channel) ?? [];
    list.push({ type: 'message', ...message });
    list.sort((a, b) => compareTs(a.ts!, b.ts!));
    history.set(channel, list);
  };
  /** channel/ts of a bot message → the thread it was posted in. */
  const threads = new Map<string, string>();
  /** channel/ts of a bot message → the metadata it was posted with. */
  const metadata = new Map<string, unknown>();
  const exists = (channel: string, ts: string) => messages.get(channel)?.has(ts) ?? false;
  /** Upload tickets handed out by files.getUploadURLExternal: file id → what it was told, and the bytes once POSTed. */
  const uploads = new Map<string, { filename: string; length: number; altText?: string; bytes?: Buffer }>();
  const fake = {
    allCalls: [],
    responses: [],
    pagerDuty: [],
    files: new Map<string, string>(),
    fileHandlers: new Map(),
    fileRequests: [],
    fileInfo: new Map(),
    sharedFiles: [],
    failNext: new Map(),
    revokedTokens: new Set<string>(),
    delayMs: new Map(),
    responders: opts.responders ?? [],
    memberOf: opts.memberOf ? new Set(opts.memberOf) : undefined,
  } as unknown as FakeSlack;
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  /** Slack's refusal of a call, if any, before it takes effect. */
  function refusal(method: string, args: Record<string, unknown>): string | undefined {
    const queued = fake.failNext.get(method);
    if (queued?.length) return queued.shift();
    const channelArg = method === 'files.completeUploadExternal' ? args['channel_id'] : args['channel'];
    const channel = typeof channelArg === 'string' ? channelArg : undefined;
    if (CHANNEL_METHODS.has(method) && channel !== undefined && fake.memberOf && !fake.memberOf.has(channel) && !channel.startsWith('D')) {
      return known.has(channel) ? 'not_in_channel' : 'channel_not_found';
    }
    if (method === 'chat.postMessage' || method === 'chat.update' || method === 'chat.postEphemeral') {
      const problem = blockProblem(args['blocks']);
      if (problem) return problem;
      if (args['blocks'] === undefined && (typeof args['text'] !== 'string' || args['text'] === '')) return 'no_text';
    }
    if (method === 'views.open' || method === 'views.publish') {
      const view = args['view'] as Record<string, unknown> | undefined;
      if (blockProblem(view?.['blocks'], 'view')) return 'invalid_blocks';
    }
    if (method === 'chat.getPermalink') {
      // Slack links any message in a channel it knows (the bot need not be in it); a message it has not is not found.
      if (fake.memberOf && !fake.memberOf.has(String(channel)) && !known.has(String(channel))) return 'channel_not_found';
      if (!exists(String(channel), String(args['message_ts']))) return 'message_not_found';
    }
    if (method === 'chat.update' || method === 'chat.delete') {
      if (!exists(String(channel), String(args['ts']))) return 'message_not_found';
    }
    if (method === 'reactions.add' || method === 'reactions.remove') {
      if (!exists(String(channel), String(args['timestamp']))) return 'message_not_found';
      const key = `${String(channel)}/${String(args['timestamp'])}/${String(args['name'])}`;
      if (method === 'reactions.add' && reactions.has(key)) return 'already_reacted';
      if (method === 'reactions.remove' && !reactions.has(key)) return 'no_reaction';
    }
    if (method === 'files.getUploadURLExternal') {
      const length = Number(args['length']);
      if (typeof args['filename'] !== 'string' || args['filename'] === '' || !Number.isInteger(length) || length <= 0) return 'invalid_arguments';
    }
    if (method === 'files.completeUploadExternal') {
      const files = args['files'];
      if (!Array.isArray(files) || files.length === 0) return 'invalid_arguments';
      // A ticket never handed out, or whose bytes never arrived: Slack cannot find the file.
      if (files.some((f) => !uploads.get(String((f as { id?: unknown }).id))?.bytes)) return 'file_not_found';
    }
    if (method === 'views.open') {
      const issued = Number(String(args['trigger_id'] ?? '').split('.')[0]);
      if (!Number.isFinite(issued) || issued <= 0) return 'invalid_trigger_id';
      if (Date.now() - issued > triggerTtl) return 'expired_trigger_id';
    }
    return undefined;
  }

  const server = createServer(async (req, res) => {
    const at = performance.timeOrigin + performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/upload/v1/')) {
      // Slack's file host: the ticket's bytes, once; an unknown or used ticket is not found.
      const ticket = uploads.get(url.pathname.slice('/upload/v1/'.length));
      if (req.method !== 'POST' || !ticket || ticket.bytes) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('Not Found');
      }
      if (fake.uploadStatus) {
        res.writeHead(fake.uploadStatus, { 'content-type': 'text/plain' });
        return res.end('upload failed');
      }
      ticket.bytes = await uploadedBytes(raw, req.headers['content-type']);
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(`OK - ${ticket.bytes.length}`);
    }
    const body = raw.toString('utf8');
    if (url.pathname.startsWith('/response/')) {
      fake.responses.push(JSON.parse(body) as Record<string, unknown>);
      return json(res, 200, { ok: true });
    }
    if (url.pathname === '/v2/enqueue') {
      if (fake.pagerDutyStatus) return json(res, fake.pagerDutyStatus, { status: 'invalid event', message: 'Event object is invalid' });
      fake.pagerDuty.push(JSON.parse(body) as Record<string, unknown>);
      return json(res, 202, { status: 'success', message: 'Event processed', dedup_key: 'x' });
    }
    if (url.pathname.startsWith('/files/')) {
      const name = url.pathname.slice('/files/'.length);
      fake.fileRequests.push({ path: url.pathname, authorization: req.headers.authorization });
      const handler = fake.fileHandlers.get(name);
      if (handler) return handler(req, res);
      const content = fake.files.get(name);
      if (content === undefined) return json(res, 404, {});
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(content);
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(body, req.headers['content-type']);
    const delay = fake.delayMs.get(method);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const wait = limiter?.take(method, typeof args['channel'] === 'string' ? args['channel'] : undefined) ?? 0;
    if (wait > 0) {
      fake.allCalls.push({ method, args, at, error: 'ratelimited' });
      return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(wait) });
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (typeof args['token'] === 'string' ? args['token'] : undefined);
    const error = bearer !== undefined && fake.revokedTokens.has(bearer) ? 'invalid_auth' : refusal(method, args);
    const call: RecordedCall = { method, args, at, ...(error ? { error } : {}) };
    fake.allCalls.push(call);
    // 'ratelimited' waits 5 s, as Slack's usual answer; 'ratelimited:N' asks for N seconds.
    if (error === 'ratelimited' || error?.startsWith('ratelimited:')) {
      call.error = 'ratelimited';
      return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': error.split(':')[1] ?? '5' });
    }
    if (error) return json(res, 200, { ok: false, error });
    const ts = () => `1760000000.${String(++seq).padStart(6, '0')}`;
    const channel = String(args['channel'] ?? '');
    switch (method) {
      case 'auth.test':
        return json(res, 200, { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'soc-triage', team_id: 'T0TEAM', user_id: FAKE_BOT.userId, bot_id: FAKE_BOT.botId });
      case 'conversations.history': {
        const page = historyPage(history.get(channel) ?? [], args);
        return json(res, 200, page);
      }
      case 'reactions.get': {
        // The bot is the only one reacting here: every reaction lists it.
        if (!exists(channel, String(args['timestamp']))) return json(res, 200, { ok: false, error: 'message_not_found' });
        const on = fake.reactionsOn(channel, String(args['timestamp']));
        return json(res, 200, { ok: true, type: 'message', channel, message: { type: 'message', ts: args['timestamp'], ...(on.length ? { reactions: on.map((r) => ({ ...r, count: r.users.length })) } : {}) } });
      }
      case 'chat.postMessage': {
        const t = nextTs();
        fake.seedMessage(channel, t);
        // Top-level posts are in the channel's history; replies are not (Slack lists them with the thread).
        if (typeof args['thread_ts'] !== 'string') addToHistory(channel, { ts: t, text: String(args['text'] ?? ''), user: FAKE_BOT.userId, bot_id: FAKE_BOT.botId, subtype: 'bot_message' });
        call.postedTs = t;
        if (typeof args['thread_ts'] === 'string') threads.set(`${channel}/${t}`, args['thread_ts']);
        if (args['metadata'] !== undefined) metadata.set(`${channel}/${t}`, args['metadata']);
        return json(res, 200, { ok: true, channel, ts: t, message: { text: args['text'], ts: t } });
      }
      case 'chat.update':
        return json(res, 200, { ok: true, channel, ts: args['ts'] });
      case 'chat.delete':
        fake.deleteMessage(channel, String(args['ts']));
        return json(res, 200, { ok: true, channel, ts: args['ts'] });
      case 'chat.postEphemeral':
        return json(res, 200, { ok: true, message_ts: ts() });
      case 'chat.getPermalink':
        return json(res, 200, { ok: true, channel, permalink: `https://example.slack.com/archives/${channel}/p${String(args['message_ts']).replace('.', '')}` });
      case 'reactions.add':
        reactions.add(`${channel}/${String(args['timestamp'])}/${String(args['name'])}`);
        return json(res, 200, { ok: true });
      case 'reactions.remove':
        reactions.delete(`${channel}/${String(args['timestamp'])}/${String(args['name'])}`);
        return json(res, 200, { ok: true });
      case 'conversations.replies': {
        // The thread's parent, then the bot's replies that still exist, with metadata when asked for.
        const parent = String(args['ts']);
        const withMeta = args['include_all_metadata'] === 'true' || args['include_all_metadata'] === true;
        const replies = [...threads.entries()]
          .filter(([k, t]) => t === parent && k.startsWith(`${channel}/`) && exists(channel, k.slice(channel.length + 1)))
          .map(([k]) => ({ type: 'message', ts: k.slice(channel.length + 1), thread_ts: parent, bot_id: 'B0BOT', ...(withMeta && metadata.has(k) ? { metadata: metadata.get(k) } : {}) }));
        return json(res, 200, { ok: true, messages: [{ type: 'message', ts: parent, thread_ts: parent }, ...replies], has_more: false });
      }
      case 'usergroups.users.list':
        return json(res, 200, { ok: true, users: fake.responders });
      case 'apps.connections.open':
        return fake.socketUrl ? json(res, 200, { ok: true, url: fake.socketUrl }) : json(res, 200, { ok: false, error: 'not_allowed_token_type' });
      case 'files.info': {
        const file = fake.fileInfo.get(String(args['file']));
        return file ? json(res, 200, { ok: true, file }) : json(res, 200, { ok: false, error: 'file_not_found' });
      }
      case 'views.open':
        return json(res, 200, { ok: true, view: { id: 'V0MODAL' } });
      case 'files.getUploadURLExternal': {
        const id = `F0UP${String(++seq).padStart(6, '0')}`;
        uploads.set(id, { filename: String(args['filename']), length: Number(args['length']), ...(typeof args['alt_text'] === 'string' ? { altText: args['alt_text'] } : {}) });
        return json(res, 200, { ok: true, upload_url: `${fake.url}/upload/v1/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const shared = (args['files'] as Array<{ id: string; title?: string }>).map((f) => {
          const ticket = uploads.get(f.id)!;
          uploads.delete(f.id);
          const file: SharedFile = {
            id: f.id,
            filename: ticket.filename,
            length: ticket.length,
            bytes: ticket.bytes!,
            at: Date.now(),
            ...(ticket.altText !== undefined ? { altText: ticket.altText } : {}),
            ...(f.title !== undefined ? { title: f.title } : {}),
            ...(typeof args['channel_id'] === 'string' ? { channel: args['channel_id'] } : {}),
            ...(typeof args['thread_ts'] === 'string' ? { threadTs: args['thread_ts'] } : {}),
          };
          fake.sharedFiles.push(file);
          return { id: file.id, name: file.filename, title: file.title ?? file.filename, size: file.bytes.length };
        });
        return json(res, 200, { ok: true, files: shared });
      }
      default:
        return json(res, 200, { ok: true });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    apiUrl: `http://127.0.0.1:${port}/api/`,
    callsOf: (method: string) => fake.allCalls.filter((c) => c.method === method && !c.error),
    refusedOf: (method: string) => fake.allCalls.filter((c) => c.method === method && c.error),
    deleteMessage: (channel: string, ts: string) => messages.get(channel)?.delete(ts),
    nextTs,
    postToChannel: (channel: string, message: HistoryMessage) => {
      const t = message.ts ?? nextTs();
      fake.seedMessage(channel, t);
      addToHistory(channel, { ...message, ts: t });
      return t;
    },
    reactionsOn: (channel: string, ts: string) =>
      [...reactions].filter((k) => k.startsWith(`${channel}/${ts}/`)).map((k) => ({ name: k.slice(channel.length + ts.length + 2), users: [FAKE_BOT.userId] })),
    seedMessage: (channel: string, ts: string) => {
      if (!messages.has(channel)) messages.set(channel, new Set());
      messages.get(channel)!.add(ts);
    },
    threadMessages: (channel: string, threadTs: string) =>
      [...threads.entries()]
        .filter(([k, t]) => t === threadTs && k.startsWith(`${channel}/`) && exists(channel, k.slice(channel.length + 1)))
        .map(([k]) => {
          const ts = k.slice(channel.length + 1);
          const shown = fake.allCalls.filter((c) => !c.error && ((c.method === 'chat.postMessage' && c.postedTs === ts) || (c.method === 'chat.update' && c.args['channel'] === channel && c.args['ts'] === ts))).at(-1)!;
          return { ts, shown };
        }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return fake;
}
