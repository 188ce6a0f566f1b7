import { escapeIdentifier, type Client } from 'pg';
import { validationError } from '../errors';
import { qualifiedName } from '../graphs/key-allocator';
import type { ModelIndex, TableModel } from '../schema/schema-model';
import { exportedColumns, type Row } from '../snapshots/snapshot-format';
import { ROW_TYPES } from '../snapshots/tag-rows';
import { tupleKey } from '../snapshots/rows-writer';
import type { Condition, CopyRequest } from './copy-request';

/**
 * The rows a copy takes from the source: the root rows (a seeded sample or
 * given keys, filtered), their children to the requested depth, and every
 * row any of those references, transitively, so that every foreign key of
 * the copy points inside it (a key left pointing at "row 12" would meet an
 * unrelated row 12 of the target). Only catalog names reach the SQL; the
 * request's values go as bind parameters.
 */
export type Subset = Map<string, Map<string, Row>>;

const SQL_OPERATORS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' };
const CHUNK = 5_000;

function columnsOf(table: TableModel): string {
  return exportedColumns(table)
    .map((column) => `t.${escapeIdentifier(column.name)}`)
    .join(', ');
}

function typeOf(table: TableModel, name: string): string {
  return table.columns.find((column) => column.name === name)!.type;
}

function whereSql(conditions: readonly Condition[], params: unknown[]): string[] {
  return conditions.map(({ column, operator, value }) => {
    const name = `t.${escapeIdentifier(column.name)}`;
    if (operator === 'isNull') return value ? `${name} IS NULL` : `${name} IS NOT NULL`;
    if (operator === 'in') {
      params.push((value as unknown[]).map(String));
      return `${name} = ANY($${params.length}::${column.type}[])`;
    }
    params.push(typeof value === 'boolean' ? value : String(value));
    return `${name} ${SQL_OPERATORS[operator]} $${params.length}::${column.type}`;
  });
}

async function rootRows(client: Client, request: CopyRequest): Promise<Row[]> {
  const { root } = request;
  const params: unknown[] = [];
  const filters = whereSql(request.where, params);
  const key = `jsonb_build_array(${root.primaryKey.map((name) => `t.${escapeIdentifier(name)}::text`).join(', ')})::text`;
  let tail: string;
  if (request.ids) {
    params.push(request.ids.map(String));
    filters.push(`t.${escapeIdentifier(root.primaryKey[0]!)} = ANY($${params.length}::${typeOf(root, root.primaryKey[0]!)}[])`);
    tail = `ORDER BY ${key}`;
  } else {
    // The seed decides the sample: the same seed picks the same rows of an unchanged source.
    params.push(String(request.seed), request.sample);
    tail = `ORDER BY md5(${key} || $${params.length - 1}), ${key} LIMIT $${params.length}`;
  }
  const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
  const result = await client.query<Row>({ text: `SELECT ${columnsOf(root)} FROM ${qualifiedName(root)} t ${where} ${tail}`, values: params, types: ROW_TYPES });
  return result.rows;
}

/** Rows of `table` whose `columns` hold one of `tuples`. */
async function rowsMatching(client: Client, table: TableModel, columns: readonly string[], tuples: readonly unknown[][]): Promise<Row[]> {
  const rows: Row[] = [];
  const left = columns.map((name) => `t.${escapeIdentifier(name)}`).join(', ');
  const right = columns.map((name, position) => `(x->>${position})::${typeOf(table, name)}`).join(', ');
  for (let first = 0; first < tuples.length; first += CHUNK) {
    const chunk = tuples.slice(first, first + CHUNK).map((tuple) => tuple.map((value) => (value === null ? null : String(value))));
    const result = await client.query<Row>({
      text: `SELECT ${columnsOf(table)} FROM ${qualifiedName(table)} t WHERE (${left}) IN (SELECT ${right} FROM jsonb_array_elements($1::jsonb) x)`,
      values: [JSON.stringify(chunk)],
      types: ROW_TYPES,
    });
    rows.push(...result.rows);
  }
  return rows;
}

class Collected {
  readonly rows: Subset = new Map();
  private total = 0;
  constructor(private readonly maxRows: number) {}

  /** Adds the rows not held yet; returns those. */
  add(table: TableModel, rows: readonly Row[]): Row[] {
    let held = this.rows.get(table.key);
    if (!held) this.rows.set(table.key, (held = new Map()));
    const added: Row[] = [];
    for (const row of rows) {
      const key = tupleKey(table.primaryKey.map((name) => row[name]));
      if (held.has(key)) continue;
      held.set(key, row);
      added.push(row);
    }
    this.total += added.length;
    if (this.total > this.maxRows) {
      throw validationError([
        { path: 'root.sample', message: `the copy would take more than ${this.maxRows} rows with their parents and children (MAX_ROWS_PER_REQUEST): lower sample or children` },
      ]);
    }
    return added;
  }

  has(table: TableModel, columns: readonly string[], tuple: readonly unknown[]): boolean {
    if (columns.join('\u0000') !== table.primaryKey.join('\u0000')) return false;
    return this.rows.get(table.key)?.has(tupleKey(tuple)) ?? false;
  }
}

type Added = Array<{ table: TableModel; rows: Row[] }>;

/** Every row the added rows reference, and theirs, until nothing new comes. */
async function closeOverParents(client: Client, index: ModelIndex, collected: Collected, added: Added): Promise<void> {
  const work = [...added];
  while (work.length > 0) {
    const { table, rows } = work.pop()!;
    for (const fk of table.foreignKeys) {
      const parent = index.get(fk.references);
      if (!parent) continue;
      const wanted = new Map<string, unknown[]>();
      for (const row of rows) {
        const tuple = fk.columns.map((name) => row[name]);
        if (tuple.some((value) => value === null || value === undefined)) continue;
        if (!collected.has(parent, fk.referencedColumns, tuple)) wanted.set(tupleKey(tuple), tuple);
      }
      if (wanted.size === 0) continue;
      const fresh = collected.add(parent, await rowsMatching(client, parent, fk.referencedColumns, [...wanted.values()]));
      if (fresh.length > 0) work.push({ table: parent, rows: fresh });
    }
  }
}

export async function collectSubset(client: Client, index: ModelIndex, request: CopyRequest, maxRows: number): Promise<Subset> {
  const collected = new Collected(maxRows);
  let frontier: Added = [{ table: request.root, rows: collected.add(request.root, await rootRows(client, request)) }];
  await closeOverParents(client, index, collected, frontier);
  for (let level = 1; level <= request.children; level += 1) {
    const next: Added = [];
    for (const { table, rows } of frontier) {
      if (rows.length === 0) continue;
      for (const { table: child, fk } of index.referencing(table.key)) {
        // A table without a primary key cannot be written under a tag (nor cleaned up): its rows stay behind.
        if (!child.provisionable) continue;
        const tuples = rows.map((row) => fk.referencedColumns.map((name) => row[name])).filter((tuple) => tuple.every((value) => value !== null && value !== undefined));
        const fresh = collected.add(child, await rowsMatching(client, child, fk.columns, tuples));
        if (fresh.length > 0) next.push({ table: child, rows: fresh });
      }
    }
    await closeOverParents(client, index, collected, next);
    frontier = next;
  }
  return collected.rows;
}
