import { escapeIdentifier, type PoolClient } from 'pg';
import { AppError, validationError } from '../errors';
import { allocateIntegers, onlyName, qualifiedName } from '../graphs/key-allocator';
import { ledgerInsert, ledgerSourceColumns } from '../tags/row-identity';
import { salted, saltedEmail } from '../graphs/value-factory';
import { rowDigits, saltMisfit } from '../graphs/salt-room';
import type { ColumnModel, ForeignKeyModel, TableModel } from '../schema/schema-model';
import { drawsNewValues, freshKeys } from './fresh-keys';
import type { InsertOrder } from './insert-order';
import type { Row } from './snapshot-format';

/**
 * Writes rows taken elsewhere (a snapshot, a source database) under a tag,
 * inside the caller's transaction: every primary key fresh, every foreign
 * key rewritten through the map of old to new keys, unique values re-salted
 * (the same old value gets the same new one in every table), ledger rows
 * beside rows of tables without test_tag. A reference to a row that is
 * neither among the rows written nor in the database is a 422; rows are
 * checked before any insert of their table, and a failure rolls the whole
 * transaction back.
 */
export interface RowsToWrite {
  order: InsertOrder;
  /** Rows per table key, as read (old keys, old values). */
  rows: Map<string, Row[]>;
}

export interface WriteOptions {
  tag: string;
  keepUniqueValues: boolean;
  /** Per request: what makes re-salted values differ from every other request's. */
  salt: string;
  seed: number;
  /** Where in the request rows come from, for error messages (`snapshot`, `copy`). */
  origin: string;
  /**
   * Leave columns unique only by inference (e-mail, username, slug) as they are: a copy's keyed pseudonyms already
   * differ per original value, and stay the same in every copy so a join on e-mail still matches.
   */
  keepInferredUniques?: boolean;
}

export interface WriteResult {
  counts: Record<string, number>;
  /** `table.column` → old value → new value, for every unique value that changed. */
  uniqueValues: Record<string, Record<string, unknown>>;
  rows: number;
}

/** PostgreSQL's bind parameter limit is 65,535 per statement; stay clear of it. */
const MAX_PARAMETERS = 60_000;
const ARRAY_PATH_ROWS = 100;
const ARRAY_CHUNK_ROWS = 50_000;
const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'citext']);
const INTEGER_TYPES = new Set(['int2', 'int4', 'int8']);

/** A tuple of values as one map key: text, so 5 and "5" (int4 and int8 as exported) meet. */
export function tupleKey(values: readonly unknown[]): string {
  // A one-column key (most keys) needs no JSON: its text, told apart from NULL by a prefix no text has.
  if (values.length === 1) {
    const value = values[0];
    return value === null || value === undefined ? '\u0000' : typeof value === 'object' ? `o${JSON.stringify(value)}` : `s${String(value)}`;
  }
  return JSON.stringify(values.map((value) => (value === null || value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : String(value))));
}

const isNullTuple = (values: readonly unknown[]): boolean => values.every((value) => value === null || value === undefined);

/** Old → new tuples of the columns other tables reference, per table key and column list. */
class KeyMap {
  private readonly maps = new Map<string, Map<string, unknown[]>>();
  private slot(table: string, columns: readonly string[]): string {
    return `${table}\u0000${columns.join('\u0000')}`;
  }
  record(table: string, columns: readonly string[], old: readonly unknown[], fresh: unknown[]): void {
    const slot = this.slot(table, columns);
    let map = this.maps.get(slot);
    if (!map) this.maps.set(slot, (map = new Map()));
    map.set(tupleKey(old), fresh);
  }
  lookup(table: string, columns: readonly string[], old: readonly unknown[]): unknown[] | undefined {
    return this.maps.get(this.slot(table, columns))?.get(tupleKey(old));
  }
}

function columnOf(table: TableModel, name: string): ColumnModel {
  return table.columns.find((column) => column.name === name)!;
}

function missingReference(origin: string, table: TableModel, fk: ForeignKeyModel, values: readonly unknown[]): AppError {
  return new AppError({
    type: 'snapshot-reference-missing',
    title: 'A referenced row is missing',
    status: 422,
    detail:
      `A row of table ${table.label} references ${fk.references.split('.').pop()} (${fk.referencedColumns.join(', ')}) = (${values.map(String).join(', ')}) through ${fk.name}, ` +
      `but that row is neither in the ${origin} nor in the database. Nothing was written.`,
    extensions: { table: table.label, column: fk.columns.join(', '), constraint: fk.name },
  });
}

