import type { DependentsPolicy } from './ledger-removal';
import { sqlState } from '../db/errors';
import { inTransaction } from '../db/transaction';
import { DEFAULT_DELETE_BATCH_ROWS, deleteTagInBatches, type BatchedDeletion } from './batched-delete';
import { referenceConflict, removeTags, type Removal, type RemovalDeps, type RemovalPlan } from './tag-removal';
import { findCrossTagReference, lockTag } from './tag.repository';

export type DeleteTagDeps = RemovalDeps;

export interface DeleteTagResult {
  tag: string;
  /** Rows per table: the shop's tables by test_tag, other tables through the row ledger. */
  deleted: Record<string, number>;
  /** Present when dependents=delete was asked: rows outside the tag deleted because they referenced it. */
  dependents?: Record<string, number>;
  /** Present when some: rows the tag created that were no longer its own (gone, re-keyed, or replaced under their key), left in place. */
  missing?: Record<string, number>;
  total: number;
}

/**
 * Deletes every row carrying `tag`, registered or not, in one transaction
 * serialized with provisioning on the tag's registry row. An unknown or
 * already deleted tag yields total 0. A row of another tag referencing the
 * tag's rows makes it a 409 with nothing deleted.
 */
export async function deleteTag(deps: DeleteTagDeps, tag: string, options: { dependents?: DependentsPolicy } = {}): Promise<DeleteTagResult> {
  const plan: RemovalPlan = {
    referenced: 'refuse',
    dependents: options.dependents,
    only: tag,
    async lock(client) {
      await lockTag(client, tag);
      return [tag];
    },
  };
  let batched: BatchedDeletion | undefined;
  let removal: Removal;
  try {
    removal = await removeTags(deps, plan);
  } catch (error) {
    if (sqlState(error) !== STATEMENT_TIMEOUT) throw error;
    batched = await deleteInBatches(deps, tag);
    removal = await removeTags(deps, plan);
  }
  const deleted = { ...removal.rows };
  const missing = { ...removal.missing };
  for (const [table, n] of Object.entries(batched?.rows ?? {})) deleted[table] = (deleted[table] ?? 0) + n;
  for (const [table, n] of Object.entries(batched?.missing ?? {})) missing[table] = (missing[table] ?? 0) + n;
  const total = removal.total + Object.values(batched?.rows ?? {}).reduce((sum, n) => sum + n, 0);
  return {
    tag,
    deleted,
    ...(options.dependents === 'delete' ? { dependents: removal.dependents } : {}),
    ...(Object.keys(missing).length > 0 ? { missing } : {}),
    total,
  };
}

const STATEMENT_TIMEOUT = '57014';

/**
 * The tag is too large to delete within STATEMENT_TIMEOUT_MS in one
 * statement: delete its rows in committed batches first (see
 * batched-delete.ts), then the usual removal finishes and unregisters it.
 * References from other tags are checked before anything goes, so a 409
 * still means nothing was deleted (unless a reference appears while the
 * batches run: then the rows deleted so far stay deleted, the tag stays
 * registered, and the 409 names the reference).
 */
async function deleteInBatches(deps: DeleteTagDeps, tag: string): Promise<BatchedDeletion> {
  // As slow as the delete on a tag this large: without the per-statement bound, within REQUEST_TIMEOUT_MS.
  const reference = await inTransaction(deps.pool, async (client) => {
    await client.query('SET LOCAL statement_timeout = 0');
    return findCrossTagReference(client, [tag]);
  });
  if (reference) throw await referenceConflict(deps.pool, [tag], { constraint: reference.constraint, table: reference.table });
  return deleteTagInBatches(deps, tag, {
    batchRows: deps.deleteBatchRows ?? DEFAULT_DELETE_BATCH_ROWS,
    async stillWanted(client) {
      await lockTag(client, tag);
      return true;
    },
  });
}
