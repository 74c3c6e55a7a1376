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
  close(): Promise<void>;
}


function actorFilter(filter: string | undefined): { actorId?: string; eventType?: string; outcome?: string } {
  if (!filter) return {};
  const pick = (field: string) => new RegExp(`${field.replace('.', '\\.')} eq "([^"]*)"`).exec(filter)?.[1];
  return { actorId: pick('actor.id'), eventType: pick('eventType'), outcome: pick('outcome.result') };
}

/** `pageSize`: events per System Log page (default 2, so pagination is always exercised). */
export async function startFakeOkta(init: { events?: Record<string, unknown>[]; users?: FakeUser[]; pageSize?: number } = {}): Promise<FakeOkta> {
  const PAGE = init.pageSize ?? 2;
  const token = 'fake-okta-token-0123456789';
  let throttle = 0;
  let throttleReset = 1;
  let exhaust: number | undefined;
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
          return t >= since && t < until && (!f.actorId || actor?.id === f.actorId) && (!f.eventType || e['eventType'] === f.eventType) && (!f.outcome || outcome?.result === f.outcome);
        })
        .sort((a, b) => Date.parse(String(a['published'])) - Date.parse(String(b['published'])));
      const offset = Number(query['after'] ?? 0);
      const page = matching.slice(offset, offset + PAGE);
      const headers: Record<string, string> = {};
      if (offset + PAGE < matching.length) {
        const next = new URL(url.toString());
        next.searchParams.set('after', String(offset + PAGE));
        headers['link'] = `<${fake.url}${next.pathname}${next.search}>; rel="next"`;
      }
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return fake;
}
