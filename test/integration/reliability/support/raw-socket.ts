import net from 'node:net';

export interface RawSocket {
  socket: net.Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves with ms from the call until the server closed the connection (or `limitMs` if it did not: -1). */
  closedWithin(limitMs: number): Promise<number>;
}

/** A bare TCP connection, to send HTTP as slowly or as incompletely as an attacker would. */
export async function openRawSocket(port: number): Promise<RawSocket> {
  const socket = net.connect(port, '127.0.0.1');
  let data = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('utf8');
  });
  socket.on('error', () => undefined);
  const closing = new Promise<void>((resolve) => socket.once('close', () => {
    closed = true;
    resolve();
  }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    received: () => data,
    async closedWithin(limitMs: number) {
      const started = Date.now();
      if (closed) return 0;
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        closing.then(() => Date.now() - started),
        new Promise<number>((resolve) => {
          timer = setTimeout(() => resolve(-1), limitMs);
        }),
      ]);
      clearTimeout(timer);
      return result;
    },
  };
}

/** Status line and JSON body of the first response in `raw`. */
export function parseResponse(raw: string): { status: number; headers: Record<string, string>; body: unknown } {
  const [head = '', rest = ''] = raw.split('\r\n\r\n', 2);
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  let body: unknown = rest;
  if (headers['transfer-encoding'] === 'chunked') {
    const size = parseInt(rest, 16);
    body = rest.slice(rest.indexOf('\r\n') + 2, rest.indexOf('\r\n') + 2 + size);
  } else if (headers['content-length']) {
    body = rest.slice(0, Number(headers['content-length']));
  }
  if (/json/.test(headers['content-type'] ?? '') && typeof body === 'string') body = JSON.parse(body) as unknown;
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}
