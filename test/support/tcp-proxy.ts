// A TCP proxy the test controls, in front of a real service (the shared Elasticsearch): `down()` makes the
// service unreachable as a stopped process is (the port refuses connections, open ones are cut), `up()` brings
// it back on the same port. Clients keep their one address throughout, as they would in production.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  url: string;
  /** Connections accepted since the start (each one forwarded to the target). */
  readonly accepted: number;
  /** Stops listening and cuts every open connection: new connections get ECONNREFUSED. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  let server: Server | undefined;

  const listen = async (onPort: number): Promise<number> => {
    const s = createServer((client) => {
      accepted++;
      const upstream = connect(target.port, target.host);
      open.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        open.delete(client);
        open.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(onPort, '127.0.0.1', () => resolve());
    });
    server = s;
    return (s.address() as { port: number }).port;
  };

  const stop = async (): Promise<void> => {
    const s = server;
    server = undefined;
    for (const socket of open) socket.destroy();
    open.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  const port = await listen(0);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    down: stop,
    async up() {
      if (!server) await listen(port);
    },
    close: stop,
  };
}

/** host and port of an http(s) URL, for startTcpProxy. */
export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)) };
}
