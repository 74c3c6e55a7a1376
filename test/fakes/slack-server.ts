// A small fake of Slack's Web API (and response_url, file downloads, PagerDuty Events v2) on 127.0.0.1.
// The real Bolt app and WebClient talk to it; every call is recorded for the tests to read.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
}

export interface FakeSlack {
  url: string;
  apiUrl: string;
  calls: RecordedCall[];
  responses: Array<Record<string, unknown>>;
  pagerDuty: Array<Record<string, unknown>>;
  files: Map<string, string>;
  /** Custom answers for file downloads by name (redirects, slow or huge bodies). */
  fileHandlers: Map<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** Every file download, with the Authorization header it carried. */
  fileRequests: Array<{ path: string; authorization: string | undefined }>;
  /** What files.info answers, by file id (Slack Connect files arrive with only an id). */
  fileInfo: Map<string, Record<string, unknown>>;
  responders: string[];
  /** What apps.connections.open hands out (a Socket Mode WebSocket URL). */
  socketUrl?: string;
  callsOf(method: string): RecordedCall[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });
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

export async function startFakeSlack(responders: string[] = []): Promise<FakeSlack> {
  let seq = 0;
  const fake = { calls: [], responses: [], pagerDuty: [], files: new Map<string, string>(), fileHandlers: new Map(), fileRequests: [], fileInfo: new Map(), responders } as unknown as FakeSlack;
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    if (url.pathname.startsWith('/response/')) {
      fake.responses.push(JSON.parse(body) as Record<string, unknown>);
      return json(res, 200, { ok: true });
    }
    if (url.pathname === '/v2/enqueue') {
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
    fake.calls.push({ method, args });
    const ts = () => `1760000000.${String(++seq).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return json(res, 200, { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'soc-triage', team_id: 'T0TEAM', user_id: 'U0BOT', bot_id: 'B0BOT' });
      case 'chat.postMessage': {
        const t = ts();
        return json(res, 200, { ok: true, channel: args['channel'], ts: t, message: { text: args['text'], ts: t } });
      }
      case 'chat.update':
        return json(res, 200, { ok: true, channel: args['channel'], ts: args['ts'] });
      case 'chat.postEphemeral':
        return json(res, 200, { ok: true, message_ts: ts() });
      case 'chat.getPermalink':
        return json(res, 200, { ok: true, channel: args['channel'], permalink: `https://example.slack.com/archives/${String(args['channel'])}/p${String(args['message_ts']).replace('.', '')}` });
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
      default:
        return json(res, 200, { ok: true });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    apiUrl: `http://127.0.0.1:${port}/api/`,
    callsOf: (method: string) => fake.calls.filter((c) => c.method === method),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
  return fake;
}
