import type { Pool, PoolClient } from 'pg';
import { isQueryCanceled } from '../db/errors';
import { DOMAIN_TABLES_DELETE_ORDER, emptyCounts, type TableCounts } from '../db/tables';
import { inTransaction } from '../db/transaction';
import type { Metrics } from '../observability/metrics';
import type { ModelIndex } from '../schema/schema-model';
import type { SchemaRegistry } from '../schema/schema-registry';
import { removeLedgerRows } from './ledger-removal';
import { ledgerPassOf } from './tag-removal';
import { deleteTagRowsBatch } from './tag.repository';
import { DEFAULT_VACUUM_AFTER_DELETED_ROWS, vacuumAfterLargeDeletes } from './vacuum-after-delete';

/** Rows per table and statement: far below what STATEMENT_TIMEOUT_MS allows on a slow machine (~10k rows take 0.1-0.3 s). */
export const DEFAULT_DELETE_BATCH_ROWS = 10_000;

export interface BatchedDeleteDeps {
  pool: Pool;
  metrics: Pick<Metrics, 'rowsDeleted'>;
  vacuumAfterDeletedRows?: number;
  /** The modelled tables: rows of those without test_tag are found through the row ledger. */
  schema?: SchemaRegistry;
}

export interface BatchedDeletion {
  /** The shop tables' rows deleted. */
  counts: TableCounts;
  /** Every row deleted per table label: the ledger tables', and the shop tables' (zeros included) unless in target mode. */
  rows: Record<string, number>;
  /** Ledger rows that were no longer the tag's (see ledger-removal.ts), per table label. */
  missing: Record<string, number>;
  complete: boolean;
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
export async function deleteTagInBatches(deps: BatchedDeleteDeps, tag: string, options: BatchedDeleteOptions): Promise<BatchedDeletion> {
  const counts = emptyCounts();
  const rows: Record<string, number> = {};
  const missing: Record<string, number> = {};
  const batch = new BatchSize(options.batchRows);
  const ledger = await ledgerPassOf(deps.schema, 'refuse');
  if (ledger) {
    for (const table of await ledgerTablesChildrenFirst(deps, ledger.index, tag)) {
      for (;;) {
        const step = await batch.run((limit) =>
          inTransaction(deps.pool, async (client) => {
            if (!(await options.stillWanted(client))) return undefined;
            return { limit, ...(await removeLedgerRows(client, ledger.index, [tag], 'refuse', { table, limit })) };
          }),
        );
        if (step === undefined) return { counts, rows, missing, complete: false };
        add(rows, step.counts);
        add(missing, step.missing);
        if (sum(step.counts) + sum(step.missing) < step.limit) break;
      }
    }
    // A target schema has no shop tables to look in.
    if (ledger.targetMode) return { counts, rows, missing, complete: true };
  }
  for (const table of DOMAIN_TABLES_DELETE_ORDER) {
    for (;;) {
      const done = await batch.run((limit) =>
        inTransaction(deps.pool, async (client) => {
          if (!(await options.stillWanted(client))) return undefined;
          return { limit, deleted: await deleteTagRowsBatch(client, table, tag, limit) };
        }),
      );
      if (done === undefined) return { counts, rows: { ...rows, ...counts }, missing, complete: false };
      const { deleted, limit } = done;
      counts[table] += deleted;
      const step = emptyCounts();
      step[table] = deleted;
      deps.metrics.rowsDeleted(step);
      vacuumAfterLargeDeletes(deps.pool, step, deps.vacuumAfterDeletedRows ?? DEFAULT_VACUUM_AFTER_DELETED_ROWS);
      if (deleted < limit) break;
    }
  }
  return { counts, rows: { ...rows, ...counts }, missing, complete: true };
}

/**
 * The rows per batch, halved whenever a batch overruns STATEMENT_TIMEOUT_MS
 * (its transaction rolled back, so running it again smaller is safe) and
 * kept small for the rest of the deletion. DELETE_BATCH_ROWS is sized for a
 * database with time to spare; a busy or slow one took longer than the bound
 * for the same batch, and the whole DELETE answered 503.
 */
class BatchSize {
  constructor(private rows: number) {}

  async run<T>(batch: (limit: number) => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await batch(this.rows);
      } catch (error) {
        if (!isQueryCanceled(error) || this.rows <= 1) throw error;
        this.rows = Math.max(1, Math.floor(this.rows / 2));
      }
    }
  }
}

function add(into: Record<string, number>, more: Record<string, number>): void {
  for (const [table, n] of Object.entries(more)) into[table] = (into[table] ?? 0) + n;
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, n) => total + n, 0);
}

/**
 * The tag's ledger tables, a table before every table it references (within
 * the tag), so that each committed batch leaves no row of the tag pointing at
 * a row already gone. Within a table, batches take the highest keys first:
 * rows made later, which are the ones that reference earlier rows.
 */
async function ledgerTablesChildrenFirst(deps: BatchedDeleteDeps, index: ModelIndex, tag: string): Promise<string[]> {
  const result = await deps.pool.query<{ table_name: string }>('SELECT DISTINCT table_name FROM testapi_row_ledger WHERE tag = $1 ORDER BY 1', [tag]);
  const keys = result.rows.map((row) => row.table_name);
  const inTag = new Set(keys);
  const ordered: string[] = [];
  const seen = new Set<string>();
  const place = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const { table } of index.referencing(key)) if (table.key !== key && inTag.has(table.key)) place(table.key);
    ordered.push(key);
  };
  for (const key of keys) place(key);
  return ordered;
}
