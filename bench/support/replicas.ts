import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

// Compiled, this file sits in dist/bench/support next to dist/src; run from source (Jest), the build is in dist/.
const SERVER_ENTRY = [path.join(__dirname, '..', '..', 'src', 'server.js'), path.join(__dirname, '..', '..', 'dist', 'src', 'server.js')].find((file) =>
  fs.existsSync(file),
) ?? path.join(__dirname, '..', '..', 'dist', 'src', 'server.js');

export interface Replica {
  index: number;
  url: string;
  child: ChildProcess;
  /** Log lines of this process that mention the sweeper (the only ones the soak reads). */
  sweepLines: string[];
  exited: Promise<void>;
}

/** One service process (the built dist/) on `databaseUrl`, on a free port; resolves once it listens. */
export async function startReplica(index: number, databaseUrl: string, env: Record<string, string>): Promise<Replica> {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build\` first (npm run soak does)`);
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sweepLines: string[] = [];
  let buffered = '';
  let tail = '';
  let resolvePort: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => {
    resolvePort = resolve;
  });
  const collect = (chunk: Buffer): void => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      tail = `${tail}${line}\n`.slice(-4000);
      if (line.includes('tag sweep')) sweepLines.push(line);
      if (line.includes('testapi listening')) {
        const port = Number(/"port":(\d+)/.exec(line)?.[1]);
        if (port) resolvePort(port);
      }
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await Promise.race([
    listening,
    exited.then(() => {
      throw new Error(`replica ${index} exited before listening:\n${tail}`);
    }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`replica ${index} did not listen within 30 s:\n${tail}`)), 30_000).unref()),
  ]);
  return { index, url: `http://127.0.0.1:${port}`, child, sweepLines, exited };
}

export async function stopReplica(replica: Replica, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill(signal);
  await replica.exited;
}

export interface RoundRobinProxy {
  url: string;
  /** Requests the proxy answered 502 because the replica broke the connection (e.g. killed mid-request). */
  broken(): number;
  close(): Promise<void>;
}

/**
 * A tiny HTTP round-robin balancer on loopback: each request goes to the next
 * live target; a refused connection (a replica that is down) moves on to the
 * next one, a connection that breaks mid-request becomes a 502.
 */
export async function startRoundRobinProxy(targets: () => readonly string[]): Promise<RoundRobinProxy> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  let broken = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number): void => {
        const list = targets();
        if (list.length === 0 || tries > list.length) {
          broken += 1;
          res.writeHead(502).end();
          return;
        }
        const target = new URL(list[next++ % list.length]!);
        const upstream = http.request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('error', () => res.destroy());
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ECONNREFUSED' && !res.headersSent) {
            attempt(tries + 1);
            return;
          }
          broken += 1;
          if (!res.headersSent) res.writeHead(502).end();
          else res.destroy();
        });
        upstream.end(body);
      };
      attempt(1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    broken: () => broken,
    async close() {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
