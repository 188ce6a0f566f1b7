import { AppError, validationError, type FieldError } from '../errors';
import type { ModelIndex, TableModel } from '../schema/schema-model';
import { insertOrder, type InsertOrder } from './insert-order';
import { SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_VERSION, type Row } from './snapshot-format';
import type { RawSnapshot } from './snapshot-reader';

/**
 * Decides whether today's model can take a snapshot: its envelope (400 for a
 * file that is not a snapshot, 422 for a format version this testapi cannot
 * read), then table by table and column by column. A snapshot of an older
 * model imports when the difference is additive (a new table; a new column
 * that is nullable or has a default); a column gone, retyped, or new and
 * required is a 422 naming the table and the column.
 */
export interface CheckedSnapshot {
  order: InsertOrder;
  rows: Map<string, Row[]>;
  /** Options a snapshot may carry at its top level (the query string wins). */
  keepUniqueValues?: boolean;
  sourceTag: string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

function incompatible(detail: string, table: string, column: string | null): AppError {
  return new AppError({
    type: 'snapshot-incompatible',
    title: 'The snapshot does not fit the current schema',
    status: 422,
    detail: `${detail} Nothing was written. Export the snapshot again from the current schema, or migrate the schema first.`,
    extensions: { table, column },
  });
}

function checkEnvelope(header: Record<string, unknown>): void {
  const errors: FieldError[] = [];
  if (header.format !== SNAPSHOT_FORMAT) errors.push({ path: 'format', message: `format must be "${SNAPSHOT_FORMAT}" (what GET /tags/{tag}/export writes)` });
  if (!Number.isInteger(header.formatVersion) || (header.formatVersion as number) < 1) errors.push({ path: 'formatVersion', message: 'formatVersion must be a whole number from 1' });
  if (!Array.isArray(header.tables)) errors.push({ path: 'tables', message: 'tables must be an array' });
  if (header.keepUniqueValues !== undefined && typeof header.keepUniqueValues !== 'boolean') errors.push({ path: 'keepUniqueValues', message: 'keepUniqueValues must be true or false' });
  if (errors.length > 0) throw validationError(errors);
  if (header.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw new AppError({
      type: 'unsupported-snapshot-version',
      title: 'Unsupported snapshot version',
      status: 422,
      detail: `This testapi reads snapshots of formatVersion ${SNAPSHOT_FORMAT_VERSION}; this one is ${header.formatVersion as number}. Export it again with this testapi, or import it with the testapi that wrote it.`,
      extensions: { formatVersion: header.formatVersion, supported: [SNAPSHOT_FORMAT_VERSION] },
    });
  }
}

interface HeaderTable {
  table: string;
  columns: Array<{ name: string; type: string }>;
  primaryKey: string[];
  rows: number | undefined;
}

function headerTables(header: Record<string, unknown>): HeaderTable[] {
  const errors: FieldError[] = [];
  const tables: HeaderTable[] = [];
  (header.tables as unknown[]).forEach((entry, position) => {
    const at = `tables[${position}]`;
    if (!isObject(entry) || typeof entry.table !== 'string') return errors.push({ path: `${at}.table`, message: 'each table needs its name (schema.table)' });
    const columns = entry.columns;
    if (!Array.isArray(columns) || !columns.every((column) => isObject(column) && typeof column.name === 'string' && typeof column.type === 'string')) {
      return errors.push({ path: `${at}.columns`, message: 'columns must be an array of {name, type, nullable}' });
    }
    if (!isStringArray(entry.primaryKey)) return errors.push({ path: `${at}.primaryKey`, message: 'primaryKey must be an array of column names' });
    if (entry.rows !== undefined && !Number.isInteger(entry.rows)) return errors.push({ path: `${at}.rows`, message: 'rows must be a whole number' });
    tables.push({ table: entry.table, columns: columns as HeaderTable['columns'], primaryKey: entry.primaryKey, rows: entry.rows as number | undefined });
    return undefined;
  });
  if (errors.length > 0) throw validationError(errors);
  return tables;
}

function modelTable(index: ModelIndex, name: string): TableModel | undefined {
  return index.get(name) ?? index.resolve(name) ?? index.resolve(name.slice(name.lastIndexOf('.') + 1));
}

/** The additive rule, for one table. */
function checkTable(entry: HeaderTable, table: TableModel): void {
  if (!table.provisionable) throw incompatible(`Table ${table.label} cannot take rows from testapi: ${table.reason}.`, table.label, null);
  const current = new Map(table.columns.map((column) => [column.name, column]));
  for (const column of entry.columns) {
    const now = current.get(column.name);
    if (!now) throw incompatible(`Column ${table.label}.${column.name} of the snapshot no longer exists.`, table.label, column.name);
    if (now.type !== column.type) throw incompatible(`Column ${table.label}.${column.name} was ${column.type} in the snapshot and is ${now.type} now.`, table.label, column.name);
  }
  const given = new Set(entry.columns.map((column) => column.name));
  for (const column of table.columns) {
    if (given.has(column.name) || (table.hasTestTag && column.name === 'test_tag')) continue;
    const filled = column.nullable || column.default !== null || column.identity !== null || column.generated;
    if (!filled) throw incompatible(`Column ${table.label}.${column.name} is new, NOT NULL and without a default: the snapshot has no value for it.`, table.label, column.name);
  }
  if (entry.primaryKey.join(',') !== table.primaryKey.join(',')) {
    throw incompatible(`The primary key of ${table.label} was (${entry.primaryKey.join(', ')}) and is (${table.primaryKey.join(', ')}) now.`, table.label, table.primaryKey[0] ?? null);
  }
}

function checkRows(entry: HeaderTable, position: number, rows: Row[]): void {
  if (entry.rows !== undefined && entry.rows !== rows.length) {
    throw validationError([{ path: `tables[${position}].rows`, message: `the header announces ${entry.rows} rows of ${entry.table} but ${rows.length} came: the file is cut short or edited` }]);
  }
  const known = new Set(entry.columns.map((column) => column.name));
  rows.forEach((row, at) => {
    if (!isObject(row)) throw validationError([{ path: `${entry.table}[${at}]`, message: 'a row must be an object of column values' }]);
    for (const name of Object.keys(row)) {
      if (!known.has(name)) throw validationError([{ path: `${entry.table}[${at}].${name}`, message: `column ${name} is not among the snapshot's columns of ${entry.table}` }]);
    }
  });
}

export function checkSnapshot(raw: RawSnapshot, index: ModelIndex): CheckedSnapshot {
  checkEnvelope(raw.header);
  const entries = headerTables(raw.header);
  const rows = new Map<string, Row[]>();
  const tables: TableModel[] = [];
  const named = new Set(entries.map((entry) => entry.table));
  for (const key of raw.rows.keys()) {
    if (!named.has(key)) throw validationError([{ path: 'tables', message: `rows of table ${key} came, but the header does not list it` }]);
  }
  entries.forEach((entry, position) => {
    const table = modelTable(index, entry.table);
    if (!table) throw incompatible(`Table ${entry.table} of the snapshot is not in the current schema.`, entry.table, null);
    checkTable(entry, table);
    const data = raw.rows.get(entry.table) ?? [];
    checkRows(entry, position, data);
    if (rows.has(table.key)) throw validationError([{ path: `tables[${position}].table`, message: `table ${entry.table} is listed twice` }]);
    rows.set(table.key, data);
    tables.push(table);
  });
  return {
    order: insertOrder(tables),
    rows,
    keepUniqueValues: raw.header.keepUniqueValues as boolean | undefined,
    sourceTag: typeof raw.header.tag === 'string' ? raw.header.tag : null,
  };
}
