import { escapeIdentifier, type PoolClient } from 'pg';
import { DOMAIN_TABLES_DELETE_ORDER, emptyCounts, type DomainTable, type TableCounts } from '../db/tables';
import type { Queryable } from '../db/transaction';

/**
 * Data access for tags: raw SQL on the pg pool, every value a bound
 * parameter. Table names only ever come from DOMAIN_TABLES_DELETE_ORDER (or
 * from the catalog, checked against it), never from a request.
 */
const DOMAIN_TABLES: ReadonlySet<string> = new Set(DOMAIN_TABLES_DELETE_ORDER);

export interface TagRow {
  tag: string;
  createdAt: Date;
  expiresAt: Date;
  labels: Record<string, string>;
}

/** A TagRow plus its created_at at full (microsecond) precision, for keyset pagination. */
export interface ListedTagRow extends TagRow {
  createdAtExact: string;
}

interface TagRecord {
  tag: string;
  created_at: Date;
  expires_at: Date;
  labels: Record<string, string> | null;
}

function toTagRow(record: TagRecord): TagRow {
  return { tag: record.tag, createdAt: record.created_at, expiresAt: record.expires_at, labels: record.labels ?? {} };
}

/**
 * Takes the tag's registry row lock for the rest of the transaction, creating
 * a placeholder row when the tag is not registered. Provisioning upserts the
 * same row as its first write, so both serialize on it even for a tag nobody
 * registered yet (a bare SELECT ... FOR UPDATE would lock nothing there and
 * let a provisioning commit slip between our DELETEs and our verification).
 * The caller deletes the row before committing, so the placeholder never shows.
 */
export async function lockTag(client: PoolClient, tag: string): Promise<void> {
  await client.query({
    // Named: prepared once per connection, so a hot teardown loop skips planning.
    name: 'testapi_lock_tag',
    text: `INSERT INTO test_tags (tag, expires_at) VALUES ($1, now())
     ON CONFLICT (tag) DO UPDATE SET expires_at = test_tags.expires_at`,
    values: [tag],
  });
}

export type TagSelection =
  | { all: true }
  | { expired?: true; olderThanSeconds?: number; prefix?: string };

/**
 * Locks (FOR UPDATE, in tag order so concurrent cleanups never deadlock) the
 * registered tags the selection matches and returns them. PostgreSQL
 * re-evaluates the WHERE clause on the newest version of a row it had to wait
 * for, so a tag extended meanwhile by provisioning is not selected.
 */
export async function lockTagsMatching(client: PoolClient, selection: TagSelection): Promise<string[]> {
  if ('all' in selection) {
    const result = await client.query<{ tag: string }>('SELECT tag FROM test_tags ORDER BY tag FOR UPDATE');
    return result.rows.map((row) => row.tag);
  }
  const { expired, olderThanSeconds, prefix } = selection;
  if (!expired && olderThanSeconds === undefined && prefix === undefined) {
    // Defence in depth: the request validation already refuses this.
    throw new Error('lockTagsMatching: refusing an empty selection (it would match every tag)');
  }
  const result = await client.query<{ tag: string }>(
    `SELECT tag FROM test_tags
     WHERE ($1::boolean IS NOT TRUE OR expires_at < now())
       AND ($2::integer IS NULL OR created_at < now() - $2::integer * interval '1 second')
       AND ($3::text IS NULL OR left(tag, length($3::text)) = $3::text)
     ORDER BY tag
     FOR UPDATE`,
    [expired ?? null, olderThanSeconds ?? null, prefix ?? null],
  );
  return result.rows.map((row) => row.tag);
}

/** Where a sweep stands in the expired tags (expires_at at full precision, then tag). */
export interface ExpiredPosition {
  expiresAt: string;
  tag: string;
}

/**
 * Locks up to `limit` expired tags after `after`, in (expires_at, tag) order,
 * skipping those another transaction holds (a request provisioning under the
 * tag, or another sweeper): the sweeper never waits on a request. Rows it had
 * to re-read are re-checked against `expires_at < now()` by PostgreSQL before
 * they are returned. `last` is where the next page starts.
 */
export async function lockExpiredTagsSkippingBusy(
  client: PoolClient,
  limit: number,
  after?: ExpiredPosition,
): Promise<{ tags: string[]; last: ExpiredPosition | undefined }> {
  const result = await client.query<{ tag: string; expires_at_exact: string }>(
    `SELECT tag, expires_at::text AS expires_at_exact FROM test_tags
     WHERE expires_at < now()
       AND ($2::timestamptz IS NULL OR (expires_at, tag) > ($2::timestamptz, $3::text))
     ORDER BY expires_at, tag
     LIMIT $1
     FOR UPDATE SKIP LOCKED`,
    [limit, after?.expiresAt ?? null, after?.tag ?? null],
  );
  const lastRow = result.rows.at(-1);
  return { tags: result.rows.map((row) => row.tag), last: lastRow && { expiresAt: lastRow.expires_at_exact, tag: lastRow.tag } };
}

