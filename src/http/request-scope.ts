import type { RequestHandler } from 'express';
import { abandonRequest, RequestAbandonedError, runWithRequestContext, type RequestContext } from '../db/request-context';

/**
 * Gives every request a context the database layer can see: when the client
 * disconnects before the answer, or REQUEST_TIMEOUT_MS passes, its signal
 * fires and the request's transaction is cancelled and rolled back (see
 * db/transaction.ts). Mounted after the body parser: its stream callbacks
 * would otherwise lose the async context.
 */
export function requestScope(requestTimeoutMs: number): RequestHandler {
  return (_req, res, next) => {
    const controller = new AbortController();
    const context: RequestContext = { signal: controller.signal, deadline: Date.now() + requestTimeoutMs };
    const timer = setTimeout(() => abandonRequest(context, controller, new RequestAbandonedError('timeout')), requestTimeoutMs);
    timer.unref();
    res.once('close', () => {
      clearTimeout(timer);
      // 'close' before the response was fully written: the client went away.
      if (!res.writableFinished) abandonRequest(context, controller, new RequestAbandonedError('client-gone'));
    });
    runWithRequestContext(context, next);
  };
}
