import type { DependentsPolicy } from './ledger-removal';
import type { Logger } from '../logger';
import { removeTags, type RemovalDeps } from './tag-removal';
import { lockTagsMatching, type TagSelection } from './tag.repository';

export interface CleanupDeps extends RemovalDeps {
  logger: Pick<Logger, 'info'>;
}

export interface CleanupResult {
  tags: string[];
  deleted: Record<string, number>;
  /** Present when dependents: "delete" was asked. */
  dependents?: Record<string, number>;
  total: number;
}

/**
 * Removes the registered tags matching `selection` and every row they own,
 * all in one transaction: either every selected tag goes or (409, when a row
 * of an unselected tag references one of them) none does. Rows of unregistered
 * tags and untagged rows are never selected.
 */
export async function cleanup(deps: CleanupDeps, selection: TagSelection, options: { dependents?: DependentsPolicy } = {}): Promise<CleanupResult> {
  const removal = await removeTags(deps, { referenced: 'refuse', dependents: options.dependents, lock: (client) => lockTagsMatching(client, selection) });
  if (removal.tags.length > 0) {
    deps.logger.info({ selection, tags: removal.tags.length, deleted: removal.counts, total: removal.total }, 'cleanup removed tags');
  }
  return { tags: removal.tags, deleted: removal.rows, ...(options.dependents === 'delete' ? { dependents: removal.dependents } : {}), total: removal.total };
}
