// A small fake of Cyren Inbox Security's API on 127.0.0.1, in the shapes demisto/content's
// CyrenInboxSecurity integration uses: POST /v1/token?client_id&client_secret&grant_type=client_credentials →
// {"data": {"access_token"}}; PATCH /v1/cases/{case_id}/resolution with a Bearer token and
// {resolution, resolution_reason, resolution_reason_text, actions} → {"data": {"status": "ok"}}.
// It fails like the service: 401 for an expired token, 404 for an unknown case.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCyren {
  url: string;
  clientId: string;
  clientSecret: string;
  cases: Set<string>;
  resolved: Array<{ caseId: string; body: Record<string, unknown> }>;
  tokensIssued: number;
  requests: Array<{ method: string; path: string }>;
  /** Every token issued so far expires now (the next call with one answers 401). */
  expireTokens(): void;
  close(): Promise<void>;
}

export async function startFakeCyren(cases: string[] = []): Promise<FakeCyren> {
  const fake = { clientId: 'cyren-client-id', clientSecret: 'cyren-client-secret-0123456789', cases: new Set(cases), resolved: [], tokensIssued: 0, requests: [] } as unknown as FakeCyren;
  const valid = new Set<string>();
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    fake.requests.push({ method: req.method ?? '', path: url.pathname });
    if (req.method === 'POST' && url.pathname === '/v1/token') {
      const q = url.searchParams;
      if (q.get('client_id') !== fake.clientId || q.get('client_secret') !== fake.clientSecret || q.get('grant_type') !== 'client_credentials') return json(res, 401, { error: 'invalid_client' });
      const token = `tok-${++fake.tokensIssued}-${Math.random().toString(36).slice(2)}`;
      valid.add(token);
      return json(res, 200, { data: { access_token: token, token_type: 'Bearer', expires_in: 3600 } });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !valid.has(token)) return json(res, 401, { error: 'token expired' });
    const m = /^\/v1\/cases\/([^/]+)\/resolution$/.exec(url.pathname);
    if (req.method === 'PATCH' && m) {
      const caseId = decodeURIComponent(m[1]!);
      if (!fake.cases.has(caseId)) return json(res, 404, { error: 'case not found' });
      fake.resolved.push({ caseId, body: JSON.parse(body || '{}') as Record<string, unknown> });
      return json(res, 200, { data: { status: 'ok' } });
    }
    return json(res, 404, { error: 'not found' });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    expireTokens: () => valid.clear(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return fake;
}
