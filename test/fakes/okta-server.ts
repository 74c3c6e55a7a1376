// A small fake of the Okta API on 127.0.0.1: System Log with Link pagination, users, factors,
// and scripted 429s with rate-limit headers. The real SDK talks to it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  id: string;
  login: string;
  factors: string[];
}

export interface FakeOkta {
  url: string;
  token: string;
  events: Record<string, unknown>[];
  users: FakeUser[];
  requests: Array<{ method: string; path: string; query: Record<string, string>; auth?: string; at: number }>;
  /** Answer the next n requests with 429 and a reset `resetInSeconds` ahead. */
  throttleNext(n: number, resetInSeconds: number): void;
  /** Users whose sessions were cleared (DELETE /api/v1/users/{id}/sessions), with the oauthTokens flag. */
  clearedSessions: Array<{ userId: string; oauthTokens: boolean }>;
  /** Scopes the token holds for user management; without okta.users.manage, clearing sessions answers 403. */
  canManageUsers: boolean;
  /** Report X-Rate-Limit-Remaining: 0 on the next response. */
  exhaustNext(resetInSeconds: number): void;
  /** How the System Log misbehaves from now on (an empty object: it behaves again). */
  misbehave(how: OktaMisbehaviour): void;
  close(): Promise<void>;
}

/** Ways a hostile or broken Okta (or someone in the path) answers the System Log. */
export interface OktaMisbehaviour {
  /** The next-page link points to this origin (e.g. another server) instead of the org's own. */
  nextLinkOrigin?: string;
  /** Every System Log page is one JSON array this many bytes long (events padded with junk). */
  pageBytes?: number;
  /** Every System Log page is empty and links to yet another page, for ever. */
  endlessEmptyPages?: boolean;
}

/** The filter expressions our code writes: `actor.id eq "…"`, and `eventType eq "…"` (several joined by `or`: any of them). */
function actorFilter(filter: string | undefined): { actorId?: string; eventTypes?: string[]; outcome?: string } {
  if (!filter) return {};
  const pick = (field: string) => new RegExp(`${field.replace('.', '\\.')} eq "([^"]*)"`).exec(filter)?.[1];
  const eventTypes = [...filter.matchAll(/eventType eq "([^"]*)"/g)].map((m) => m[1]!);
  return { actorId: pick('actor.id'), ...(eventTypes.length ? { eventTypes } : {}), outcome: pick('outcome.result') };
}

/**
 * A page of `bytes` bytes, streamed in chunks without a Content-Length (as a chunked answer would come): the
 * events first, then one padded with a junk field, so the JSON stays valid whatever the size.
 */
function sendHugePage(res: ServerResponse, page: unknown[], bytes: number, headers: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'application/json', date: new Date().toUTCString(), 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '599', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60), ...headers });
  const head = `${JSON.stringify(page).slice(0, -1)}${page.length ? ',' : ''}{"eventType":"junk","published":"2024-01-01T00:00:00Z","junk":"`;
  const tail = '"}]';
  let left = Math.max(0, bytes - head.length - tail.length);
  const chunk = 'x'.repeat(64 * 1024);
  res.write(head);
  const pump = (): void => {
    while (left > 0) {
      const piece = left >= chunk.length ? chunk : chunk.slice(0, left);
      left -= piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    res.end(tail);
  };
  res.on('error', () => undefined);
  pump();
}

