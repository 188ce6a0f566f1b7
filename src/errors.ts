/**
 * The one error vocabulary of testapi. The engine, cleanup and the sweeper
 * throw these; they know nothing of HTTP. Only src/http/error-handler.ts turns
 * an AppError into an RFC 9457 application/problem+json answer, so `status`
 * here is the status that answer will carry.
 */
export interface FieldError {
  /** Dotted path into the request, e.g. `params.orders` or `overrides.user.email`. */
  path: string;
  message: string;
}

export interface ProblemInit {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  /** Extra members for this problem type, e.g. `retryAfterSeconds`. */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

const TYPE_PREFIX = 'urn:testapi:problem:';

export class AppError extends Error {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: FieldError[];
  readonly extensions?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(init: ProblemInit, options?: { cause?: unknown }) {
    super(init.detail, options);
    this.name = 'AppError';
    this.type = init.type.includes(':') ? init.type : `${TYPE_PREFIX}${init.type}`;
    this.title = init.title;
    this.status = init.status;
    this.detail = init.detail;
    this.errors = init.errors;
    this.extensions = init.extensions;
    this.headers = init.headers;
  }
}

/** Field errors listed in one problem; the rest are counted in `errorsOmitted` (a hostile body must not buy an 11 MB answer). */
export const MAX_FIELD_ERRORS = 20;

export function validationError(errors: FieldError[], detail = 'The request is invalid: see errors[] for each offending field.'): AppError {
  if (errors.length <= MAX_FIELD_ERRORS) return new AppError({ type: 'validation', title: 'Invalid request', status: 400, detail, errors });
  return new AppError({
    type: 'validation',
    title: 'Invalid request',
    status: 400,
    detail: `${detail} The first ${MAX_FIELD_ERRORS} of ${errors.length} errors are listed.`,
    errors: errors.slice(0, MAX_FIELD_ERRORS),
    extensions: { errorsOmitted: errors.length - MAX_FIELD_ERRORS },
  });
}

export function notFound(detail: string): AppError {
  return new AppError({ type: 'not-found', title: 'Not found', status: 404, detail });
}

export function conflict(detail: string, errors?: FieldError[], extensions?: Record<string, unknown>): AppError {
  return new AppError({ type: 'conflict', title: 'Conflict', status: 409, detail, errors, extensions });
}

export function serviceUnavailable(detail: string, retryAfterSeconds = 1): AppError {
  return new AppError({
    type: 'service-unavailable',
    title: 'Service unavailable',
    status: 503,
    detail,
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
