import { escapeIdentifier } from 'pg';
import type { ColumnModel, TableModel } from '../schema/schema-model';

/**
 * The one format of a created row in POST /graphs' `records`, whichever path
 * wrote it: PostgreSQL formats each column in the statement that returns it,
 * so the small path (rows as JSON) and the node-by-node path (rows parsed by
 * pg) hand back the same values. Exact where JSON numbers are not: int8,
 * numeric and money as PostgreSQL's text; timestamptz as ISO-8601 in UTC with
 * `Z` and microseconds, timestamp as ISO-8601 without a zone, date as
 * YYYY-MM-DD; bytea as `\x` hex; int2, int4, floats, booleans and json as
 * JSON values, except a float's NaN, Infinity and -Infinity, which JSON has
 * no number for: those as PostgreSQL's text ("NaN", "Infinity", "-Infinity"),
 * as numeric's are; everything else (uuid, enums, text, intervals...) as text.
 * Arrays keep their elements' JSON values where those are exact, else text.
 */

/** Types pg and PostgreSQL's JSON give the same exact JSON value for. */
const AS_IS = new Set(['int2', 'int4', 'bool', 'json', 'jsonb']);

/**
 * Floats (and float arrays) go through to_json on both paths. Left as they
 * are, pg parses a stored NaN or ±Infinity into the JS number, which the
 * answer's JSON.stringify turns into null: a NaN answered as if it were NULL,
 * while the one-statement path's to_json spelled it "NaN". JSON has no number
 * for them, so they come back as text, as this format does for every value a
 * JSON number cannot hold (int8, numeric's NaN, ±infinity timestamps), and in
 * PostgreSQL's spelling ("NaN", "Infinity", "-Infinity"): distinct from NULL,
 * and the literal PostgreSQL reads back. Finite values stay JSON numbers, the
 * shortest digits that round-trip, which JSON.parse reads into the same
 * double pg's own float parser would.
 */
const FLOAT = new Set(['float4', 'float8']);

function scalarExpression(column: ColumnModel, name: string): string {
  // coalesce: to_char gives NULL for ±infinity, which stays PostgreSQL's 'infinity'.
  if (column.baseType === 'timestamptz') return `coalesce(to_char(${name} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ${name}::text)`;
  if (column.baseType === 'timestamp') return `coalesce(to_char(${name}, 'YYYY-MM-DD"T"HH24:MI:SS.US'), ${name}::text)`;
  if (column.baseType === 'date') return `coalesce(to_char(${name}, 'YYYY-MM-DD'), ${name}::text)`;
  if (column.baseType === 'bytea') return `'\\x' || encode(${name}, 'hex')`;
  return `${name}::text`;
}

function columnExpression(column: ColumnModel): string {
  const name = escapeIdentifier(column.name);
  if (AS_IS.has(column.baseType)) return name;
  if (FLOAT.has(column.baseType)) return `to_json(${name})`;
  // Elements of other arrays as PostgreSQL prints them: pg parses text[] into an array, as JSON does.
  if (column.isArray) return `${name}::text[]`;
  return scalarExpression(column, name);
}

const selectLists = new WeakMap<TableModel, string>();

/**
 * The select list that returns a row of `table` in the records' format, every
 * column under its own name in table order. Built once per table of a model.
 */
export function recordSelectList(table: TableModel): string {
  let list = selectLists.get(table);
  if (list === undefined) {
    list = table.columns.map((column) => `${columnExpression(column)} AS ${escapeIdentifier(column.name)}`).join(', ');
    selectLists.set(table, list);
  }
  return list;
}
