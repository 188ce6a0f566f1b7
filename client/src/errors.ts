import type { components } from './generated/openapi.js';

/** An RFC 9457 problem document as testapi sends it. */
export type Problem = components['schemas']['Problem'];
/** One offending field of a 400 problem, e.g. `{ path: 'params.orders', message: '...' }`. */
export type FieldError = components['schemas']['FieldError'];

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && typeof (body as Problem).status === 'number' && typeof (body as Problem).title === 'string';
}

function describe(status: number, statusText: string, body: unknown): string {
  if (isProblem(body)) {
    const head = body.detail && body.detail !== body.title ? `${body.title}: ${body.detail}` : body.title;
    const fields = (body.errors ?? []).map((error) => `\n  - ${error.path}: ${error.message}`).join('');
    return `${head} (HTTP ${status})${fields}`;
  }
  const head = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const text = typeof body === 'string' ? body.replace(/\s+/g, ' ').trim() : '';
  // A proxy's or another server's HTML page says little beyond its status; quoting it buries the point.
  if (/^<(!doctype|html)/i.test(text)) return `${head}: an HTML page, not a testapi answer: is the URL right?`;
  return `${head}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

/**
 * Thrown by the named methods of {@link TestApi} for any non-2xx answer.
 * `message` reads "<title>: <detail> (HTTP <status>)" followed by one line per
 * field error, so a failing `beforeAll` says what to fix.
 */
export class TestApiError extends Error {
  override readonly name = 'TestApiError';
  /** The HTTP status. */
  readonly status: number;
  /** The problem+json body, or undefined when the answer was not a problem document (e.g. a proxy's HTML page). */
  readonly problem: Problem | undefined;
  /**
   * Field errors of a 400 (`[]` otherwise). Not called `errors`: Jest prints any error with an
   * `errors` array as an AggregateError, repeating each field below the message that lists them.
   */
  readonly fieldErrors: FieldError[];
  /** The raw response; its body has already been read. */
  readonly response: Response;

  constructor(response: Response, body: unknown) {
    super(describe(response.status, response.statusText, body));
    this.status = response.status;
    this.problem = isProblem(body) ? body : undefined;
    this.fieldErrors = this.problem?.errors ?? [];
    this.response = response;
  }
}

/** Thrown when the service cannot be reached at all (refused, DNS, TLS). */
export class TestApiConnectionError extends Error {
  override readonly name = 'TestApiConnectionError';
  /**
   * What fetch threw ("fetch failed", with the socket error as its `cause`). Kept here rather than as
   * this error's `cause`: Jest prints a cause chain as two more stacks under a message that already
   * names the reason (e.g. ECONNREFUSED).
   */
  readonly fetchError: unknown;

  constructor(baseUrl: string, fetchError: unknown) {
    const reason = (fetchError as { cause?: { code?: string; message?: string } })?.cause;
    super(
      `Cannot reach testapi at ${baseUrl}: ${reason?.code ?? reason?.message ?? (fetchError as Error)?.message ?? String(fetchError)}. Is it running, and is the URL right?`,
    );
    this.fetchError = fetchError;
  }
}
