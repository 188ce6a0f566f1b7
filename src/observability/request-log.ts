import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger';
import { routeLabel } from './http-metrics';
import { withoutQueryValues } from './safe-request-log';

/** The fields of the one line logged per request, beside its `req` (id, method, url; see safe-request-log.ts). */
export interface RequestLine {
  /** The matched pattern (`/tags/:tag`), as in the metrics. */
  route: string;
  status: number;
  ms: number;
  tag?: string;
}

/** Lets a route name the tag a request worked on when the request did not (a tag the service chose). */
export function logTag(res: Response, tag: unknown): void {
  if (typeof tag === 'string') (res.locals as { logTag?: string }).logTag = tag;
}

// From the URL by the route's pattern: req.params is emptied again when a route's handler fails.
function tagInPath(req: Request, route: string): string | undefined {
  const index = route.split('/').indexOf(':tag');
  const segment = index < 0 ? undefined : (req.originalUrl ?? '').split('?')[0]!.split('/')[index];
  try {
    return segment ? decodeURIComponent(segment) : undefined;
  } catch {
    return undefined;
  }
}

function tagOf(req: Request, res: Response, route: string): string | undefined {
  const noted = (res.locals as { logTag?: string }).logTag;
  const fromPath = tagInPath(req, route);
  const fromBody = (req.body as { tag?: unknown } | undefined)?.tag;
  for (const candidate of [noted, fromPath, fromBody]) {
    // Only what could be a tag: a junk body must not put kilobytes into the line.
    if (typeof candidate === 'string' && candidate.length <= 64) return candidate;
  }
  return undefined;
}

function line(req: IncomingMessage, res: ServerResponse, responseTime: number): RequestLine {
  const request = req as Request;
  const response = res as Response;
  const route = routeLabel(request);
  const tag = tagOf(request, response, route);
  return {
    route,
    // A client that hung up before the answer was written never saw a status: 499, as in the metrics.
    status: res.writableFinished ? res.statusCode : 499,
    ms: responseTime,
    ...(tag !== undefined ? { tag } : {}),
  };
}

function message(req: IncomingMessage, res: ServerResponse, responseTime: number): string {
  const status = res.writableFinished ? res.statusCode : 499;
  return `${req.method} ${withoutQueryValues((req as Request).originalUrl ?? req.url ?? '')} ${status} ${responseTime}ms`;
}

type LineLevel = 'info' | 'warn' | 'error';

/**
 * The request line without pino-http: pino-http builds a child logger per
 * request (bindings serialized, a closure and a `req.log`) before it knows
 * whether the line will be written. Here a request costs its id and one
 * listener; the line is built only when its level is enabled. Same line,
 * fields and levels as pino-http gave it (5xx and aborted: error; 4xx:
 * warn; else info). pino-http's default line added the whole response with
 * its headers (helmet's alone are ~700 bytes), which buried the rest in a
 * terminal; a 5xx's cause is logged by the problem handler beside it.
 */
export interface RequestLogOptions {
  /** The request's id (and whatever echoing it needs); it names the request in every log line. */
  idFor: (req: IncomingMessage, res: ServerResponse) => string;
  /** Paths not logged (probes). */
  ignore: (url: string) => boolean;
}

export function requestLog(logger: Logger, { idFor, ignore }: RequestLogOptions): RequestHandler {
  return (req, res, next) => {
    const started = Date.now();
    (req as Request & { id?: string }).id = idFor(req, res);
    if (ignore(req.url)) {
      next();
      return;
    }
    const done = (): void => {
      res.removeListener('finish', done);
      res.removeListener('close', done);
      const aborted = !res.writableFinished;
      const level: LineLevel = aborted || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const ms = Date.now() - started;
      const request = { id: (req as Request & { id?: string }).id, method: req.method, url: req.originalUrl ?? req.url, headers: req.headers };
      logger[level]({ req: request, ...line(req, res, ms), ...(aborted ? { err: new Error('request aborted') } : {}) }, message(req, res, ms));
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
