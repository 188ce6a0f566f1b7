import type { AppDeps } from '../app';
import type { TableCounts } from '../db/tables';
import { isForeignKeyViolation, referenceConflict, removeLockedTags } from './tag-removal';
import { lockTag } from './tag.repository';
import { inTransaction } from '../db/transaction';

export interface DeleteTagResult {
  tag: string;
  deleted: TableCounts;
  total: number;
}

/**
 * Deletes every row carrying `tag`, registered or not, in one transaction
 * serialized with provisioning on the tag's registry row. An unknown or
 * already deleted tag yields total 0. A row of another tag referencing the
 * tag's rows makes it a 409 with nothing deleted.
 */
export async function deleteTag(deps: Pick<AppDeps, 'db' | 'metrics'>, tag: string): Promise<DeleteTagResult> {
  const { pool } = deps.db;
  let removal;
  try {
    removal = await inTransaction(pool, async (client) => {
      await lockTag(client, tag);
      return removeLockedTags(client, [tag]);
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw await referenceConflict(pool, [tag], error);
    throw error;
  }
  deps.metrics.rowsDeleted(removal.counts);
  return { tag, deleted: removal.counts, total: removal.total };
}