/** Old values of rows that point outside the written set: they must exist in the database already. */
async function assertReferencesExist(
  client: PoolClient,
  origin: string,
  table: TableModel,
  fk: ForeignKeyModel,
  parents: Map<string, TableModel>,
  tuples: Map<string, unknown[]>,
): Promise<void> {
  if (tuples.size === 0) return;
  const parent = parents.get(fk.references);
  // A table outside the modelled schemas: its foreign key check in PostgreSQL decides (a 422 naming the constraint).
  if (!parent) return;
  const columns = fk.referencedColumns.map((name) => escapeIdentifier(name)).join(', ');
  const casts = fk.referencedColumns.map((name, position) => `(x->>${position})::${columnOf(parent, name).type}`).join(', ');
  const found = await client.query<{ key: string[] }>(
    `SELECT jsonb_build_array(${fk.referencedColumns.map((name) => `${escapeIdentifier(name)}::text`).join(', ')}) AS key
       FROM ${qualifiedName(parent)} WHERE (${columns}) IN (SELECT ${casts} FROM jsonb_array_elements($1::jsonb) x)`,
    [JSON.stringify([...tuples.values()].map((values) => values.map((value) => (value === null ? null : String(value)))))],
  );
  const present = new Set(found.rows.map((row) => tupleKey(row.key)));
  for (const [key, values] of tuples) if (!present.has(key)) throw missingReference(origin, table, fk, values);
}

/**
 * The value re-salted: emails keep their domain, texts keep the column's
 * length. `salt` ends in the number of the old value within the request, so
 * two old values never meet even where a short column keeps only the tail.
 */
function resalt(value: unknown, column: ColumnModel, salt: string): unknown {
  if (typeof value !== 'string') return value;
  const at = value.lastIndexOf('@');
  if (at > 0 && column.generator.kind === 'email') return saltedEmail(value.slice(0, at), value.slice(at + 1), salt, column.length);
  return salted(value, salt, column.length);
}

/** The number of each distinct old value: the same old value gets the same new one in every table, different ones never the same. */
class ValueNumbers {
  private readonly numbers = new Map<string, number>();

  of(value: string): string {
    let number = this.numbers.get(value);
    if (number === undefined) this.numbers.set(value, (number = this.numbers.size));
    return number.toString(36);
  }
}

/** Re-salted columns too short to keep this request's values apart from other requests': a 400 before anything is written. */
function assertSaltsFit(input: RowsToWrite, options: WriteOptions): void {
  if (options.keepUniqueValues) return;
  let total = 0;
  for (const rows of input.rows.values()) total += rows.length;
  // Salt, "x", then the value's number: at most one number per row.
  const perRow = 1 + rowDigits(total);
  const errors = input.order.tables.flatMap((table) =>
    table.columns
      .filter((column) => column.unique && TEXT_TYPES.has(column.baseType) && !table.primaryKey.includes(column.name) && !table.foreignKeys.some((fk) => fk.columns.includes(column.name)))
      .filter((column) => !(column.uniqueBy === 'inference' && options.keepInferredUniques) && (input.rows.get(table.key)?.length ?? 0) > 0)
      .flatMap((column) => {
        const misfit = saltMisfit(column, perRow);
        return misfit ? [{ path: `tables.${table.label}.${column.name}`, message: `${table.label}.${misfit.replace('give the values in set', 'import with keepUniqueValues to keep them as they are')}` }] : [];
      }),
  );
  if (errors.length > 0) throw validationError(errors, `The ${options.origin}'s unique values cannot be re-salted to fit their columns. Nothing was written.`);
}

/** JSON columns go as JSON text: pg would turn a JS array into a PostgreSQL array literal. */
function parameter(column: ColumnModel, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if ((column.baseType === 'json' || column.baseType === 'jsonb') && !column.isArray) return JSON.stringify(value);
  return value;
}

interface Deferred {
  fk: ForeignKeyModel;
  /** The new primary key of the row and the old values of its deferred key. */
  rows: Array<{ key: unknown[]; old: unknown[] }>;
}