/** Locks `tag` if it is (still) expired and nobody else holds it; false otherwise. */
export async function lockExpiredTag(client: PoolClient, tag: string): Promise<boolean> {
  const result = await client.query('SELECT 1 FROM test_tags WHERE tag = $1 AND expires_at < now() FOR UPDATE SKIP LOCKED', [tag]);
  return (result.rowCount ?? 0) > 0;
}

/**
 * Deletes up to `limit` rows of `tag` from one table. ctid works for every
 * table, whatever its key; the caller goes children first, so each batch
 * leaves every foreign key satisfied.
 */
export async function deleteTagRowsBatch(client: PoolClient, table: DomainTable, tag: string, limit: number): Promise<number> {
  if (!DOMAIN_TABLES.has(table)) throw new Error(`deleteTagRowsBatch: unknown table ${table}`);
  const result = await client.query(`DELETE FROM ${table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE test_tag = $1 LIMIT $2))`, [tag, limit]);
  return result.rowCount ?? 0;
}

/**
 * One statement: data-modifying CTEs delete every domain row carrying one of
 * the tags, their idempotency records and their registrations. NO ACTION
 * foreign keys are checked at the end of the statement, so deleting parents
 * and children together is fine, while a row of another tag still referencing
 * one of them makes PostgreSQL raise 23503 (the caller rolls back). One round
 * trip instead of eleven: most of a small tag's delete time was round trips.
 */
const DELETE_TAGS_SQL = [
  'WITH',
  [
    ...DOMAIN_TABLES_DELETE_ORDER.map((table) => `gone_${table} AS (DELETE FROM ${table} WHERE test_tag = ANY($1::text[]) RETURNING 1)`),
    'gone_keys AS (DELETE FROM testapi_idempotency_keys WHERE tag = ANY($1::text[]))',
    'gone_tags AS (DELETE FROM test_tags WHERE tag = ANY($1::text[]))',
  ].join(',\n'),
  DOMAIN_TABLES_DELETE_ORDER.map(
    (table) => `SELECT '${table}' AS table_name, count(*)::int AS n FROM gone_${table}`,
  ).join('\nUNION ALL\n'),
].join('\n');

/** With a target schema the shop tables do not exist: only the tags' keys and registrations go. */
const UNREGISTER_TAGS_SQL = `WITH gone_keys AS (DELETE FROM testapi_idempotency_keys WHERE tag = ANY($1::text[]))
DELETE FROM test_tags WHERE tag = ANY($1::text[])`;

/*
 * The statements below take a list of tags whose rows range from none to
 * millions, so they are sent unnamed: PostgreSQL plans an unnamed statement
 * for the tags it is given, every time. A named (prepared) one switches to a
 * generic plan after five executions on a connection once that plan's
 * estimate, made for "ten average tags" (PostgreSQL's guess for an array
 * parameter), is below the average of the custom plans before it: after five
 * cleanups of 200 tags, or a few large ones, it is, and the connection keeps
 * that plan while it stays below (the custom-plan history is never reset).
 * Measured on the embedded PostgreSQL 17 after five `{ all: true }` cleanups
 * of 1M rows, with 1M rows of another tag present: the count's generic plan
 * launched two parallel workers per call (3.9 ms against 0.12 planned for
 * the tag), and a 21-row cleanup took 5.5-8.5 ms p50 instead of 2.3-2.6. The
 * price is planning per call, ~0.3 ms for the delete and ~0.25 ms for the
 * count; the single-tag DELETE does not come here (single-tag-removal.ts).
 */

/** Deletes everything the tags own and unregisters them; the deleted rows per table. */
export async function deleteTagsWithRows(client: PoolClient, tags: readonly string[], shopTables = true): Promise<TableCounts> {
  const counts = emptyCounts();
  if (!shopTables) {
    await client.query(UNREGISTER_TAGS_SQL, [tags]);
    return counts;
  }
  const result = await client.query<{ table_name: DomainTable; n: number }>(DELETE_TAGS_SQL, [tags]);
  for (const row of result.rows) counts[row.table_name] += row.n;
  return counts;
}

/**
 * Rows per table for each of `tags` (tags without rows get all zeros). One
 * statement; each table answers from its test_tag index, so the cost follows
 * the tags' rows, not the table sizes.
 */
