import type { Pool, PoolClient } from 'pg';
import { isClientSideTimeout, sqlState } from './errors';

/** The pool itself (one statement, its own transaction) or a transaction's client. */
export type Queryable = Pool | PoolClient;

const DEADLOCK = '40P01';
const ATTEMPTS = 3;

export interface TransactionOptions {
  /** Runs after a failure, before ROLLBACK: e.g. let an in-flight COPY settle, since nothing else may use the connection during it. */
  beforeRollback?: () => Promise<void>;
}

/**
 * Runs `work` in one transaction on one pooled connection. A deadlock victim
 * is retried (its work rolled back, so retrying is safe); any other failure
 * rolls back and propagates. The one transaction helper of provisioning and cleanup.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await once(pool, work, options);
    } catch (error) {
      if (sqlState(error) !== DEADLOCK || attempt >= ATTEMPTS) throw error;
    }
  }
}

async function once<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, options: TransactionOptions): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (isClientSideTimeout(error)) {
      // The database stopped answering: a ROLLBACK would wait just as long.
      // Closing the connection makes PostgreSQL roll back on its side.
      broken = error as Error;
      throw error;
    }
    await options.beforeRollback?.();
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      // A connection that cannot roll back must not go back to the pool.
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
