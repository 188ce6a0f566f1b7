import type { AppDeps } from '../app';
import type { TableCounts } from '../db/tables';
import type { Logger } from '../logger';
import { isForeignKeyViolation, referenceConflict, removeLockedTags } from './tag-removal';
import { lockTagsMatching, type TagSelection } from './tag.repository';
import { inTransaction } from '../db/transaction';

export interface CleanupResult {
  tags: string[];
  deleted: TableCounts;
  total: number;
}

/**
 * Removes the registered tags matching `selection` and every row they own,
 * all in one transaction: either every selected tag goes or (409, when a row
 * of an unselected tag references one of them) none does. Rows of unregistered
 * tags and untagged rows are never selected.
 */
export async function cleanup(deps: Pick<AppDeps, 'db' | 'metrics'> & { logger?: Logger }, selection: TagSelection): Promise<CleanupResult> {
  const { pool } = deps.db;
  let selected: string[] = [];
  let removal;
  try {
    removal = await inTransaction(pool, async (client) => {
      selected = await lockTagsMatching(client, selection);
      return removeLockedTags(client, selected);
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw await referenceConflict(pool, selected, error);
    throw error;
  }
  deps.metrics.rowsDeleted(removal.counts);
  if (removal.tags.length > 0) {
    deps.logger?.info({ selection, tags: removal.tags.length, deleted: removal.counts, total: removal.total }, 'cleanup removed tags');
  }
  return { tags: removal.tags, deleted: removal.counts, total: removal.total };
}
