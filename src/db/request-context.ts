import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the database layer knows about the HTTP request it works for, without
 * importing HTTP: a signal that fires when the client went away or the
 * request's time (REQUEST_TIMEOUT_MS) is up, and that deadline.
 */
export interface RequestContext {
  signal: AbortSignal;
  /** Epoch ms by which the request's database work must be over. */
  deadline: number;
  /**
   * What to stop when the request is abandoned: the database layer adds a
   * callback while a statement of the request runs and removes it after;
   * abandonRequest calls them. A plain set rather than listeners on `signal`:
   * adding and removing an EventTarget listener per statement cost about
   * 0.06 ms, a tenth of a small request's CPU (npm run bench).
   */
  whenAbandoned?: Set<() => void>;
}

/** Abandons the request: its signal fires, and whatever the database layer runs for it is stopped. */
export function abandonRequest(context: RequestContext, controller: AbortController, reason: RequestAbandonedError): void {
  if (context.signal.aborted) return;
  controller.abort(reason);
  for (const stop of context.whenAbandoned ?? []) stop();
}

/** Why a request's work was stopped: the reason given to its AbortController. */
export class RequestAbandonedError extends Error {
  constructor(readonly reason: 'client-gone' | 'timeout') {
    super(reason === 'timeout' ? 'The request ran longer than REQUEST_TIMEOUT_MS.' : 'The client closed the connection before the answer.');
    this.name = 'RequestAbandonedError';
  }
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The reason a context's work was abandoned, once it was. */
export function abandonment(context: RequestContext | undefined): RequestAbandonedError | undefined {
  if (!context?.signal.aborted) return undefined;
  const reason: unknown = context.signal.reason;
  return reason instanceof RequestAbandonedError ? reason : new RequestAbandonedError('client-gone');
}
