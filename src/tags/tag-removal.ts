import type { Pool, PoolClient } from 'pg';
import { sqlState } from '../db/errors';
import { addCounts, DOMAIN_TABLES_DELETE_ORDER, emptyCounts, totalOf, type TableCounts } from '../db/tables';
import { inOneStatement, inTransaction, type Queryable } from '../db/transaction';
import { AppError } from '../errors';
import type { Metrics } from '../observability/metrics';
import type { SchemaRegistry } from '../schema/schema-registry';
import { DependentRowsError, removeLedgerRows, type DependentsPolicy } from './ledger-removal';
import { removeOneTag } from './single-tag-removal';
import { DEFAULT_VACUUM_AFTER_DELETED_ROWS, vacuumAfterLargeDeletes } from './vacuum-after-delete';
import { countRowsOfTags, crossTagReferencesOf, deleteTagsWithRows, findCrossTagReference, type TagReference } from './tag.repository';

export interface RemovalDeps {
  pool: Pool;
  metrics: Pick<Metrics, 'rowsDeleted'>;
  /** The modelled tables: rows of those without test_tag are removed through the row ledger. */
  schema?: SchemaRegistry;
  /** Rows per statement when a tag is too large for one (DELETE_BATCH_ROWS); see batched-delete.ts. */
  deleteBatchRows?: number;
  /** Rows a table may lose before it is vacuumed in the background (VACUUM_AFTER_DELETED_ROWS); see vacuum-after-delete.ts. */
  vacuumAfterDeletedRows?: number;
}

export interface Removal {
  /** The tags removed, with every row they owned. */
  tags: string[];
  counts: TableCounts;
  /**
   * Every deleted row of the tags per table: the test_tag tables' counts
   * (the shop) plus the ledger's; with a target schema only the ledger's.
   */
  rows: Record<string, number>;
  /** Rows outside the tags deleted because they referenced them (dependents: 'delete'). */
  dependents: Record<string, number>;
  /** Ledger rows the tags created that are no longer theirs to delete (gone, re-keyed or replaced): left in place. */
  missing: Record<string, number>;
  total: number;
  /** Locked tags left in place because rows outside them reference theirs (only with `referenced: 'keep'`), each with every reference found. */
  kept: KeptTag[];
  /** What each tag took with it, when the plan asked for `eachTag` (POST /cleanup): in the order they went. */
  byTag?: RemovedTag[];
}

/** A tag the removal left in place, and why: every foreign key whose rows outside the tag reference its rows. */
export interface KeptTag {
  tag: string;
  references: TagReference[];
}

export interface RemovedTag {
  tag: string;
  deleted: Record<string, number>;
  dependents: Record<string, number>;
  total: number;
}

export interface RemovalPlan {
  /** Runs first inside the removal's transaction: locks the tags to remove and returns them. */
  lock(client: PoolClient): Promise<readonly string[]>;
  /**
   * What a row of another tag referencing a locked tag's rows does:
   * `refuse` rolls everything back and throws a 409 naming the reference (a
   * caller asked for exactly these tags); `keep` removes every tag it can and
   * reports the referenced ones in `kept` (the sweeper, which nobody asked).
   */
  referenced: 'refuse' | 'keep';
  /**
   * With `keep`: remove the tags one by one (each behind a savepoint, in
   * passes, since removing one can free another) and report each in
   * `byTag`, instead of all at once first.
   */
  eachTag?: boolean;
  /** Rows outside the tags that reference ledger rows: 'refuse' (409, the default) or 'delete' them too. */
  dependents?: DependentsPolicy;
  /**
   * Set when the plan is exactly this one tag, locked as lockTag does: on the
   * shop tables it then goes in one statement (see single-tag-removal.ts).
   */
  only?: string;
}

/** How this removal treats ledger rows; undefined when no modelled table needs the ledger. */
export interface LedgerPass {
  index: Awaited<ReturnType<SchemaRegistry['current']>>;
  targetMode: boolean;
  dependents: DependentsPolicy;
}

