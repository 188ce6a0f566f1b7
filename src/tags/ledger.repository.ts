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

/** Up to `limit` primary keys per table of one tag, in key order: a single key as its text, a composite one as a JSON array. */
export async function ledgerIdsOfTag(db: Queryable, tag: string, limit: number): Promise<Map<string, string[]>> {
  const result = await db.query<{ table_name: string; pk: string[] }>(
    `SELECT table_name, pk FROM (
       SELECT table_name, pk, row_number() OVER (PARTITION BY table_name ORDER BY pk) AS position FROM testapi_row_ledger WHERE tag = $1
     ) ranked WHERE position <= $2 ORDER BY table_name, pk`,
    [tag, limit],
  );
  const ids = new Map<string, string[]>();
  for (const row of result.rows) ids.set(row.table_name, [...(ids.get(row.table_name) ?? []), row.pk.length === 1 ? row.pk[0]! : JSON.stringify(row.pk)]);
  return ids;
}
