import { escapeIdentifier, types as pgTypes, type PoolClient } from 'pg';
import { onlyName } from '../graphs/key-allocator';
import { ledgerJoin, ownedCondition } from '../tags/row-identity';
import type { TableModel } from '../schema/schema-model';
import { exportedColumns, type Row } from './snapshot-format';

/**
 * Reading a tag's rows of one table: by its test_tag column (the shop
 * tables) or through the row ledger (every other table), in primary-key
 * order so two exports of one tag are alike. Values come back as PostgreSQL
 * prints them (numeric, int8, dates, arrays, bytea as text), except the few
 * JSON can carry without loss: so a snapshot holds rows as stored, and
 * importing the text gives PostgreSQL the very same values.
 */
const NATIVE_TYPES = new Set([16, 21, 23, 700, 701, 114, 3802]); // bool, int2, int4, float4, float8, json, jsonb
const keepText = (value: string): string => value;
export const ROW_TYPES = {
  getTypeParser(oid: number): (value: string) => unknown {
    return NATIVE_TYPES.has(oid) ? pgTypes.getTypeParser(oid, 'text') : keepText;
  },
};

function orderBy(table: TableModel): string {
  return table.primaryKey.map((name) => `t.${escapeIdentifier(name)}`).join(', ');
}

/**
 * The tag's rows of `table` ($1 the tag, $2 the table key for the ledger):
 * by test_tag, or through the ledger's entries that still name the row the
 * tag created (row-identity.ts), never a row of a table inheriting from it.
 */
export function tagRowsFrom(table: TableModel): { from: string; where: string; params: (tag: string) => unknown[] } {
  if (table.hasTestTag) return { from: `${onlyName(table)} t`, where: 't.test_tag = $1', params: (tag) => [tag] };
  return { from: `${onlyName(table)} t ${ledgerJoin(table, 'l', 't')}`, where: ownedCondition(table, 'l', 't'), params: (tag) => [tag, table.key] };
}

export function selectTagRows(table: TableModel): string {
  const columns = exportedColumns(table)
    .map((column) => `t.${escapeIdentifier(column.name)}`)
    .join(', ');
  const { from, where } = tagRowsFrom(table);
  return `SELECT ${columns} FROM ${from} WHERE ${where} ORDER BY ${orderBy(table)}`;
}

/** Rows of the tag per table key, for the tables that hold any. */
export async function countTagRows(client: PoolClient, tables: readonly TableModel[], tag: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const ledger = await client.query<{ table_name: string; n: number }>(
    'SELECT table_name, count(*)::int AS n FROM testapi_row_ledger WHERE tag = $1 GROUP BY table_name',
    [tag],
  );
  const inLedger = new Set(ledger.rows.map((row) => row.table_name));
  for (const table of tables) {
    if (!table.hasTestTag && !inLedger.has(table.key)) continue;
    const { from, where, params } = tagRowsFrom(table);
    const result = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from} WHERE ${where}`, params(tag));
    if (result.rows[0]!.n > 0) counts.set(table.key, result.rows[0]!.n);
  }
  return counts;
}

/**
 * The tag's rows of `table` in batches of `batch` through a cursor: memory
 * holds one batch, whatever the tag's size. Runs inside the caller's
 * transaction (a cursor lives as long as it).
 */
export async function* streamTagRows(client: PoolClient, table: TableModel, tag: string, batch = 2_000): AsyncGenerator<Row[]> {
  const cursor = 'testapi_export';
  await client.query({ text: `DECLARE ${cursor} NO SCROLL CURSOR FOR ${selectTagRows(table)}`, values: tagRowsFrom(table).params(tag) });
  try {
    for (;;) {
      const result = await client.query<Row>({ text: `FETCH ${batch} FROM ${cursor}`, types: ROW_TYPES });
      if (result.rows.length === 0) return;
      yield result.rows;
      if (result.rows.length < batch) return;
    }
  } finally {
    await client.query(`CLOSE ${cursor}`);
  }
}
