import type { DependentsPolicy } from './ledger-removal';
import type { Logger } from '../logger';
import { removeTags, type KeptTag, type RemovalDeps } from './tag-removal';
import { lockTagsMatching, type TagSelection } from './tag.repository';

export interface CleanupDeps extends RemovalDeps {
  logger: Pick<Logger, 'info' | 'warn'>;
}

/** One removed tag of a cleanup, with what it took. */
export interface CleanupRemovedTag {
  tag: string;
  deleted: Record<string, number>;
  /** Present when dependents: "delete" was asked. */
  dependents?: Record<string, number>;
  total: number;
}

export interface CleanupResult {
  /** The tags removed. */
  tags: string[];
  /** Rows deleted per table, all removed tags together. */
  deleted: Record<string, number>;
  /** Present when dependents: "delete" was asked. */
  dependents?: Record<string, number>;
  total: number;
  /** Each removed tag and what it took, in the order they went. */
  removed: CleanupRemovedTag[];
  /** Each selected tag left in place, with every reference that keeps it. */
  kept: KeptTag[];
}

/**
 * Removes the registered tags matching `selection` and every row they own,
 * in one transaction, each tag behind a savepoint: a tag whose rows are
 * referenced by rows outside the selection (another tag's, or, without
 * dependents: "delete", the application's own) stays, named in `kept` with
 * every reference that keeps it, and never stops the others. Rows of
 * unregistered tags and untagged rows are never selected.
 */
export async function cleanup(deps: CleanupDeps, selection: TagSelection, options: { dependents?: DependentsPolicy } = {}): Promise<CleanupResult> {
  const withDependents = options.dependents === 'delete';
  const removal = await removeTags(deps, {
    referenced: 'keep',
    eachTag: true,
    dependents: options.dependents,
    lock: (client) => lockTagsMatching(client, selection),
  });
  if (removal.tags.length > 0) {
    deps.logger.info({ selection, tags: removal.tags.length, deleted: removal.rows, total: removal.total }, 'cleanup removed tags');
  }
  for (const kept of removal.kept) {
    deps.logger.warn({ selection, tag: kept.tag, references: kept.references }, `cleanup kept tag "${kept.tag}": ${describeReferences(kept)}`);
  }
  return {
    tags: removal.tags,
    deleted: removal.rows,
    ...(withDependents ? { dependents: removal.dependents } : {}),
    total: removal.total,
    removed: (removal.byTag ?? []).map((one) => ({ tag: one.tag, deleted: one.deleted, ...(withDependents ? { dependents: one.dependents } : {}), total: one.total })),
    kept: removal.kept,
  };
}

/** "3 row(s) of comments reference its articles (comments_articleId_fkey); ..." for a log line. */
export function describeReferences(kept: KeptTag): string {
  if (kept.references.length === 0) return 'a reference that went away before it could be named; the next cleanup retries it';
  return kept.references
    .map(
      (reference) =>
        `${reference.rows} row(s) of ${reference.table}${reference.referencingTag === null ? ' (no tag)' : ` (tag "${reference.referencingTag}")`} reference its ${reference.referencedTable} (${reference.constraint})`,
    )
    .join('; ');
}
