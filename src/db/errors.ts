/**
 * Recognises failures that mean "the database is not reachable right now"
 * (refused, timed out, restarted) as opposed to a bad query: those become a
 * 503 that a client may retry, never a 500.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
  // pg's client-side query_timeout: the database stopped answering.
  'Query read timeout',
  // pg's connectionTimeoutMillis (DB_CONNECT_TIMEOUT_MS) ran out while a new connection started up:
  // the database is too slow to take one now (seen as a 500 under doubled load in round 18).
  'timeout expired',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown; driverError?: unknown };
    if (typeof candidate.code === 'string' && (UNAVAILABLE_SQLSTATES.has(candidate.code) || UNAVAILABLE_ERRNOS.has(candidate.code))) return true;
    if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.some((text) => (candidate.message as string).includes(text))) return true;
    current = candidate.driverError ?? candidate.cause;
  }
  return false;
}

/**
 * pg-pool's own wait ran out: every connection stayed in use for
 * DB_POOL_WAIT_MS. The database answers; the service is busy. (Connecting
 * itself past DB_CONNECT_TIMEOUT_MS fails as "Connection terminated".)
 */
export function isPoolWaitExceeded(error: unknown): boolean {
  return error instanceof Error && error.message === 'timeout exceeded when trying to connect';
}

/** A statement cut short by statement_timeout (or a cancel at shutdown). */
export function isQueryCanceled(error: unknown): boolean {
  // 25P04: PostgreSQL 17's transaction_timeout ended the session (see db/transaction.ts).
  return ['57014', '25P04'].includes(sqlState(error) ?? '');
}

/** PostgreSQL's SQLSTATE of an error, through TypeORM's wrapper if any. */
export function sqlState(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate?.code ?? candidate?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

/** pg's own query_timeout fired: the database did not answer at all (frozen, unreachable). */
export function isClientSideTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Query read timeout';
}
