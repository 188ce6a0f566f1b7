import type { Pool, PoolClient } from 'pg';
import { sqlState } from '../db/errors';

const DEADLOCK = '40P01';
const ATTEMPTS = 3;

/**
 * Runs `work` in one transaction on one pooled connection. A deadlock victim
 * is retried (its work rolled back, so retrying is safe); any other failure
 * rolls back and propagates.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await once(pool, work);
    } catch (error) {
      if (sqlState(error) !== DEADLOCK || attempt >= ATTEMPTS) throw error;
    }
  }
}

async function once<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      // A connection that cannot roll back must not go back to the pool.
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
