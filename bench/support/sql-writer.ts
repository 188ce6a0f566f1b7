import type { PoolClient, QueryConfig } from 'pg';
import { DOMAIN_TABLES_DELETE_ORDER, DOMAIN_TABLES_INSERT_ORDER, emptyCounts, type DomainTable, type TableCounts } from '../../src/db/tables';
import type { GraphRows } from './graph';
import { assignIds, COLUMNS, rowValues, type SqlValue } from './graph-columns';

const statementTexts = new Map<string, string>();

/** One multi-row INSERT per table, as a named statement: PostgreSQL plans it once per connection. */
function insertStatement(table: DomainTable, rows: number): { name: string; text: string } {
  const name = `bench_insert_${table}_${rows}`;
  let text = statementTexts.get(name);
  if (!text) {
    const width = COLUMNS[table].length;
    const tuples = Array.from({ length: rows }, (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`);
    text = `INSERT INTO ${table} (${COLUMNS[table].join(', ')}) VALUES ${tuples.join(', ')}`;
    statementTexts.set(name, text);
  }
  return { name, text };
}

/** The statements a hand-tuned raw pg transaction runs for `graph`: tag row, then one INSERT per table. */
export function graphInserts(tag: string, graph: GraphRows): QueryConfig<SqlValue[]>[] {
  const ids = assignIds(graph);
  const statements: QueryConfig<SqlValue[]>[] = [
    { name: 'bench_insert_tag', text: `INSERT INTO test_tags (tag, expires_at) VALUES ($1, now() + interval '1 day')`, values: [tag] },
  ];
  for (const table of DOMAIN_TABLES_INSERT_ORDER) {
    const count = graph[table].length;
    if (count === 0) continue;
    const values: SqlValue[] = [];
    for (let i = 0; i < count; i += 1) values.push(...rowValues(table, graph, ids, tag, i));
    statements.push({ ...insertStatement(table, count), values });
  }
  return statements;
}

export async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Raw cleanup: children first, then the tag row, in one transaction. `tables`
 * narrows it to the tables known to hold the tag's rows, as a hand-written
 * cleanup of a known small graph would.
 */
export async function rawDeleteTag(client: PoolClient, tag: string, tables: readonly DomainTable[] = DOMAIN_TABLES_DELETE_ORDER): Promise<TableCounts> {
  return inTransaction(client, async () => {
    const deleted = emptyCounts();
    for (const table of DOMAIN_TABLES_DELETE_ORDER) {
      if (!tables.includes(table)) continue;
      const result = await client.query(`DELETE FROM ${table} WHERE test_tag = $1`, [tag]);
      deleted[table] = result.rowCount ?? 0;
    }
    await client.query('DELETE FROM test_tags WHERE tag = $1', [tag]);
    return deleted;
  });
}
