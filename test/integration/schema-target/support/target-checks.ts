import type { Pool } from 'pg';

/**
 * Proofs that testapi left a target schema as it found it: a checksum of
 * every table's rows, and a dump of the catalog (columns, constraints,
 * indexes, triggers) to compare before and after.
 */
export async function tableChecksums(pool: Pool, schema = 'public'): Promise<Record<string, string>> {
  const tables = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
    [schema],
  );
  const sums: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const result = await pool.query<{ sum: string | null; n: number }>(
      `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS sum, count(*)::int AS n FROM ${schema}."${name}" t`,
    );
    sums[name] = `${result.rows[0]!.n}:${result.rows[0]!.sum ?? 'empty'}`;
  }
  return sums;
}

export async function catalogSnapshot(pool: Pool, schema = 'public'): Promise<string[]> {
  const result = await pool.query<{ line: string }>(
    `SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') AS line
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
     UNION ALL
     SELECT 'constraint ' || c.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid)
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
     UNION ALL
     SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = $1
     UNION ALL
     SELECT 'trigger ' || c.relname || '.' || t.tgname || ' ' || pg_get_triggerdef(t.oid)
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal
     UNION ALL
     SELECT 'relation ' || c.relname || ' ' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
     ORDER BY 1`,
    [schema],
  );
  return result.rows.map((row) => row.line);
}

/** Ledger rows of a tag per table (testapi's own schema). */
export async function ledgerCounts(pool: Pool, tag: string, stateSchema = 'testapi'): Promise<Record<string, number>> {
  const result = await pool.query<{ table_name: string; n: number }>(
    `SELECT table_name, count(*)::int AS n FROM ${stateSchema}.testapi_row_ledger WHERE tag = $1 GROUP BY table_name ORDER BY table_name`,
    [tag],
  );
  return Object.fromEntries(result.rows.map((row) => [row.table_name.replace(/^public\./, ''), row.n]));
}
