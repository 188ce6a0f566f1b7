import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { allocateDates, allocateIntegers, allocateTexts, isDateLike, qualifiedName } from '../graphs/key-allocator';
import { leaseRandomSources } from '../provisioning/seeded-random';
import type { ColumnModel, TableModel } from '../schema/schema-model';

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8']);

/** A column whose fresh values no row has had: one of them in a key makes every key new by itself. */
export function drawsNewValues(column: ColumnModel): boolean {
  return Boolean(column.sequence || column.identity) || column.baseType === 'uuid' || INTEGER_TYPES.has(column.baseType);
}

/**
 * `rows` new values for a key column that no foreign key fills: from the
 * column's own sequence (serial, identity), so PostgreSQL never hands them
 * out again; from the graph engine's allocators for keys without one
 * (integers above the largest, free texts, under the per-table lock); uuids
 * at random. Values come back as text, as the snapshot holds keys.
 */
export async function freshKeys(client: PoolClient, table: TableModel, column: ColumnModel, rows: number, seed: number): Promise<unknown[]> {
  if (rows === 0) return [];
  if (column.sequence || column.identity) {
    const sequence = column.sequence
      ? { text: 'SELECT nextval($1::regclass)::text AS v FROM generate_series(1, $2::int) ORDER BY 1', values: [column.sequence, rows] }
      : {
          text: 'SELECT nextval(pg_get_serial_sequence($1, $2))::text AS v FROM generate_series(1, $3::int)',
          values: [qualifiedName(table), column.name, rows],
        };
    const result = await client.query<{ v: string }>(sequence);
    // nextval hands out increasing values: sorted numerically, the new keys keep the old keys' order.
    return result.rows.map((row) => row.v).sort((a, b) => Number(a) - Number(b));
  }
  if (column.baseType === 'uuid') return Array.from({ length: rows }, () => randomUUID());
  if (INTEGER_TYPES.has(column.baseType)) return allocateIntegers(client, table, column, rows);
  if (isDateLike(column)) return allocateDates(client, table, column, rows);
  if (column.default !== null) {
    // A default PostgreSQL computes (a function of its own): ask it for the values.
    const result = await client.query<{ v: string }>(`SELECT (${column.default})::text AS v FROM generate_series(1, $1::int)`, [rows]);
    return result.rows.map((row) => row.v);
  }
  const streams = leaseRandomSources(seed);
  try {
    return await allocateTexts(client, table, column, rows, streams.random);
  } finally {
    streams.release();
  }
}
