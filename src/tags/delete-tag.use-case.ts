import type { TableCounts } from '../db/tables';
import { removeTags, type RemovalDeps } from './tag-removal';
import { lockTag } from './tag.repository';

export type DeleteTagDeps = RemovalDeps;

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
export async function deleteTag(deps: DeleteTagDeps, tag: string): Promise<DeleteTagResult> {
  const removal = await removeTags(deps, {
    referenced: 'refuse',
    async lock(client) {
      await lockTag(client, tag);
      return [tag];
    },
  });
  return { tag, deleted: removal.counts, total: removal.total };
}
