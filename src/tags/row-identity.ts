import { escapeIdentifier } from 'pg';
import type { ColumnModel, TableModel } from '../schema/schema-model';

/**
 * How testapi knows, at cleanup, that a row is still the row a tag created.
 *
 * A primary key alone does not say it: the application may delete the row
 * and insert its own under the same key, or another tag may be handed the
 * same seeded key once the first row is gone. So the row ledger records, in
 * the statement that writes the row, the writing transaction (`created_xid`,
 * which equals the row's `xmin` until someone writes the row again) and a
 * hash of each value (`fingerprint`). At cleanup a row is the tag's when
 * - no later ledger entry (another tag's) holds the same key, and
 * - its `xmin` is still the creating transaction's, or, written since, at
 *   least half of its values are as created: the application updated it
 *   (a status, a timestamp), which keeps it the tag's row; a row replaced
 *   by the application's own shares (almost) nothing with the one created.
 * Anything else is reported `missing` and left where it is.
 */

/** Key types whose text form depends on DateStyle: recorded in ISO 8601 (to_jsonb's form), which every DateStyle reads back alike. */
const DATE_TYPES = new Set(['date', 'timestamp', 'timestamptz']);

/** At most this many values are hashed per row: enough to tell an update from a replacement, bounded for wide tables. */
const FINGERPRINT_COLUMNS = 32;

function columnOf(table: TableModel, name: string): ColumnModel | undefined {
  return table.columns.find((column) => column.name === name);
}

function columnRef(name: string, alias?: string): string {
  return alias ? `${alias}.${escapeIdentifier(name)}` : escapeIdentifier(name);
}

/** One key column's value as the ledger holds it: text that names the same value whatever the session's settings. */
export function keyText(column: ColumnModel | undefined, name: string, alias?: string): string {
  const value = columnRef(name, alias);
  if (column && !column.isArray && DATE_TYPES.has(column.baseType)) return `(to_jsonb(${value}) #>> '{}')`;
  return `${value}::text`;
}

/** The ledger's form of a row's primary key: a JSON array of each key column's text, in key order. */
export function ledgerKey(table: TableModel, alias?: string): string {
  return `jsonb_build_array(${table.primaryKey.map((name) => keyText(columnOf(table, name), name, alias)).join(', ')})`;
}

/** The non-key columns whose values make a row's fingerprint. */
export function fingerprintColumns(table: TableModel): string[] {
  const key = new Set(table.primaryKey);
  return table.columns
    .filter((column) => !key.has(column.name))
    .slice(0, FINGERPRINT_COLUMNS)
    .map((column) => column.name);
}

/**
 * One hash per value, name included, so that the arrays of two versions of a
 * row compare as sets (a column added or dropped since leaves the others
 * comparable). NULL hashes differently from every text.
 */
export function fingerprint(table: TableModel, alias?: string): string {
  const names = fingerprintColumns(table);
  if (names.length === 0) return `'{}'::integer[]`;
  const hashes = names.map((name) => `hashtext(${quoteText(name)} || coalesce('=' || ${columnRef(name, alias)}::text, ' null'))`);
  return `ARRAY[${hashes.join(', ')}]::integer[]`;
}

function quoteText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** What a ledger entry recorded about its row. */
export interface RecordedRow {
  /** xid8 as text; null for entries written before testapi recorded it. */
  createdXid: string | null;
  fingerprint: number[] | null;
}

/** The row under that key now. */
export interface CurrentRow {
  /** xid (32 bits) as text. */
  xmin: string;
  fingerprint: number[];
}

export type Ownership = 'ours' | 'missing';

/** Whether `current` is still the row `recorded` describes (see the module comment). */
export function ownershipOf(recorded: RecordedRow, current: CurrentRow | undefined, supersededByLaterEntry: boolean): Ownership {
  if (!current || supersededByLaterEntry) return 'missing';
  if (recorded.createdXid === null) return 'ours';
  if (BigInt(recorded.createdXid) % 2n ** 32n === BigInt(current.xmin)) return 'ours';
  const created = recorded.fingerprint ?? [];
  if (created.length === 0) return 'missing';
  const now = new Set(current.fingerprint);
  const unchanged = created.filter((hash) => now.has(hash)).length;
  return unchanged * 2 >= created.length ? 'ours' : 'missing';
}

/** The columns a ledger entry is computed from: what an INSERT feeding `ledgerInsert` must return. */
export function ledgerSourceColumns(table: TableModel): string {
  return [...new Set([...table.primaryKey, ...fingerprintColumns(table)])].map((name) => escapeIdentifier(name)).join(', ');
}

/**
 * The ledger entries of the rows `source` (a CTE over an INSERT's RETURNING)
 * holds, for the tag at $1 and the table key at `tableParam`. A key the tag
 * held before (its row since deleted and written again) gets this write's
 * transaction and values.
 */
export function ledgerInsert(table: TableModel, source: string, tableParam: string): string {
  return (
    `INSERT INTO testapi_row_ledger (tag, table_name, pk, fingerprint) SELECT $1, ${tableParam}, ${ledgerKey(table)}, ${fingerprint(table)} FROM ${source} ` +
    'ON CONFLICT (tag, table_name, pk) DO UPDATE SET created_xid = EXCLUDED.created_xid, fingerprint = EXCLUDED.fingerprint'
  );
}

/**
 * The same judgement as ownershipOf, in SQL, for statements that read a
 * tag's rows without deleting them (export): `ledger` is the tag's entry
 * for the row `row` of `table`.
 */
export function ownedCondition(table: TableModel, ledger: string, row: string): string {
  const recorded = `${ledger}.fingerprint`;
  return `(NOT EXISTS (SELECT 1 FROM testapi_row_ledger later WHERE later.table_name = ${ledger}.table_name AND later.pk = ${ledger}.pk AND later.created_xid > ${ledger}.created_xid)
    AND (${ledger}.created_xid IS NULL
      OR ${row}.xmin::text = (${ledger}.created_xid::text::numeric % 4294967296)::text
      OR (cardinality(${recorded}) > 0 AND 2 * (SELECT count(*) FROM unnest(${recorded}) f WHERE f = ANY(${fingerprint(table, row)})) >= cardinality(${recorded}))))`;
}

/** The ledger entries of the tag at $1 for the table key at $2, joined to their rows by key (ONLY-named by the caller). */
export function ledgerJoin(table: TableModel, ledger: string, row: string): string {
  const match = table.primaryKey
    .map((name, position) => `${row}.${escapeIdentifier(name)} = (${ledger}.pk->>${position})::${columnOf(table, name)!.type}`)
    .join(' AND ');
  return `JOIN testapi_row_ledger ${ledger} ON ${ledger}.tag = $1 AND ${ledger}.table_name = $2 AND ${match}`;
}
