import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Config } from '../../src/config';
import { createHttpServer } from '../../src/http/http-server';

export interface ListeningServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>`, for fetch, raw sockets, or http(base). */
  readonly base: string;
}

/**
 * The app behind a real listening server for the whole file (beforeAll to
 * afterAll), with the service's own server settings. For tests that need a
 * socket (disconnects, paused readers) or send many requests: supertest
 * given the app itself listens on a new port and closes it for every request.
 * `source` is read in beforeAll, once the app exists.
 */
export function useListeningServer(source: () => { app: Express; config: Config }): ListeningServer {
  let server: Server | undefined;
  let port = 0;
  beforeAll(async () => {
    const { app, config } = source();
    const started = createHttpServer(app, config);
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    server = started;
    port = (started.address() as AddressInfo).port;
  });
  afterAll(async () => {
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
  });
  return {
    get port() {
      return port;
    },
    get base() {
      return `http://127.0.0.1:${port}`;
    },
  };
}
