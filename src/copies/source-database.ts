import { Client } from 'pg';
import { isDatabaseUnavailable, isPoolWaitExceeded, isQueryCanceled } from '../db/errors';
import { AppError, serviceUnavailable } from '../errors';

/**
 * A named source (TESTAPI_SOURCES), read on a connection of its own in one
 * READ ONLY, REPEATABLE READ transaction: every table is seen at one instant,
 * PostgreSQL itself refuses any write, and each statement is bounded by
 * SOURCE_STATEMENT_TIMEOUT_MS so a slow replica cannot hold the request. The
 * connection is closed afterwards: copies are rare, a pool would only keep
 * sessions open on someone else's database.
 */
export interface SourceSettings {
  name: string;
  url: string;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

function unreachable(name: string): AppError {
  return serviceUnavailable(`Source "${name}" cannot be reached right now; nothing was copied. Retry later, or check its entry in TESTAPI_SOURCES.`, 5);
}

export async function readFromSource<T>(source: SourceSettings, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    connectionString: source.url,
    connectionTimeoutMillis: source.connectTimeoutMs,
    statement_timeout: source.statementTimeoutMs,
    // Beyond the server-side bound: a source that stops answering at all.
    query_timeout: source.statementTimeoutMs + 5_000,
    application_name: 'testapi-copy',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch {
    // The error may quote the URL (a password): it stays out of the answer and the log.
    throw unreachable(source.name);
  }
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    // The source's own small pool, all in use, is reported like an unreachable source: retry later either way.
    if (isDatabaseUnavailable(error) || isPoolWaitExceeded(error)) throw unreachable(source.name);
    if (isQueryCanceled(error)) {
      throw serviceUnavailable(
        `A statement on source "${source.name}" ran longer than SOURCE_STATEMENT_TIMEOUT_MS (${source.statementTimeoutMs} ms) and was cancelled; nothing was copied. Narrow the copy (sample, where, children) or retry when the source is less busy.`,
        5,
      );
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