/** `pageSize`: events per System Log page (default 2, so pagination is always exercised). */
export async function startFakeOkta(init: { events?: Record<string, unknown>[]; users?: FakeUser[]; pageSize?: number } = {}): Promise<FakeOkta> {
  const PAGE = init.pageSize ?? 2;
  const token = 'fake-okta-token-0123456789';
  let throttle = 0;
  let throttleReset = 1;
  let exhaust: number | undefined;
  let misbehaviour: OktaMisbehaviour = {};
  const fake = { events: init.events ?? [], users: init.users ?? [], requests: [], clearedSessions: [], canManageUsers: true } as unknown as FakeOkta;
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const remaining = exhaust !== undefined ? '0' : '599';
    const reset = String(now + (exhaust ?? 60));
    exhaust = undefined;
    res.writeHead(status, { 'content-type': 'application/json', date: new Date().toUTCString(), 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': remaining, 'x-rate-limit-reset': reset, ...headers });
    res.end(JSON.stringify(body));
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams.entries());
    fake.requests.push({ method: req.method ?? 'GET', path: url.pathname, query, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}), at: Date.now() });
    if (req.headers.authorization !== `SSWS ${token}`) return send(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    if (throttle > 0) {
      throttle--;
      const reset = Math.floor(Date.now() / 1000) + throttleReset;
      res.writeHead(429, { 'content-type': 'application/json', date: new Date().toUTCString(), 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset), 'x-okta-request-id': `req-${Date.now()}` });
      return res.end(JSON.stringify({ errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' }));
    }
    if (url.pathname === '/api/v1/logs') {
      const since = query['since'] ? Date.parse(query['since']) : -Infinity;
      const until = query['until'] ? Date.parse(query['until']) : Infinity;
      const f = actorFilter(query['filter']);
      const matching = fake.events
        .filter((e) => {
          const t = Date.parse(String(e['published']));
          const actor = e['actor'] as { id?: string } | undefined;
          const outcome = e['outcome'] as { result?: string } | undefined;
          return t >= since && t < until && (!f.actorId || actor?.id === f.actorId) && (!f.eventTypes || f.eventTypes.includes(String(e['eventType']))) && (!f.outcome || outcome?.result === f.outcome);
        })
        .sort((a, b) => Date.parse(String(a['published'])) - Date.parse(String(b['published'])));
      const offset = Number(query['after'] ?? 0);
      const page = misbehaviour.endlessEmptyPages ? [] : matching.slice(offset, offset + PAGE);
      const headers: Record<string, string> = {};
      if (misbehaviour.endlessEmptyPages || offset + PAGE < matching.length) {
        const next = new URL(url.toString());
        next.searchParams.set('after', String(offset + PAGE));
        headers['link'] = `<${misbehaviour.nextLinkOrigin ?? fake.url}${next.pathname}${next.search}>; rel="next"`;
      }
      if (misbehaviour.pageBytes) return sendHugePage(res, page, misbehaviour.pageBytes, headers);
      return send(res, 200, page, headers);
    }
    const factors = /^\/api\/v1\/users\/([^/]+)\/factors$/.exec(url.pathname);
    if (factors) {
      const user = fake.users.find((u) => u.id === decodeURIComponent(factors[1]!));
      if (!user) return send(res, 404, { errorCode: 'E0000007', errorSummary: 'Not found' });
      return send(res, 200, user.factors.map((type, i) => ({ id: `fac${i}`, factorType: type, provider: 'OKTA', status: 'ACTIVE' })));
    }
    const sessions = /^\/api\/v1\/users\/([^/]+)\/sessions$/.exec(url.pathname);
    if (sessions && req.method === 'DELETE') {
      // As Okta answers: 403 without the scope, 404 for an unknown user, 204 with no body when cleared.
      if (!fake.canManageUsers) return send(res, 403, { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action', errorCauses: [] });
      const user = fake.users.find((u) => u.id === decodeURIComponent(sessions[1]!));
      if (!user) return send(res, 404, { errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${sessions[1]} (User)` });
      fake.clearedSessions.push({ userId: user.id, oauthTokens: query['oauthTokens'] === 'true' });
      res.writeHead(204, { date: new Date().toUTCString(), 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '599', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60) });
      return res.end();
    }
    const userPath = /^\/api\/v1\/users\/([^/]+)$/.exec(url.pathname);
    if (userPath) {
      const key = decodeURIComponent(userPath[1]!);
      const user = fake.users.find((u) => u.id === key || u.login.toLowerCase() === key.toLowerCase());
      if (!user) return send(res, 404, { errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${key} (User)` });
      return send(res, 200, { id: user.id, status: 'ACTIVE', profile: { login: user.login, email: user.login } });
    }
    return send(res, 404, { errorCode: 'E0000022', errorSummary: 'The endpoint does not support the provided HTTP method' });
  };
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    token,
    throttleNext(n: number, resetInSeconds: number) {
      throttle = n;
      throttleReset = resetInSeconds;
    },
    exhaustNext(resetInSeconds: number) {
      exhaust = resetInSeconds;
    },
    misbehave(how: OktaMisbehaviour) {
      misbehaviour = how;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return fake;
}
