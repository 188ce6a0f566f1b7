import type { Request, RequestHandler } from 'express';
import type { Metrics } from './metrics';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route label is the matched Express pattern (`/tags/:tag`), never the raw
 * URL: one series per route, however many tags or junk paths callers send.
 */
export function routeLabel(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return `${req.baseUrl}${route}`;
  if (/^\/docs(\/|$)/i.test(req.path)) return '/docs';
  return 'unmatched';
}

/** Counts every request and its latency once the response is written (or the socket closes). */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = KNOWN_METHODS.has(req.method) ? req.method : 'OTHER';
      // A client that hangs up before the answer is written never sees a status: 499, as nginx names it.
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.httpRequest(method, routeLabel(req), status, seconds);
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