export async function writeRows(client: PoolClient, tables: Map<string, TableModel>, input: RowsToWrite, options: WriteOptions): Promise<WriteResult> {
  assertSaltsFit(input, options);
  const numbers = new ValueNumbers();
  const keys = new KeyMap();
  const counts: Record<string, number> = {};
  const uniqueValues: Record<string, Record<string, unknown>> = {};
  const deferredWork: Array<{ table: TableModel; work: Deferred }> = [];
  const written = new Set<string>();
  // Column lists other tables reference, per table (the primary key always: the ledger and deferred updates need it).
  const referenced = new Map<string, string[][]>();
  for (const table of tables.values()) {
    for (const fk of table.foreignKeys) {
      const known = referenced.get(fk.references) ?? [tables.get(fk.references)?.primaryKey ?? []];
      if (!known.some((columns) => columns.join('\u0000') === fk.referencedColumns.join('\u0000'))) known.push(fk.referencedColumns);
      referenced.set(fk.references, known);
    }
  }
  let total = 0;

  for (const table of input.order.tables) {
    const rows = input.rows.get(table.key) ?? [];
    const deferredKeys = new Set(input.order.deferred.get(table.key) ?? []);
    const fkColumns = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
    const present = new Set(rows.flatMap((row) => Object.keys(row)));
    const columns = table.columns.filter((column) => !column.generated && (present.has(column.name) || table.primaryKey.includes(column.name)));
    const values = rows.map((row) => ({ ...row }));

    // Fresh primary keys for the key columns no foreign key fills.
    // One column drawing values no row has had makes each key new: the others keep theirs (a partitioned table's
    // (id, logdate) keeps the date, so the row stays in its partition); otherwise every own key column gets fresh values.
    const ownKeyColumns = table.primaryKey.filter((name) => !fkColumns.has(name));
    const drawing = ownKeyColumns.filter((name) => drawsNewValues(columnOf(table, name)));
    for (const name of drawing.length > 0 ? drawing : ownKeyColumns) {
      const fresh = await freshKeys(client, table, columnOf(table, name), values.length, options.seed);
      values.forEach((row, position) => (row[name] = fresh[position]));
    }
    // Foreign keys through the key map; keys to rows outside the written set are checked in the database.
    for (const fk of table.foreignKeys) {
      if (!fk.columns.every((name) => present.has(name))) continue;
      if (deferredKeys.has(fk)) {
        const work: Deferred = { fk, rows: [] };
        values.forEach((row, position) => {
          const old = fk.columns.map((name) => rows[position]![name]);
          if (isNullTuple(old)) return;
          work.rows.push({ key: table.primaryKey.map((name) => row[name]), old });
          for (const name of fk.columns) row[name] = null;
        });
        if (work.rows.length > 0) deferredWork.push({ table, work });
        continue;
      }
      const outside = new Map<string, unknown[]>();
      values.forEach((row, position) => {
        const old = fk.columns.map((name) => rows[position]![name]);
        if (isNullTuple(old)) return;
        const fresh = written.has(fk.references) ? keys.lookup(fk.references, fk.referencedColumns, old) : undefined;
        if (fresh) fk.columns.forEach((name, index) => (row[name] = fresh[index]));
        else outside.set(tupleKey(old), old);
      });
      await assertReferencesExist(client, options.origin, table, fk, tables, outside);
    }
    // Unique values that no key decides: salted, so the rows can live beside the ones they came from.
    if (!options.keepUniqueValues) {
      for (const column of columns) {
        if (!column.unique || table.primaryKey.includes(column.name) || fkColumns.has(column.name)) continue;
        if (column.uniqueBy === 'inference' && options.keepInferredUniques) continue;
        const changed = (uniqueValues[`${table.label}.${column.name}`] ??= {});
        if (TEXT_TYPES.has(column.baseType)) {
          for (const row of values) {
            const old = row[column.name];
            if (typeof old !== 'string') continue;
            row[column.name] = resalt(old, column, `${options.salt}x${numbers.of(old)}`);
            changed[old] = row[column.name];
          }
        } else if (INTEGER_TYPES.has(column.baseType)) {
          const fresh = await allocateIntegers(client, table, column, values.length);
          values.forEach((row, position) => {
            if (row[column.name] === null || row[column.name] === undefined) return;
            changed[String(row[column.name])] = fresh[position];
            row[column.name] = fresh[position];
          });
        }
        if (Object.keys(changed).length === 0) delete uniqueValues[`${table.label}.${column.name}`];
      }
    }
    for (const columnsReferenced of referenced.get(table.key) ?? [table.primaryKey]) {
      values.forEach((row, position) => {
        const old = columnsReferenced.map((name) => rows[position]![name]);
        if (!isNullTuple(old)) keys.record(table.key, columnsReferenced, old, columnsReferenced.map((name) => row[name]));
      });
    }
    try {
      await insertRows(client, table, columns, values, options.tag);
    } catch (error) {
      throw new RowsWriteError(table, error);
    }
    written.add(table.key);
    if (values.length > 0) counts[table.label] = (counts[table.label] ?? 0) + values.length;
    total += values.length;
  }

  for (const { table, work } of deferredWork) {
    const outside = new Map<string, unknown[]>();
    const updates = work.rows.map(({ key, old }) => {
      const fresh = keys.lookup(work.fk.references, work.fk.referencedColumns, old);
      if (!fresh) outside.set(tupleKey(old), old);
      return { key, value: fresh ?? old };
    });
    await assertReferencesExist(client, options.origin, table, work.fk, tables, outside);
    try {
      await updateDeferred(client, table, work.fk, updates);
    } catch (error) {
      throw new RowsWriteError(table, error);
    }
  }
  return { counts, uniqueValues, rows: total };
}