const COUNT_ROWS_OF_TAGS_SQL = DOMAIN_TABLES_DELETE_ORDER.map(
  (table) => `SELECT '${table}' AS table_name, test_tag, count(*)::int AS n FROM ${table} WHERE test_tag = ANY($1::text[]) GROUP BY test_tag`,
).join('\nUNION ALL\n');

export async function countRowsOfTags(db: Queryable, tags: readonly string[]): Promise<Map<string, TableCounts>> {
  const byTag = new Map<string, TableCounts>(tags.map((tag) => [tag, emptyCounts()]));
  if (tags.length === 0) return byTag;
  // Unnamed, planned for these tags: see above deleteTagsWithRows.
  const result = await db.query<{ table_name: DomainTable; test_tag: string; n: number }>(COUNT_ROWS_OF_TAGS_SQL, [tags]);
  for (const row of result.rows) {
    const counts = byTag.get(row.test_tag);
    if (counts) counts[row.table_name] = row.n;
  }
  return byTag;
}

export interface CrossTagReference {
  /** The table holding the referencing row. */
  table: DomainTable;
  /** The table of the row it references (one of `tags`' rows). */
  referencedTable: DomainTable;
  /** The tag of the referencing row. */
  referencingTag: string;
  /** The tag whose row is referenced. */
  tag: string;
  constraint: string;
}

interface ForeignKey {
  constraint: string;
  table: DomainTable;
  column: string;
  referencedTable: DomainTable;
  referencedColumn: string;
}

async function domainForeignKeys(db: Queryable): Promise<ForeignKey[]> {
  const result = await db.query<{ constraint_name: string; child: string; child_column: string; parent: string; parent_column: string }>(
    `SELECT con.conname AS constraint_name, child.relname AS child, ca.attname AS child_column,
            parent.relname AS parent, pa.attname AS parent_column
     FROM pg_constraint con
     JOIN pg_class child ON child.oid = con.conrelid
     JOIN pg_class parent ON parent.oid = con.confrelid
     JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = con.conkey[1]
     JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = con.confkey[1]
     WHERE con.contype = 'f' AND child.relnamespace = to_regnamespace(current_schema())
     ORDER BY con.conname`,
  );
  return result.rows
    .filter((row) => DOMAIN_TABLES.has(row.child) && DOMAIN_TABLES.has(row.parent))
    .map((row) => ({
      constraint: row.constraint_name,
      table: row.child as DomainTable,
      column: row.child_column,
      referencedTable: row.parent as DomainTable,
      referencedColumn: row.parent_column,
    }));
}

/**
 * Finds a row outside `tags` that references a row of `tags`: what made a
 * delete fail with 23503. Checks `likelyConstraint` (from the error) first.
 */
export async function findCrossTagReference(
  db: Queryable,
  tags: readonly string[],
  likelyConstraint?: string,
): Promise<CrossTagReference | undefined> {
  const keys = await domainForeignKeys(db);
  keys.sort((a, b) => Number(b.constraint === likelyConstraint) - Number(a.constraint === likelyConstraint));
  for (const key of keys) {
    const result = await db.query<{ referencing_tag: string; tag: string }>(
      `SELECT c.test_tag AS referencing_tag, p.test_tag AS tag
       FROM ${key.table} c JOIN ${key.referencedTable} p ON p.${escapeIdentifier(key.referencedColumn)} = c.${escapeIdentifier(key.column)}
       WHERE p.test_tag = ANY($1::text[]) AND c.test_tag <> ALL($1::text[])
       LIMIT 1`,
      [tags],
    );
    const row = result.rows[0];
    if (row) {
      return { table: key.table, referencedTable: key.referencedTable, referencingTag: row.referencing_tag, tag: row.tag, constraint: key.constraint };
    }
  }
  return undefined;
}

/** Rows outside a tag that reference its rows through one foreign key: why a removal kept the tag. */
export interface TagReference {
  /** The table holding the referencing rows. */
  table: string;
  constraint: string;
  /** The tag's table they reference. */
  referencedTable: string;
  rows: number;
  /** The referencing rows' tag (the shop's tables), or null for rows of no tag (an application's own rows). */
  referencingTag: string | null;
}

/**
 * Every shop foreign key through which rows of other tags reference `tag`'s
 * rows, one entry per key and referencing tag, with the row count. One
 * statement per key; each probe starts from the tag's rows (test_tag index)
 * and reaches the children through the foreign key's index.
 */
