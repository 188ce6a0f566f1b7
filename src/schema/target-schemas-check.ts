import type { Pool } from 'pg';

/**
 * The TESTAPI_TARGET_SCHEMAS entries that name no schema of the database, or
 * a schema without a single table: a misspelt name would otherwise start a
 * service that knows no table, and the first request would say `unknown
 * table` instead of naming the setting.
 */
export interface UnusableTargetSchema {
  schema: string;
  problem: 'missing' | 'no tables';
}

export async function unusableTargetSchemas(pool: Pool, schemas: readonly string[]): Promise<UnusableTargetSchema[]> {
  if (schemas.length === 0) return [];
  const found = await pool.query<{ schema: string; exists: boolean; tables: number }>(
    `SELECT wanted.schema,
            n.oid IS NOT NULL AS exists,
            (SELECT count(*)::int FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p')) AS tables
       FROM unnest($1::text[]) AS wanted(schema)
       LEFT JOIN pg_namespace n ON n.nspname = wanted.schema`,
    [schemas],
  );
  return found.rows.flatMap((row): UnusableTargetSchema[] => {
    if (!row.exists) return [{ schema: row.schema, problem: 'missing' }];
    return row.tables === 0 ? [{ schema: row.schema, problem: 'no tables' }] : [];
  });
}

/** The one start-up line for them: what is wrong with each, and which schemas do hold tables. */
export async function unusableTargetSchemasLine(pool: Pool, schemas: readonly string[]): Promise<string | undefined> {
  const unusable = await unusableTargetSchemas(pool, schemas);
  if (unusable.length === 0) return undefined;
  const withTables = await pool.query<{ schema: string }>(
    `SELECT DISTINCT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      ORDER BY 1 LIMIT 20`,
  );
  const what = unusable.map(({ schema, problem }) => `"${schema}" (${problem === 'missing' ? 'no such schema' : 'a schema without tables'})`).join(', ');
  const candidates = withTables.rows.map((row) => row.schema);
  return `TESTAPI_TARGET_SCHEMAS names ${what}; schemas with tables in this database: ${candidates.length > 0 ? candidates.join(', ') : 'none'}`;
}
