import type { Pool, PoolClient } from 'pg';
import { sqlState } from '../db/errors';
import { DOMAIN_TABLES_DELETE_ORDER, emptyCounts, type TableCounts } from '../db/tables';
import { AppError } from '../errors';
import { countRowsOfTags, deleteTagsWithRows, findCrossTagReference } from './tag.repository';

export interface Removal {
  tags: string[];
  counts: TableCounts;
  perTag: Map<string, number>;
  total: number;
}

export function totalOf(counts: TableCounts): number {
  return DOMAIN_TABLES_DELETE_ORDER.reduce((sum, table) => sum + counts[table], 0);
}

/**
 * Deletes everything the (already locked) tags own, unregisters them, then
 * checks inside the same transaction that no row of theirs is left. A leftover
 * means someone wrote under the tag without going through its lock: the
 * caller's transaction rolls back and the failure is reported, never ignored.
 */
export async function removeLockedTags(client: PoolClient, tags: readonly string[]): Promise<Removal> {
  if (tags.length === 0) return { tags: [], counts: emptyCounts(), perTag: new Map(), total: 0 };
  const deleted = await deleteTagsWithRows(client, tags);
  const remaining = [...(await countRowsOfTags(client, tags))].filter(([, counts]) => totalOf(counts) > 0);
  if (remaining.length > 0) throw cleanupIncomplete(remaining);
  return { tags: [...tags], counts: deleted.counts, perTag: deleted.perTag, total: totalOf(deleted.counts) };
}

function cleanupIncomplete(remaining: Array<[string, TableCounts]>): AppError {
  const [tag, counts] = remaining[0]!;
  const where = DOMAIN_TABLES_DELETE_ORDER.filter((table) => counts[table] > 0)
    .map((table) => `${table}: ${counts[table]}`)
    .join(', ');
  return new AppError({
    type: 'cleanup-incomplete',
    title: 'Cleanup incomplete',
    status: 500,
    detail: `Rows of tag "${tag}" were still present after deleting them (${where}), so the cleanup was rolled back and nothing was deleted. Something wrote under the tag concurrently without registering it; retry the cleanup.`,
    extensions: { remaining: Object.fromEntries(remaining) },
  });
}

export function isForeignKeyViolation(error: unknown): boolean {
  return sqlState(error) === '23503';
}

/**
 * Turns a 23503 raised while deleting `tags` into a 409 problem naming the
 * referencing table and tag. Runs after the rollback, on the pool.
 */
export async function referenceConflict(db: Pool | PoolClient, tags: readonly string[], error: unknown): Promise<AppError> {
  const pgError = error as { constraint?: string; table?: string };
  const reference = await findCrossTagReference(db, tags, pgError.constraint);
  if (!reference) {
    // The referencing row went away between the failure and the diagnosis.
    return new AppError({
      type: 'tag-referenced',
      title: 'Tag still referenced',
      status: 409,
      detail: `Rows of another tag in table "${pgError.table ?? 'unknown'}" referenced rows being deleted; nothing was deleted. The reference is gone now: retry.`,
      extensions: { table: pgError.table ?? null, referencingTag: null },
    });
  }
  return new AppError({
    type: 'tag-referenced',
    title: 'Tag still referenced',
    status: 409,
    detail:
      `Rows of tag "${reference.referencingTag}" in table "${reference.table}" reference rows of tag "${reference.tag}" in table "${reference.referencedTable}", ` +
      `so nothing was deleted. Delete tag "${reference.referencingTag}" first, or remove that reference.`,
    extensions: {
      tag: reference.tag,
      table: reference.table,
      referencingTag: reference.referencingTag,
      referencedTable: reference.referencedTable,
    },
  });
}
