import type { PoolClient } from 'pg';

/**
 * Advisory-lock class of the bulk slots (ASCII "bulk"). Slot i is the
 * transaction-level lock (BULK_LOCK_CLASS, i): held by the request's own
 * transaction, shared by every replica on the database, released by
 * PostgreSQL at COMMIT or ROLLBACK, even if this process dies.
 */
export const BULK_LOCK_CLASS = 0x62756c6b;

/** Takes the first free slot of 0..max-1 without waiting; false when all are busy. */
export async function tryAcquireBulkSlot(client: PoolClient, max: number): Promise<boolean> {
  const result = await client.query(
    'SELECT slot FROM generate_series(0, $2::int - 1) AS slot WHERE pg_try_advisory_xact_lock($1::int, slot) LIMIT 1',
    [BULK_LOCK_CLASS, max],
  );
  return result.rowCount === 1;
}
