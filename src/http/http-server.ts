import http from 'node:http';
import type { RequestListener } from 'node:http';
import type { Config } from '../config';

/**
 * The HTTP server with bounded connections. Node's defaults (60 s for headers,
 * 300 s per request, no connection cap) let a few hundred slow, unauthenticated
 * sockets stay open for minutes; every bound here comes from configuration.
 */
export function createHttpServer(app: RequestListener, config: Pick<Config, 'headersTimeoutMs' | 'requestUploadTimeoutMs' | 'keepAliveTimeoutMs' | 'maxConnections'>): http.Server {
  const server = http.createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestUploadTimeoutMs,
      keepAliveTimeout: config.keepAliveTimeoutMs,
      // Node checks the two timeouts above only this often (30 s by default), which would stretch a 1 s bound to 30 s.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(config.headersTimeoutMs / 2))),
    },
    app,
  );
  // Connections beyond the cap are closed by Node as soon as they are accepted.
  server.maxConnections = config.maxConnections;
  return server;
}
