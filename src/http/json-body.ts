import type { Request } from 'express';
import { AppError } from '../errors';

/**
 * express.json() leaves other media types unparsed: a request whose body is
 * not JSON is refused with a 415 rather than read as an empty request (a
 * scenario would provision its defaults, a state change would set up "").
 */
export function refuseNonJsonBody(req: Request): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (req.body === undefined && hasBody && !req.is('json')) {
    throw new AppError({ type: 'unsupported-media-type', title: 'Unsupported media type', status: 415, detail: 'Send the body as application/json.' });
  }
}
