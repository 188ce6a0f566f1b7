import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { routeLabel } from './http-metrics';
import { withoutQueryValues } from './safe-request-log';

/** The fields of the one line logged per request, beside the `req` (id, method, url) that pino-http binds (see safe-request-log.ts). */
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

/**
 * pino-http options for one short line per request: method, route pattern,
 * status, duration, tag, and the request id inside `req`. pino-http's default
 * adds the whole response with its headers (helmet's alone are ~700 bytes),
 * which buried the rest in a terminal. A 5xx keeps its error; the problem
 * handler logs its cause beside it.
 */
export const requestLogOptions = {
  customSuccessObject: (req: IncomingMessage, res: ServerResponse, value: { responseTime: number }) => line(req, res, value.responseTime),
  customErrorObject: (req: IncomingMessage, res: ServerResponse, error: Error, value: { responseTime: number }) => ({
    ...line(req, res, value.responseTime),
    // pino-http invents "failed with status code 5xx" when nothing was thrown: that says nothing the status does not.
    ...(error.message.startsWith('failed with status code') ? {} : { err: error }),
  }),
  customSuccessMessage: message,
  // pino-http passes the duration here too, though its types do not say so.
  customErrorMessage: (req: IncomingMessage, res: ServerResponse, _error: Error, responseTime?: number) => message(req, res, responseTime ?? 0),
};