export async function crossTagReferencesOf(db: Queryable, tag: string): Promise<TagReference[]> {
  const references: TagReference[] = [];
  for (const key of await domainForeignKeys(db)) {
    const result = await db.query<{ referencing_tag: string; n: number }>(
      `SELECT c.test_tag AS referencing_tag, count(*)::int AS n
       FROM ${key.table} c JOIN ${key.referencedTable} p ON p.${escapeIdentifier(key.referencedColumn)} = c.${escapeIdentifier(key.column)}
       WHERE p.test_tag = $1 AND c.test_tag <> $1
       GROUP BY c.test_tag ORDER BY c.test_tag`,
      [tag],
    );
    for (const row of result.rows) {
      references.push({ table: key.table, constraint: key.constraint, referencedTable: key.referencedTable, rows: row.n, referencingTag: row.referencing_tag });
    }
  }
  return references;
}

/** A registered tag as GET /tags/{tag} shows it: with whether it is expired, and why the sweeper last kept it (while that still holds). */
export interface TagDetailRow extends TagRow {
  expired: boolean;
  kept?: { at: Date; references: TagReference[] };
}

export async function findTag(db: Queryable, tag: string): Promise<TagDetailRow | undefined> {
  const result = await db.query<TagRecord & { expired: boolean; kept_at: Date | null; kept_because: TagReference[] | null }>(
    // A reason recorded before the tag's current expiry is stale: a request extended the tag since.
    `SELECT tag, created_at, expires_at, labels, expires_at < now() AS expired,
            CASE WHEN kept_at > expires_at THEN kept_at END AS kept_at, CASE WHEN kept_at > expires_at THEN kept_because END AS kept_because
     FROM test_tags WHERE tag = $1`,
    [tag],
  );
  const record = result.rows[0];
  if (!record) return undefined;
  return { ...toTagRow(record), expired: record.expired, ...(record.kept_at ? { kept: { at: record.kept_at, references: record.kept_because ?? [] } } : {}) };
}

/**
 * Records why the sweeper kept these expired tags, for GET /tags/{tag}; a
 * tag extended meanwhile (no longer expired) is left alone.
 */
export async function recordKept(db: Queryable, kept: ReadonlyArray<{ tag: string; references: TagReference[] }>): Promise<void> {
  if (kept.length === 0) return;
  await db.query(
    `UPDATE test_tags t SET kept_at = now(), kept_because = k.value
     FROM jsonb_each($1::jsonb) k WHERE t.tag = k.key AND t.expires_at < now()`,
    [JSON.stringify(Object.fromEntries(kept.map((one) => [one.tag, one.references])))],
  );
}

export interface TagListQuery {
  limit: number;
  prefix?: string;
  /** Keyset position: strictly after this (created_at, tag), newest first. */
  after?: { createdAt: string; tag: string };
}

/** One page of registered tags, newest first (created_at desc, tag desc). */
export async function listTagRows(db: Queryable, query: TagListQuery): Promise<ListedTagRow[]> {
  const result = await db.query<TagRecord & { created_at_exact: string }>(
    `SELECT tag, created_at, expires_at, labels,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_exact
     FROM test_tags
     WHERE ($1::text IS NULL OR left(tag, length($1::text)) = $1::text)
       AND ($2::timestamptz IS NULL OR (created_at, tag) < ($2::timestamptz, $3::text))
     ORDER BY created_at DESC, tag DESC
     LIMIT $4`,
    [query.prefix ?? null, query.after?.createdAt ?? null, query.after?.tag ?? null, query.limit],
  );
  return result.rows.map((record) => ({ ...toTagRow(record), createdAtExact: record.created_at_exact }));
}

export interface IdsPageRequest {
  table: DomainTable;
  /** Ids strictly greater than this one; undefined starts at the first. */
  after?: string;
}

/**
 * Up to `pageSize + 1` ids per requested table, in id order (the extra one
 * tells the caller whether more follow). One statement for all tables.
 */
export async function idsOfTag(db: Queryable, tag: string, pages: readonly IdsPageRequest[], pageSize: number): Promise<Map<DomainTable, string[]>> {
  const ids = new Map<DomainTable, string[]>(pages.map((page) => [page.table, []]));
  if (pages.length === 0) return ids;
  const params: unknown[] = [tag, pageSize + 1];
  const selects = pages.map((page) => {
    let bound = '';
    if (page.after !== undefined) {
      params.push(page.after);
      bound = ` AND id > $${params.length}::uuid`;
    }
    return `(SELECT '${page.table}' AS table_name, id::text AS id FROM ${page.table} WHERE test_tag = $1${bound} ORDER BY id LIMIT $2)`;
  });
  const result = await db.query<{ table_name: DomainTable; id: string }>(selects.join('\nUNION ALL\n'), params);
  for (const row of result.rows) ids.get(row.table_name)?.push(row.id);
  // uuid order is byte order, which is the order of their lowercase text.
  for (const list of ids.values()) list.sort();
  return ids;
}
