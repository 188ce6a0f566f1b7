import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { isClientSideTimeout, isDatabaseUnavailable, isPoolWaitExceeded, isQueryCanceled, sqlState } from '../db/errors';
import { RequestAbandonedError } from '../db/request-context';
import type { Logger } from '../logger';
import { AppError, conflict, notFound, serviceUnavailable, validationError } from '../errors';
import { PROBLEM_CONTENT_TYPE, problemBody } from './problem';

/** Errors thrown by express.json() carry a `type` naming what went wrong. */
interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

function fromBodyParser(error: BodyParserError): AppError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppError({ type: 'malformed-json', title: 'Malformed JSON', status: 400, detail: 'The request body is not valid JSON.' });
    case 'entity.too.large':
      return new AppError({
        type: 'payload-too-large',
        title: 'Payload too large',
        status: 413,
        detail: `The request body exceeds the limit of ${error.limit ?? 'the configured'} bytes.`,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError({ type: 'unsupported-media-type', title: 'Unsupported media type', status: 415, detail: 'Send the body as UTF-8 JSON.' });
    case 'request.aborted':
      return new AppError({ type: 'request-aborted', title: 'Request aborted', status: 400, detail: 'The client aborted the request.' });
    default:
      return undefined;
  }
}

/**
 * body-parser inflates gzip, deflate and br bodies with zlib, whose errors
 * (Z_DATA_ERROR, Z_BUF_ERROR, brotli's ERR__ERROR_FORMAT_*) carry a numeric
 * errno and no body-parser `type`: a corrupt compressed body is the client's
 * 400, not a 500.
 */
function fromDecompression(error: unknown): AppError | undefined {
  const candidate = error as { errno?: unknown; code?: unknown; status?: unknown };
  if (typeof candidate?.errno !== 'number' || typeof candidate.code !== 'string' || candidate.status !== 400) return undefined;
  return validationError(
    [{ path: 'body', message: 'body could not be decompressed: it does not match its Content-Encoding (gzip, deflate or br)' }],
    'The request body is not valid for its Content-Encoding.',
  );
}

const LOCK_NOT_AVAILABLE = '55P03';
const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

/**
 * lock_timeout fired: another request holds the tag (a provisioning or a
 * delete under way) or the Idempotency-Key (its first request still running).
 * Waiting would hold a pool connection others need; the statement rolled back.
 */
function inProgress(): AppError {
  return new AppError({
    type: 'in-progress',
    title: 'In progress',
    status: 409,
    detail:
      'Another request is working on the same tag or Idempotency-Key right now (it held a lock longer than LOCK_TIMEOUT_MS), so nothing was done; retry after Retry-After seconds.',
    headers: { 'Retry-After': String(IN_PROGRESS_RETRY_AFTER_SECONDS) },
    extensions: { retryAfterSeconds: IN_PROGRESS_RETRY_AFTER_SECONDS },
  });
}

/** The request's transaction was cancelled and rolled back: its time was up, or its client left (then nobody reads this). */
function abandoned(error: RequestAbandonedError): AppError {
  if (error.reason === 'client-gone') {
    return new AppError({ type: 'request-aborted', title: 'Request aborted', status: 400, detail: 'The client closed the connection; the request was cancelled and nothing was written.' });
  }
  return new AppError({
    type: 'request-timeout',
    title: 'Request timeout',
    status: 503,
    detail: 'The request took longer than REQUEST_TIMEOUT_MS, so its transaction was cancelled and rolled back: nothing was written. Split the request, or retry when the service is less busy.',
    headers: { 'Retry-After': '1' },
  });
}

/**
 * An integrity constraint PostgreSQL enforced where no use case mapped it
 * first: typically one the application declared DEFERRABLE INITIALLY
 * DEFERRED, checked at COMMIT after every statement succeeded. The rows were
 * the caller's and the transaction rolled back, so it is their 409 (a value
 * already used) or 422 (any other constraint), naming the constraint.
 */
function fromIntegrityViolation(error: unknown): AppError | undefined {
  const state = sqlState(error);
  if (!state?.startsWith('23')) return undefined;
  const fields = ((error as { driverError?: unknown }).driverError ?? error) as { table?: string; schema?: string; constraint?: string; column?: string; detail?: string };
  const extensions = { table: fields.table ?? null, constraint: fields.constraint ?? null, column: fields.column ?? null };
  const where = [fields.table ? `table ${fields.table}` : undefined, fields.constraint ? `constraint ${fields.constraint}` : undefined].filter(Boolean).join(', ') || 'a constraint';
  const why = fields.detail ? ` (${fields.detail})` : '';
  const deferred = 'A constraint declared DEFERRABLE INITIALLY DEFERRED is checked when the transaction commits, after every row was written.';
  if (state === '23505') {
    return conflict(`PostgreSQL refused the request's rows: a value of ${where} is already used${why}. Nothing was written. ${deferred}`, undefined, extensions);
  }
  return new AppError({
    type: 'constraint-violation',
    title: 'PostgreSQL refused the rows',
    status: 422,
    detail: `PostgreSQL refused the request's rows at ${where}${why}. Nothing was written. ${deferred}`,
    extensions,
  });
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const parserError = fromBodyParser(error as BodyParserError) ?? fromDecompression(error);
  if (parserError) return parserError;
  if (error instanceof URIError && (error as URIError & { status?: number }).status === 400) {
    // Express's router could not percent-decode a path parameter (e.g. /tags/%E0%A4%A).
    return new AppError({ type: 'malformed-url', title: 'Malformed URL', status: 400, detail: 'The URL path holds an invalid percent-encoding.' });
  }
  if (error instanceof RequestAbandonedError) return abandoned(error);
  if (sqlState(error) === LOCK_NOT_AVAILABLE) return inProgress();
  if (isClientSideTimeout(error)) {
    // The statement may be sitting in a frozen backend's input and run when it thaws: say so, a blind retry could write twice.
    return serviceUnavailable(
      'PostgreSQL stopped answering (no reply within STATEMENT_TIMEOUT_MS plus 2 s). A write already sent may still complete when it answers again: retry with an Idempotency-Key, or check GET /tags/{tag} first.',
    );
  }
  if (isPoolWaitExceeded(error)) {
    return serviceUnavailable('Every database connection of this process stayed in use for DB_POOL_WAIT_MS: the service is busy, nothing was written; retry shortly.');
  }
  if (isDatabaseUnavailable(error)) return serviceUnavailable('The database is not reachable right now; retry shortly.');
  if (isQueryCanceled(error)) return serviceUnavailable('A database statement was cancelled (statement timeout or shutdown); nothing was written.');
  const refused = fromIntegrityViolation(error);
  if (refused) return refused;
  return new AppError(
    { type: 'internal', title: 'Internal server error', status: 500, detail: 'An unexpected error occurred; the request id identifies it in the service log.' },
    { cause: error },
  );
}

export function requestIdOf(req: Request): string {
  return String((req as Request & { id?: unknown }).id ?? '');
}

/** The one error middleware, and the one place AppError becomes HTTP: every failure leaves as application/problem+json. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = toAppError(error);
    const requestId = requestIdOf(req);
    if (problem.status >= 500) {
      // The cause (stack, SQL) goes to the log only, tied to the request id.
      logger.error({ err: error, requestId, status: problem.status }, 'request failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(problem.headers ?? {})) res.setHeader(name, value);
    res
      .status(problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problemBody(problem, req.originalUrl.split('?')[0] ?? '', requestId)));
  };
}

export const unknownRoute: RequestHandler = (req) => {
  throw notFound(`No route ${req.method} ${req.path}. See GET /openapi.yaml for the API.`);
};
