import type { Pool, PoolClient } from 'pg';
import { DOMAIN_TABLES_DELETE_ORDER, emptyCounts, type TableCounts } from '../db/tables';
import { inTransaction } from '../db/transaction';
import type { Metrics } from '../observability/metrics';
import { deleteTagRowsBatch } from './tag.repository';
import { DEFAULT_VACUUM_AFTER_DELETED_ROWS, vacuumAfterLargeDeletes } from './vacuum-after-delete';

/** Rows per table and statement: far below what STATEMENT_TIMEOUT_MS allows on a slow machine (~10k rows take 0.1-0.3 s). */
export const DEFAULT_DELETE_BATCH_ROWS = 10_000;

export interface BatchedDeleteDeps {
  pool: Pool;
  metrics: Pick<Metrics, 'rowsDeleted'>;
  vacuumAfterDeletedRows?: number;
}

export interface BatchedDeleteOptions {
  batchRows: number;
  /**
   * Runs first in every batch's transaction: locks the tag's registry row and
   * says whether the tag is still to be deleted (the sweeper stops when a
   * request extended the tag meanwhile). False ends the deletion early.
   */
  stillWanted(client: PoolClient): Promise<boolean>;
}

/**
 * Deletes a tag too large for one statement within STATEMENT_TIMEOUT_MS in
 * bounded batches, each its own transaction, children before parents: every
 * committed step leaves all foreign keys satisfied and the tag still
 * registered, so a crash between two batches leaves a smaller tag that the
 * next attempt (DELETE again, or the sweeper) simply continues. The caller
 * finishes with the one-transaction removal, which unregisters the tag and
 * checks nothing of it is left.
 */
export async function deleteTagInBatches(deps: BatchedDeleteDeps, tag: string, options: BatchedDeleteOptions): Promise<{ counts: TableCounts; complete: boolean }> {
  const counts = emptyCounts();
  for (const table of DOMAIN_TABLES_DELETE_ORDER) {
    for (;;) {
      const deleted = await inTransaction(deps.pool, async (client) => {
        if (!(await options.stillWanted(client))) return undefined;
        return deleteTagRowsBatch(client, table, tag, options.batchRows);
      });
      if (deleted === undefined) return { counts, complete: false };
      counts[table] += deleted;
      const step = emptyCounts();
      step[table] = deleted;
      deps.metrics.rowsDeleted(step);
      vacuumAfterLargeDeletes(deps.pool, step, deps.vacuumAfterDeletedRows ?? DEFAULT_VACUUM_AFTER_DELETED_ROWS);
      if (deleted < options.batchRows) break;
    }
  }
  return { counts, complete: true };
}