/** A failure while writing rows of `table`, so the caller can name it. */
export class RowsWriteError extends Error {
  constructor(
    readonly table: TableModel,
    override readonly cause: unknown,
  ) {
    super((cause as Error)?.message ?? 'write failed');
  }
}

async function insertRows(client: PoolClient, table: TableModel, columns: ColumnModel[], rows: Row[], tag: string): Promise<void> {
  if (rows.length === 0) return;
  const target = qualifiedName(table);
  const inserted = table.hasTestTag ? [...columns.filter((column) => column.name !== 'test_tag'), columnOf(table, 'test_tag')] : columns;
  const names = inserted.map((column) => escapeIdentifier(column.name)).join(', ');
  const overriding = inserted.some((column) => column.identity === 'always') ? ' OVERRIDING SYSTEM VALUE' : '';
  const ledger = !table.hasTestTag;
  const withLedger = (insert: string): string =>
    ledger
      ? `WITH ins AS (${insert} RETURNING ${ledgerSourceColumns(table)}) ${ledgerInsert(table, 'ins', '$2')}`
      : insert;
  const value = (column: ColumnModel, row: Row): unknown => (column.name === 'test_tag' && table.hasTestTag ? tag : parameter(column, row[column.name]));
  // As the graph writer does: one array parameter per column (unnest) beats parsing a 60,000-parameter VALUES list; array columns would be flattened by it.
  if (rows.length >= ARRAY_PATH_ROWS && inserted.every((column) => !column.isArray)) {
    for (let first = 0; first < rows.length; first += ARRAY_CHUNK_ROWS) {
      const chunk = rows.slice(first, first + ARRAY_CHUNK_ROWS);
      const params: unknown[] = ledger ? [tag, table.key] : [];
      const arrays = inserted.map((column) => {
        params.push(chunk.map((row) => value(column, row)));
        return `$${params.length}::${column.type}[]`;
      });
      await client.query(withLedger(`INSERT INTO ${target} (${names})${overriding} SELECT * FROM unnest(${arrays.join(', ')})`), params);
    }
    return;
  }
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / inserted.length));
  for (let first = 0; first < rows.length; first += perChunk) {
    const params: unknown[] = ledger ? [tag, table.key] : [];
    const tuples: string[] = [];
    for (const row of rows.slice(first, first + perChunk)) {
      const slots = inserted.map((column) => {
        params.push(value(column, row));
        return `$${params.length}`;
      });
      tuples.push(`(${slots.join(', ')})`);
    }
    await client.query(withLedger(`INSERT INTO ${target} (${names})${overriding} VALUES ${tuples.join(', ')}`), params);
  }
}

async function updateDeferred(client: PoolClient, table: TableModel, fk: ForeignKeyModel, updates: Array<{ key: unknown[]; value: unknown[] }>): Promise<void> {
  const sets = fk.columns.map((name, position) => `${escapeIdentifier(name)} = (x->'v'->>${position})::${columnOf(table, name).type}`).join(', ');
  const match = table.primaryKey.map((name, position) => `t.${escapeIdentifier(name)} = (x->'k'->>${position})::${columnOf(table, name).type}`).join(' AND ');
  const text = (values: unknown[]): unknown[] => values.map((value) => (value === null ? null : String(value)));
  for (let first = 0; first < updates.length; first += 10_000) {
    const chunk = updates.slice(first, first + 10_000).map((update) => ({ k: text(update.key), v: text(update.value) }));
    await client.query(`UPDATE ${onlyName(table)} t SET ${sets} FROM jsonb_array_elements($1::jsonb) x WHERE ${match}`, [JSON.stringify(chunk)]);
  }
}
