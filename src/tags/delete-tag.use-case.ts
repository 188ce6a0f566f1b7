import type { DependentsPolicy } from './ledger-removal';
import { removeTags, type RemovalDeps } from './tag-removal';
import { lockTag } from './tag.repository';

export type DeleteTagDeps = RemovalDeps;

export interface DeleteTagResult {
  tag: string;
  /** Rows per table: the shop's tables by test_tag, other tables through the row ledger. */
  deleted: Record<string, number>;
  /** Present when dependents=delete was asked: rows outside the tag deleted because they referenced it. */
  dependents?: Record<string, number>;
  total: number;
}

/**
 * Deletes every row carrying `tag`, registered or not, in one transaction
 * serialized with provisioning on the tag's registry row. An unknown or
 * already deleted tag yields total 0. A row of another tag referencing the
 * tag's rows makes it a 409 with nothing deleted.
 */
export async function deleteTag(deps: DeleteTagDeps, tag: string, options: { dependents?: DependentsPolicy } = {}): Promise<DeleteTagResult> {
  const removal = await removeTags(deps, {
    referenced: 'refuse',
    dependents: options.dependents,
    only: tag,
    async lock(client) {
      await lockTag(client, tag);
      return [tag];
    },
  });
  return { tag, deleted: removal.rows, ...(options.dependents === 'delete' ? { dependents: removal.dependents } : {}), total: removal.total };
}