export async function ledgerPassOf(schema: SchemaRegistry | undefined, dependents: DependentsPolicy): Promise<LedgerPass | undefined> {
  if (!schema) return undefined;
  const index = await schema.current();
  // The shop's tables all carry test_tag: no ledger round trip on its hot path.
  if (!schema.targetMode && index.model.tables.every((table) => table.hasTestTag || !table.provisionable)) return undefined;
  return { index, targetMode: schema.targetMode, dependents };
}

/**
 * The one removal flow, behind DELETE /tags/{tag}, POST /cleanup and the
 * sweeper: in one transaction, lock the tags, delete everything they own and
 * unregister them, verify nothing of theirs is left, then count the deleted
 * rows in the metrics.
 */
export async function removeTags(deps: RemovalDeps, plan: RemovalPlan): Promise<Removal> {
  let locked: readonly string[] = [];
  let removal: Removal;
  const ledger = await ledgerPassOf(deps.schema, plan.dependents ?? 'refuse');
  try {
    if (plan.only !== undefined && !ledger) {
      const tag = plan.only;
      locked = [tag];
      removal = await inOneStatement(deps.pool, (client) => removeOnly(client, tag));
    } else {
      removal = await inTransaction(deps.pool, async (client) => {
        locked = await plan.lock(client);
        if (plan.referenced === 'keep') return removeKeepingReferenced(client, locked, ledger, plan.eachTag === true);
        return { ...(await removeLockedTags(client, locked, ledger)), kept: [] };
      });
    }
  } catch (error) {
    // Diagnosed after the rollback, on the pool: the transaction is gone.
    if (isForeignKeyViolation(error)) throw await referenceConflict(deps.pool, locked, error);
    throw error;
  }
  deps.metrics.rowsDeleted(removal.counts);
  vacuumAfterLargeDeletes(deps.pool, removal.counts, deps.vacuumAfterDeletedRows ?? DEFAULT_VACUUM_AFTER_DELETED_ROWS);
  return removal;
}

export type Deleted = Omit<Removal, 'kept'>;

/**
 * The small-tag fast path: lock, delete and leftover probe in one statement,
 * its own transaction (inOneStatement), so the commonest DELETE pays one
 * round trip, not BEGIN, statement and COMMIT. Its waits are the connection's
 * lock_timeout and statement_timeout.
 */
async function removeOnly(db: Queryable, tag: string): Promise<Removal> {
  const outcome = await removeOneTag(db, tag);
  if ('remaining' in outcome) throw cleanupIncomplete([[tag, outcome.remaining]]);
  const { counts } = outcome;
  return { tags: [tag], counts, rows: { ...counts }, dependents: {}, missing: {}, total: totalOf(counts), kept: [] };
}

/**
 * Deletes everything the (already locked) tags own, unregisters them, then
 * checks inside the same transaction that no row of theirs is left. A leftover
 * means someone wrote under the tag without going through its lock: the
 * transaction rolls back and the failure is reported, never ignored.
 */
export async function removeLockedTags(client: PoolClient, tags: readonly string[], ledger?: LedgerPass): Promise<Deleted> {
  if (tags.length === 0) return nothingDeleted(ledger);
  // Ledger rows first: they may reference nothing of the shop's, but their dependents are refused before anything goes.
  const fromLedger = ledger ? await removeLedgerRows(client, ledger.index, tags, ledger.dependents) : { counts: {}, dependents: {}, missing: {} };
  const shopTables = !ledger?.targetMode;
  const counts = await deleteTagsWithRows(client, tags, shopTables);
  if (shopTables) {
    const remaining = [...(await countRowsOfTags(client, tags))].filter(([, left]) => totalOf(left) > 0);
    if (remaining.length > 0) throw cleanupIncomplete(remaining);
  }
  const rows: Record<string, number> = { ...(shopTables ? counts : {}), ...fromLedger.counts };
  return { tags: [...tags], counts, rows, dependents: fromLedger.dependents, missing: fromLedger.missing, total: sumOf(rows) + sumOf(fromLedger.dependents) };
}

/** The shop's answers always list its nine tables, zeros included; a target schema's list only what went. */
function nothingDeleted(ledger?: LedgerPass): Deleted {
  return { tags: [], counts: emptyCounts(), rows: ledger?.targetMode ? {} : emptyCounts(), dependents: {}, missing: {}, total: 0 };
}

function sumOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

