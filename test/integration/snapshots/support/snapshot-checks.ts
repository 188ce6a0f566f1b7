import type { Pool } from 'pg';

/**
 * Reading snapshots in tests: a snapshot with its keys replaced by positions,
 * so two snapshots of equal graphs compare equal whatever keys PostgreSQL
 * handed out, and the keys themselves, to prove two tags share none.
 */
export type Row = Record<string, unknown>;

export interface SnapshotTable {
  table: string;
  columns: Array<{ name: string; type: string; nullable: boolean }>;
  primaryKey: string[];
  foreignKeys: Array<{ name: string; columns: string[]; references: string; referencedColumns: string[] }>;
  rows: number;
  data: Row[];
}

export interface Snapshot {
  format: string;
  formatVersion: number;
  tag: string;
  model: { fingerprint: string };
  tables: SnapshotTable[];
}

const keyOf = (row: Row, columns: readonly string[]): string => JSON.stringify(columns.map((name) => (row[name] === null ? null : String(row[name]))));

/**
 * Each row described by its values and, in place of each key, the
 * description of the row it points at (recursively), so keys PostgreSQL
 * handed out (serials, random uuids) drop out; re-salted unique values go
 * back through the import's map (`uniqueValues`: table.column → old → new).
 */
export function normalise(snapshot: Snapshot, uniqueValues: Record<string, Record<string, unknown>> = {}): unknown {
  const tables = new Map(snapshot.tables.map((table) => [table.table, table]));
  const byKey = new Map(snapshot.tables.map((table) => [table.table, new Map(table.data.map((row) => [keyOf(row, table.primaryKey), row]))]));
  const back = new Map<string, Map<string, string>>();
  for (const [column, map] of Object.entries(uniqueValues)) back.set(column, new Map(Object.entries(map).map(([old, fresh]) => [String(fresh), old])));
  const memo = new Map<Row, string>();
  const describe = (table: SnapshotTable, row: Row): string => {
    const known = memo.get(row);
    if (known !== undefined) return known;
    memo.set(row, '(cycle)');
    const label = table.table.split('.').pop();
    const out: Row = { ...row };
    for (const name of table.primaryKey) out[name] = '#key';
    for (const fk of table.foreignKeys) {
      const parent = byKey.get(fk.references)?.get(keyOf(row, fk.columns));
      if (parent) for (const name of fk.columns) out[name] = `->${describe(tables.get(fk.references)!, parent)}`;
    }
    for (const [name, value] of Object.entries(out)) {
      const original = back.get(`${label}.${name}`)?.get(String(value));
      if (original !== undefined) out[name] = original;
    }
    const text = JSON.stringify(out);
    memo.set(row, text);
    return text;
  };
  return snapshot.tables.map((table) => ({ table: table.table, columns: table.columns, rows: table.data.map((row) => describe(table, row)).sort() }));
}

/** Primary keys of every table of a snapshot, as text. */
export function keysOf(snapshot: Snapshot): Map<string, Set<string>> {
  return new Map(snapshot.tables.map((table) => [table.table, new Set(table.data.map((row) => keyOf(row, table.primaryKey)))]));
}

/**
 * Every foreign key of `snapshot` (read back from the new tag) that points at
 * a table of the snapshot points at a row of the snapshot itself, or at a row
 * that the original did not hold either (an existing row both reference).
 */
export function referencesOutside(snapshot: Snapshot, original: Snapshot): string[] {
  const own = keysOf(snapshot);
  const theirs = keysOf(original);
  const wrong: string[] = [];
  for (const table of snapshot.tables) {
    for (const fk of table.foreignKeys) {
      if (!own.has(fk.references)) continue;
      for (const row of table.data) {
        if (fk.columns.every((name) => row[name] === null)) continue;
        const key = keyOf(row, fk.columns);
        if (!own.get(fk.references)!.has(key) && theirs.get(fk.references)?.has(key)) wrong.push(`${table.table}.${fk.name} -> ${key}`);
      }
    }
  }
  return wrong;
}

/** Rows of the tag really in PostgreSQL per table, through the ledger joined to the tables. */
export async function ledgerRowsPresent(pool: Pool, tag: string, tables: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const key of tables) {
    const [schema, name] = key.split('.');
    const pk = await pool.query<{ attname: string }>(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
      [`${schema}.${name}`],
    );
    const expression = `jsonb_build_array(${pk.rows.map((row) => `t."${row.attname}"::text`).join(', ')})`;
    const result = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${schema}."${name}" t JOIN testapi.testapi_row_ledger l ON l.tag = $1 AND l.table_name = $2 AND l.pk = ${expression}`,
      [tag, key],
    );
    counts[name!] = result.rows[0]!.n;
  }
  return counts;
}
