// For tests only: a TCP proxy on loopback in front of PostgreSQL that a test can turn into the ways a
// database goes away: a black hole (every open connection cut, new ones accepted and never answered),
// stopped (nothing listens: connection refused), and back.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Cuts every open connection; new ones are accepted and left without an answer. */
  blackhole(): void;
  /** Cuts every open connection and stops listening on the port. */
  stop(): Promise<void>;
  /** Listens again (on the same port) and forwards. */
  pass(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'pass' | 'blackhole' = 'pass';
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const cutAll = () => {
    for (const s of sockets) s.destroy();
  };
  const onConnection = (client: net.Socket) => {
    track(client);
    if (mode === 'blackhole') return; // accepted, never answered
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  let server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const closeServer = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  return {
    port,
    blackhole() {
      mode = 'blackhole';
      cutAll();
    },
    async stop() {
      const closing = closeServer();
      cutAll();
      await closing;
    },
    async pass() {
      mode = 'pass';
      if (!server.listening) {
        server = net.createServer(onConnection);
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      }
    },
    async close() {
      const closing = closeServer();
      cutAll();
      await closing;
    },
  };
}
