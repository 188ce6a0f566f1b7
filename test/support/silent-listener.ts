import net from 'node:net';

/**
 * A TCP port that accepts connections and never answers, for the lifetime
 * of the describe block that calls it: a database that cannot start a
 * session (the client waits for PostgreSQL's greeting, using no CPU).
 */
export function useSilentListener(): { port(): number } {
  let silent: net.Server | undefined;
  const sockets: net.Socket[] = [];
  beforeAll(async () => {
    silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });
  return { port: () => (silent!.address() as net.AddressInfo).port };
}
