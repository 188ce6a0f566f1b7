import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../errors';

/**
 * Paths anyone may read: probes (orchestrators cannot send keys), the docs and
 * the contract (they reveal nothing the public spec does not), and the
 * environment page with its assets (it holds no data: it asks for the key and
 * calls the API with it from the browser).
 */
export function isPublicPath(path: string): boolean {
  // Express matches routes case-insensitively and with an optional trailing
  // slash; normalise the same way so /Health/ is public exactly when /health is.
  const normalised = path.toLowerCase().replace(/(.)\/$/, '$1');
  // Dot segments (raw or percent-encoded) never make a path public, whatever a
  // static file server below might resolve them to.
  if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(normalised)) return false;
  return (
    normalised === '/health' ||
    normalised === '/ready' ||
    normalised === '/openapi.yaml' ||
    normalised === '/docs' ||
    normalised.startsWith('/docs/') ||
    // The root itself only: '//' would normalise to '/' but is no route of the page.
    path === '/' ||
    normalised.startsWith('/page/')
  );
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function unauthorized(req: IncomingMessage, detail: string, challenge: string): AppError {
  return new AppError({
    type: 'unauthorized',
    title: 'Unauthorized',
    status: 401,
    detail,
    headers: { 'WWW-Authenticate': challenge, ...(bodyStillComing(req) ? { Connection: 'close' } : {}) },
  });
}

/**
 * After answering, Node keeps reading (and discarding) a request body the app
 * never consumed, so an anonymous client trickling a large body would hold its
 * connection until REQUEST_UPLOAD_TIMEOUT_MS. `Connection: close` makes Node
 * close the socket once the 401 is written instead.
 */
function bodyStillComing(req: IncomingMessage): boolean {
  const declared = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  return declared && !req.complete;
}

const BEARER = /^Bearer +([^\s]+) *$/i;
const KEY_HEADER = 'x-testapi-key';
const API_KEY = /^[\x21-\x7e]+$/;

/**
 * Requires `Authorization: Bearer <key>` (or `X-Testapi-Key: <key>`) on every non-public path when keys
 * are configured; with none configured it is a no-op (the service then binds
 * to loopback only, see config.ts).
 *
 * Both sides are hashed before timingSafeEqual so neither the key's length nor
 * a matching prefix shows in the response time, and every configured key is
 * compared (no early exit) so the position of the matching key does not either.
 * Unknown paths answer 401 too: without a key nobody learns which routes exist.
 */
export function requireApiKey(keys: readonly string[]): RequestHandler {
  if (keys.length === 0) return (_req, _res, next) => next();
  const accepted = keys.map(digest);
  return (req, _res, next) => {
    if (isPublicPath(req.path)) {
      next();
      return;
    }
    // X-Testapi-Key wins when present: a Pact verifier sends the provider's own
    // Authorization to the state change URL as well, so testapi's key needs a header of its own.
    const ownHeader = req.headers[KEY_HEADER];
    const header = req.headers.authorization;
    if (ownHeader === undefined && header === undefined) {
      throw unauthorized(req, 'This endpoint requires an API key: send `Authorization: Bearer <key>` or `X-Testapi-Key: <key>`.', 'Bearer realm="testapi"');
    }
    const token = ownHeader !== undefined ? (typeof ownHeader === 'string' && API_KEY.test(ownHeader) ? ownHeader : undefined) : BEARER.exec(header!)?.[1];
    const presented = digest(token ?? '');
    let match = false;
    for (const key of accepted) match = timingSafeEqual(presented, key) || match;
    if (!token || !match) {
      throw unauthorized(req, 'The API key is missing, malformed or not accepted.', 'Bearer realm="testapi", error="invalid_token"');
    }
    next();
  };
}