function addRows(into: Record<string, number>, more: Record<string, number>): void {
  for (const [table, n] of Object.entries(more)) into[table] = (into[table] ?? 0) + n;
}

/**
 * All at once when possible (unless `eachTag`); if rows outside the tags
 * reference one of them, tag by tag behind savepoints, in passes (removing
 * one tag can free another), keeping the referenced ones with every
 * reference found.
 */
async function removeKeepingReferenced(client: PoolClient, tags: readonly string[], ledger: LedgerPass | undefined, eachTag: boolean): Promise<Removal> {
  // The sweeper's usual turn finds nothing: no savepoint round trips for it.
  if (tags.length === 0) return { ...nothingDeleted(ledger), kept: [], ...(eachTag ? { byTag: [] } : {}) };
  if (!eachTag) {
    const all = await attempt(client, tags, ledger);
    if (all.deleted) return { ...all.deleted, kept: [] };
  }

  const removed: Deleted = nothingDeleted(ledger);
  const byTag: RemovedTag[] = [];
  const refusals = new Map<string, unknown>();
  let pending = tags;
  let progress = true;
  while (pending.length > 0 && progress) {
    progress = false;
    const stillPending: string[] = [];
    for (const tag of pending) {
      const one = await attempt(client, [tag], ledger);
      if (!one.deleted) {
        refusals.set(tag, one.refusal);
        stillPending.push(tag);
        continue;
      }
      removed.tags.push(tag);
      addCounts(removed.counts, one.deleted.counts);
      addRows(removed.rows, one.deleted.rows);
      addRows(removed.dependents, one.deleted.dependents);
      addRows(removed.missing, one.deleted.missing);
      removed.total += one.deleted.total;
      byTag.push({ tag, deleted: one.deleted.rows, dependents: one.deleted.dependents, total: one.deleted.total });
      progress = true;
    }
    pending = stillPending;
  }
  const kept: KeptTag[] = [];
  for (const tag of pending) kept.push({ tag, references: await referencesKeeping(client, tag, refusals.get(tag), ledger) });
  return { ...removed, kept, ...(eachTag ? { byTag } : {}) };
}

/**
 * Why `tag` could not go: the shop's cross-tag references, counted, and the
 * ledger's dependents as the refusal named them. Read after the savepoint's
 * rollback, inside the same transaction, so it sees what stopped it.
 */
async function referencesKeeping(client: PoolClient, tag: string, refusal: unknown, ledger: LedgerPass | undefined): Promise<TagReference[]> {
  const references = ledger?.targetMode ? [] : await crossTagReferencesOf(client, tag);
  if (refusal instanceof DependentRowsError) references.push(...referencesOfRefusal(refusal));
  return references;
}

/** The references a dependents refusal names: its `references` list when it has one, else its one table and constraint. */
function referencesOfRefusal(refusal: DependentRowsError): TagReference[] {
  const extensions = refusal.extensions ?? {};
  const listed = Array.isArray(extensions.references) ? (extensions.references as Array<Record<string, unknown>>) : [extensions];
  return listed.map((reference) => ({
    table: String(reference.table),
    constraint: String(reference.constraint),
    referencedTable: String(reference.referencedTable),
    rows: Number(reference.rows),
    referencingTag: typeof reference.referencingTag === 'string' ? reference.referencingTag : null,
  }));
}

/** removeLockedTags behind a savepoint; no `deleted` when a foreign key or a dependents refusal stopped it (`refusal` says which). */
async function attempt(client: PoolClient, tags: readonly string[], ledger?: LedgerPass): Promise<{ deleted?: Deleted; refusal?: unknown }> {
  await client.query('SAVEPOINT remove_tags');
  try {
    const deleted = await removeLockedTags(client, tags, ledger);
    await client.query('RELEASE SAVEPOINT remove_tags');
    return { deleted };
  } catch (error) {
    if (!isForeignKeyViolation(error) && !(error instanceof DependentRowsError)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT remove_tags');
    return { refusal: error };
  }
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

function isForeignKeyViolation(error: unknown): boolean {
  return sqlState(error) === '23503';
}

/** Turns a 23503 raised while deleting `tags` into a 409 problem naming the referencing table and tag. */
export async function referenceConflict(db: Queryable, tags: readonly string[], error: unknown): Promise<AppError> {
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
