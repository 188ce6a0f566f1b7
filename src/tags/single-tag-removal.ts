import { sqlState } from '../db/errors';
import { emptyCounts, type DomainTable, type TableCounts } from '../db/tables';
import type { Queryable } from '../db/transaction';

/** What testapi_remove_tag raises when rows of the tag are left after its delete (see its migration). */
const ROWS_REMAIN = 'TA001';

export type OneTagOutcome = { counts: TableCounts } | { remaining: TableCounts };

/**
 * One named tag of the shop tables, lock to leftover probe in one round trip
 * (the `testapi_remove_tag` function, migration 1764700000000), where the
 * general flow takes the lock, the delete and the leftover count as three.
 * On the pool it is its own transaction; inside a caller's transaction a
 * leftover (returned as `remaining`) means the caller must roll back.
 */
export async function removeOneTag(db: Queryable, tag: string): Promise<OneTagOutcome> {
  try {
    const result = await db.query<{ table_name: DomainTable; n: number }>({
      name: 'testapi_remove_tag',
      text: 'SELECT table_name, n FROM testapi_remove_tag($1)',
      values: [tag],
    });
    const counts = emptyCounts();
    for (const row of result.rows) counts[row.table_name] += row.n;
    return { counts };
  } catch (error) {
    if (sqlState(error) !== ROWS_REMAIN) throw error;
    const remaining = emptyCounts();
    const left = JSON.parse((error as { detail?: string }).detail ?? '{}') as Partial<Record<DomainTable, number>>;
    for (const [table, n] of Object.entries(left)) remaining[table as DomainTable] = Number(n);
    return { remaining };
  }
}
