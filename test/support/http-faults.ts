// An HTTP proxy the test controls, in front of a fake service (the fake Okta, the fake Slack): it passes
// requests on, holds them until released (an investigation caught mid-way; never released: a hung service),
// answers a status of its choosing (Okta's 500), or passes a request on at once but holds its answer back (a
// service that did the work and answers too late). Real clients (the Okta SDK, WebClient) talk to it as to
// the service itself.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HttpFault = (
  | { kind: 'pass' }
  /** Kept waiting until `release()` (then passed on), or for good when never released. */
  | { kind: 'hold' }
  | { kind: 'status'; status: number; body: unknown }
  /** Passed on at once; the service's answer is held back this long. */
  | { kind: 'late-answer'; ms: number }
) & {
  /** Only requests whose path starts with this are faulted; others pass. */
  path?: string;
  /** The fault applies to this many requests, then the proxy passes everything. */
  times?: number;
};

/** What the proxy did with a request: passed it on, held it, answered late, or answered this status itself. */
export type Outcome = 'passed' | 'held' | 'answered late' | number;

export interface FaultyHttp {
  url: string;
  fault: HttpFault;
  /** Every request, with what was done with it. */
  readonly requests: ReadonlyArray<{ path: string; at: number; outcome: Outcome }>;
  /** Requests waiting now. */
  readonly held: number;
  /** Passes every held request on and stops holding. */
  release(): void;
  close(): Promise<void>;
}

export async function startFaultyHttp(targetUrl: string): Promise<FaultyHttp> {
  const target = new URL(targetUrl);
  const requests: Array<{ path: string; at: number; outcome: Outcome }> = [];
  const waiting: Array<() => void> = [];

  const pass = (req: IncomingMessage, body: Buffer, res: ServerResponse, answerAfterMs = 0) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const reply = () => {
            if (res.destroyed || res.writableEnded) return;
            // As a reverse proxy rewrites them: pagination links name the proxy, not the service behind it.
            const headers = { ...answer.headers };
            if (typeof headers.link === 'string' && req.headers.host) headers.link = headers.link.split(target.origin).join(`http://${req.headers.host}`);
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(Buffer.concat(chunks));
          };
          if (answerAfterMs > 0) setTimeout(reply, answerAfterMs).unref();
          else reply();
        });
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const entry = { path: req.url ?? '/', at: Date.now(), outcome: 'passed' as Outcome };
      requests.push(entry);
      const fault = faulty.fault;
      if (fault.kind === 'pass' || (fault.path !== undefined && !entry.path.startsWith(fault.path))) return pass(req, body, res);
      if (fault.times !== undefined && --fault.times <= 0) faulty.fault = { kind: 'pass' };
      if (fault.kind === 'late-answer') {
        entry.outcome = 'answered late';
        return pass(req, body, res, fault.ms);
      }
      if (fault.kind === 'status') {
        entry.outcome = fault.status;
        res.writeHead(fault.status, { 'content-type': 'application/json', date: new Date().toUTCString() });
        return res.end(JSON.stringify(fault.body));
      }
      if (fault.kind === 'hold') {
        entry.outcome = 'held';
        // A client that gives up (its timeout) closes the socket: nothing is waiting any more.
        const go = () => {
          if (!res.destroyed && !res.writableEnded) pass(req, body, res);
        };
        waiting.push(go);
        res.on('close', () => {
          const i = waiting.indexOf(go);
          if (i >= 0) waiting.splice(i, 1);
        });
        return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const faulty: FaultyHttp = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fault: { kind: 'pass' },
    requests,
    get held() {
      return waiting.length;
    },
    release() {
      faulty.fault = { kind: 'pass' };
      for (const go of waiting.splice(0)) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        waiting.length = 0;
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return faulty;
}
