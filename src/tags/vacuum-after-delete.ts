import { Client, type ClientConfig, type Pool } from 'pg';
import { DOMAIN_TABLES_DELETE_ORDER, type DomainTable, type TableCounts } from '../db/tables';

/** Default of VACUUM_AFTER_DELETED_ROWS. */
export const DEFAULT_VACUUM_AFTER_DELETED_ROWS = 100_000;

interface PoolState {
  deletedSince: Map<DomainTable, number>;
  running: Promise<void>;
}

const states = new WeakMap<Pool, PoolState>();

/**
 * After a table lost `threshold` rows (summed over deletes), VACUUM (ANALYZE)
 * it in the background, one run at a time per pool, on a connection of its
 * own: dead rows and index entries go and their space is free for the next
 * writes, instead of waiting for autovacuum. The emptied pages stay with the
 * table (vacuum_truncate = false, migration 1764960000000): a table cut to 0
 * pages is planned as empty, and the foreign-key checks each backend caches
 * then scan the tables the next requests fill (docs/PERFORMANCE.md).
 */
export function vacuumAfterLargeDeletes(pool: Pool, counts: Partial<TableCounts>, threshold: number): void {
  if (threshold <= 0) return;
  let state = states.get(pool);
  if (!state) {
    state = { deletedSince: new Map(), running: Promise.resolve() };
    states.set(pool, state);
  }
  const due: DomainTable[] = [];
  for (const table of DOMAIN_TABLES_DELETE_ORDER) {
    const total = (state.deletedSince.get(table) ?? 0) + (counts[table] ?? 0);
    if (total >= threshold) {
      due.push(table);
      state.deletedSince.delete(table);
    } else if (total > 0) {
      state.deletedSince.set(table, total);
    }
  }
  if (due.length === 0) return;
  state.running = state.running.then(() => vacuum(pool, due));
}

/** Resolves when the vacuums scheduled so far are over (tests, shutdown). */
export async function vacuumsSettled(pool: Pool): Promise<void> {
  await states.get(pool)?.running;
}

async function vacuum(pool: Pool, tables: readonly DomainTable[]): Promise<void> {
  const client = new Client({ ...pool.options, application_name: 'testapi-vacuum' } as ClientConfig);
  client.on('error', () => undefined);
  try {
    await client.connect();
    // VACUUM cannot run in a transaction; table names come from the fixed list.
    await client.query(`VACUUM (ANALYZE) ${tables.join(', ')}`);
  } catch {
    // Best effort: autovacuum (or the next large delete) gets there too; a lock wait beyond lock_timeout lands here.
  } finally {
    await client.end().catch(() => undefined);
  }
}
