import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { DOMAIN_TABLES_DELETE_ORDER, type TableCounts } from '../../src/db/tables';

let pool: Pool | undefined;

/** The run's database URL, set by the global setup. */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through jest (global setup starts PostgreSQL)');
  return url;
}

/**
 * A pg pool for a test's own reads of PostgreSQL. An idle connection that the
 * server ends (57P01, e.g. while a cluster stops) must not crash the Jest
 * worker with an unhandled 'error' event: the pool drops it and the next
 * query reconnects, or fails loudly if the database is really gone.
 */
export function assertionPool(url: string, max = 2): Pool {
  const created = new Pool({ connectionString: url, max });
  created.on('error', () => undefined);
  return created;
}

/** A direct pg pool for assertions on the rows really in PostgreSQL. */
export function testPool(): Pool {
  pool ??= assertionPool(databaseUrl(), 3);
  return pool;
}

export async function closeTestPool(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.end();
}

/** A tag no other test uses: `<prefix>-<12 random hex>`. */
export function uniqueTag(prefix = 't'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Rows per domain table carrying `tag`, read from PostgreSQL. */
export async function countRowsByTag(tag: string, db: Pool = testPool()): Promise<TableCounts> {
  const selects = DOMAIN_TABLES_DELETE_ORDER.map((table) => `SELECT '${table}' AS table_name, count(*)::int AS n FROM ${table} WHERE test_tag = $1`);
  const result = await db.query<{ table_name: keyof TableCounts; n: number }>(selects.join(' UNION ALL '), [tag]);
  return Object.fromEntries(result.rows.map((row) => [row.table_name, row.n])) as TableCounts;
}

/** The service's own sum, re-exported so tests import their helpers from one place. */
export { totalOf } from '../../src/db/tables';
