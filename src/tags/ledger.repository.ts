import type { Queryable } from '../db/transaction';

/** Reads of the row ledger for GET /tags and GET /tags/{tag} (removal has its own, in ledger-removal.ts). */

/** Ledger rows per tag and table key (`schema.table`). */
export async function countLedgerRowsOfTags(db: Queryable, tags: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const byTag = new Map<string, Record<string, number>>(tags.map((tag) => [tag, {}]));
  if (tags.length === 0) return byTag;
  const result = await db.query<{ tag: string; table_name: string; n: number }>(
    'SELECT tag, table_name, count(*)::int AS n FROM testapi_row_ledger WHERE tag = ANY($1::text[]) GROUP BY tag, table_name ORDER BY table_name',
    [tags],
  );
  for (const row of result.rows) byTag.get(row.tag)![row.table_name] = row.n;
  return byTag;
}

/** A table's primary key as the ledger holds it: each column's text, in key order. */
export type LedgerKey = string[];

/**
 * One page of a tag's keys: up to `limit` per table in key order, continuing
 * after each position given (table key, last key given), or from the start of
 * every table of the tag without positions. Each table is one range of the
 * ledger's primary key index (tag, table_name, pk) read from its position, so a
 * page costs its own size, whatever the tag's; the tag's tables are found by
 * skipping through the same index, one probe per table.
 */
export async function ledgerKeysPage(
  db: Queryable,
  tag: string,
  after: ReadonlyArray<readonly [table: string, key: LedgerKey]> | undefined,
  limit: number,
): Promise<Map<string, LedgerKey[]>> {
  const result = after
    ? await db.query<{ table_name: string; pk: LedgerKey }>(
        `SELECT p.position->>0 AS table_name, k.pk
           FROM jsonb_array_elements($2::jsonb) AS p(position)
          CROSS JOIN LATERAL (
            SELECT l.pk FROM testapi_row_ledger l
             WHERE l.tag = $1 AND l.table_name = p.position->>0 AND l.pk > p.position->1
             ORDER BY l.pk LIMIT $3
          ) k
          ORDER BY 1, k.pk`,
        [tag, JSON.stringify(after), limit],
      )
    : await db.query<{ table_name: string; pk: LedgerKey }>(
        `WITH RECURSIVE tables(table_name) AS (
           (SELECT table_name FROM testapi_row_ledger WHERE tag = $1 ORDER BY table_name LIMIT 1)
           UNION ALL
           SELECT (SELECT l.table_name FROM testapi_row_ledger l WHERE l.tag = $1 AND l.table_name > t.table_name ORDER BY l.table_name LIMIT 1)
             FROM tables t WHERE t.table_name IS NOT NULL
         )
         SELECT t.table_name, k.pk
           FROM tables t
          CROSS JOIN LATERAL (
            SELECT l.pk FROM testapi_row_ledger l WHERE l.tag = $1 AND l.table_name = t.table_name ORDER BY l.pk LIMIT $2
          ) k
          ORDER BY 1, k.pk`,
        [tag, limit],
      );
  const keys = new Map<string, LedgerKey[]>();
  for (const row of result.rows) {
    const list = keys.get(row.table_name);
    if (list) list.push(row.pk);
    else keys.set(row.table_name, [row.pk]);
  }
  return keys;
}
