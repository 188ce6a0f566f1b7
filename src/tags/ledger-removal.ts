import { escapeIdentifier, type PoolClient } from 'pg';
import { AppError } from '../errors';
import type { ModelIndex } from '../schema/schema-model';

/**
 * Removal of the rows testapi recorded in its row ledger (tables without a
 * test_tag column: an application's own tables), inside the removal flow's
 * transaction. Kept apart from the test_tag deletion so that other steps
 * (batching) can wrap either one.
 *
 * Rows of anyone else that reference the tag's rows (a session row pointing
 * at a provisioned user) are dependents, whatever their foreign key's ON
 * DELETE says: a CASCADE or SET NULL would change rows outside the tag. They
 * are found first, transitively; then either the removal stops with a 409
 * naming the table and constraint, or (dependents: 'delete') they are deleted
 * with the tag's rows and reported.
 */
export type DependentsPolicy = 'refuse' | 'delete';

export interface LedgerRemoval {
  /** Rows of the tags deleted, per table label. */
  counts: Record<string, number>;
  /** Rows outside the tags deleted because they referenced them (only with 'delete'). */
  dependents: Record<string, number>;
}

/** Thrown inside the transaction when dependents exist and the policy is 'refuse'. */
export class DependentRowsError extends AppError {}

interface KeyColumn {
  name: string;
  /** A type name PostgreSQL reads back (schema-qualified when not on the search_path). */
  type: string;
}

interface TableRef {
  key: string;
  label: string;
  sql: string;
  /** Primary key columns; empty means rows are told apart by ctid (tables without a key, outside the model). */
  keyColumns: KeyColumn[];
}

interface ReferencingKey {
  name: string;
  child: TableRef;
  childColumns: string[];
  parentKey: string;
  parentColumns: string[];
}

/** A set of rows of one table, each as the text of its key columns (or its ctid). */
type RowSet = Map<string, string[]>;

const identity = (values: readonly string[]): string => JSON.stringify(values);

function keyExpression(table: TableRef, alias: string): string {
  if (table.keyColumns.length === 0) return `jsonb_build_array(${alias}.ctid::text)`;
  return `jsonb_build_array(${table.keyColumns.map((column) => `${alias}.${escapeIdentifier(column.name)}::text`).join(', ')})`;
}

/** `alias`'s row is one of the rows in the jsonb array bound at `$param` (keys cast back to their types, so indexes serve). */
function memberOf(table: TableRef, alias: string, param: number): string {
  if (table.keyColumns.length === 0) return `${alias}.ctid = ANY (SELECT (x->>0)::tid FROM jsonb_array_elements($${param}::jsonb) x)`;
  const columns = table.keyColumns.map((column) => `${alias}.${escapeIdentifier(column.name)}`).join(', ');
  const casts = table.keyColumns.map((column, index) => `(x->>${index})::${column.type}`).join(', ');
  return `(${columns}) IN (SELECT ${casts} FROM jsonb_array_elements($${param}::jsonb) x)`;
}

async function describeTables(client: PoolClient, keys: readonly string[], index: ModelIndex): Promise<Map<string, TableRef>> {
  const result = await client.query<{ key: string; schema: string; name: string; columns: string[] | null; types: string[] | null }>(
    `SELECT n.nspname || '.' || c.relname AS key, n.nspname AS schema, c.relname AS name,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_constraint con, unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum WHERE con.conrelid = c.oid AND con.contype = 'p') AS columns,
            (SELECT array_agg(a.atttypid::regtype::text ORDER BY k.ord) FROM pg_constraint con, unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum WHERE con.conrelid = c.oid AND con.contype = 'p') AS types
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname || '.' || c.relname = ANY($1::text[])`,
    [keys],
  );
  return new Map(
    result.rows.map((row) => [
      row.key,
      {
        key: row.key,
        label: index.get(row.key)?.label ?? row.key,
        sql: `${escapeIdentifier(row.schema)}.${escapeIdentifier(row.name)}`,
        keyColumns: (row.columns ?? []).map((name, position) => ({ name, type: row.types![position]! })),
      },
    ]),
  );
}

/** Every foreign key, in any schema, that references one of `parents`. */
async function referencingKeys(client: PoolClient, parents: readonly string[], index: ModelIndex): Promise<ReferencingKey[]> {
  const result = await client.query<{ name: string; child: string; parent: string; child_columns: string[]; parent_columns: string[] }>(
    `SELECT con.conname AS name, cn.nspname || '.' || c.relname AS child, pn.nspname || '.' || p.relname AS parent,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS child_columns,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS parent_columns
     FROM pg_constraint con
     JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
     JOIN pg_class p ON p.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
     WHERE con.contype = 'f' AND pn.nspname || '.' || p.relname = ANY($1::text[])
       -- A partition's copy of its parent's key is checked through the parent's.
       AND NOT c.relispartition
     ORDER BY con.conname`,
    [parents],
  );
  const tables = await describeTables(client, [...new Set(result.rows.map((row) => row.child))], index);
  return result.rows.map((row) => ({
    name: row.name,
    child: tables.get(row.child)!,
    childColumns: row.child_columns,
    parentKey: row.parent,
    parentColumns: row.parent_columns,
  }));
}

/** Rows of the key's child table that reference `parentRows` and are not in `known`. */
async function findReferencing(client: PoolClient, fk: ReferencingKey, parent: TableRef, parentRows: readonly string[][], known: readonly string[][]): Promise<string[][]> {
  const join = fk.childColumns.map((column, position) => `c.${escapeIdentifier(column)} = p.${escapeIdentifier(fk.parentColumns[position]!)}`).join(' AND ');
  const result = await client.query<{ key: string[] }>(
    `SELECT ${keyExpression(fk.child, 'c')} AS key FROM ${fk.child.sql} c
     WHERE EXISTS (SELECT 1 FROM ${parent.sql} p WHERE ${join} AND ${memberOf(parent, 'p', 1)})
       AND NOT ${memberOf(fk.child, 'c', 2)}
     FOR UPDATE OF c`,
    [JSON.stringify(parentRows), JSON.stringify(known)],
  );
  return result.rows.map((row) => row.key);
}

function dependentsRefused(fk: ReferencingKey, parent: TableRef, rows: number): DependentRowsError {
  return new DependentRowsError({
    type: 'tag-referenced',
    title: 'Tag still referenced',
    status: 409,
    detail:
      `${rows} row(s) of table "${fk.child.label}" reference rows of the tag in table "${parent.label}" (constraint ${fk.name}), so nothing was deleted. ` +
      'Delete those rows first, or ask for dependents=delete to delete them too.',
    extensions: { table: fk.child.label, constraint: fk.name, referencedTable: parent.label, rows, referencingTag: null },
  });
}

/**
 * Deletes the ledger rows of `tags` from their tables (and, with 'delete',
 * every row that references them, transitively) in one statement, children
 * first; then empties the tags' ledger. NO ACTION keys are checked at the end
 * of that statement, so self-references and cycles of nullable keys inside
 * the set need no particular order.
 */
export async function removeLedgerRows(client: PoolClient, index: ModelIndex, tags: readonly string[], policy: DependentsPolicy): Promise<LedgerRemoval> {
  const ledger = await client.query<{ table_name: string; pk: string[] }>('SELECT table_name, pk FROM testapi_row_ledger WHERE tag = ANY($1::text[])', [tags]);
  const removal = new Map<string, RowSet>();
  for (const row of ledger.rows) {
    const rows = removal.get(row.table_name) ?? new Map<string, string[]>();
    rows.set(identity(row.pk), row.pk);
    removal.set(row.table_name, rows);
  }
  const counts: Record<string, number> = {};
  const dependents: Record<string, number> = {};
  if (removal.size === 0) return { counts, dependents };

  const tables = await describeTables(client, [...removal.keys()], index);
  // A table dropped since its rows were written took them along.
  for (const key of [...removal.keys()]) if (!tables.has(key)) removal.delete(key);
  const dependentRows = new Map<string, RowSet>();

  // Dependents, transitively: each round looks at the rows added by the previous one.
  let frontier = new Map(removal);
  while (frontier.size > 0) {
    const next = new Map<string, RowSet>();
    for (const fk of await referencingKeys(client, [...frontier.keys()], index)) {
      const parent = tables.get(fk.parentKey)!;
      const parentRows = [...frontier.get(fk.parentKey)!.values()];
      const known = [...(removal.get(fk.child.key)?.values() ?? [])];
      const found = await findReferencing(client, fk, parent, parentRows, known);
      if (found.length === 0) continue;
      if (policy === 'refuse') throw dependentsRefused(fk, parent, found.length);
      tables.set(fk.child.key, fk.child);
      for (const target of [removal, next, dependentRows]) {
        const rows = target.get(fk.child.key) ?? new Map<string, string[]>();
        for (const key of found) rows.set(identity(key), key);
        target.set(fk.child.key, rows);
      }
    }
    frontier = next;
  }

  const order = childrenFirst([...removal.keys()], await referencingKeys(client, [...removal.keys()], index));
  const params: unknown[] = [tags];
  const ctes = order.map((key, position) => {
    params.push(JSON.stringify([...removal.get(key)!.values()]));
    return `d${position} AS (DELETE FROM ${tables.get(key)!.sql} t WHERE ${memberOf(tables.get(key)!, 't', params.length)} RETURNING ${keyExpression(tables.get(key)!, 't')} AS key)`;
  });
  const selects = order.map((_, position) => `SELECT ${position} AS position, key FROM d${position}`);
  const result = await client.query<{ position: number; key: string[] }>(
    `WITH ${ctes.join(',\n')}, gone AS (DELETE FROM testapi_row_ledger WHERE tag = ANY($1::text[]))\n${selects.join('\nUNION ALL\n')}`,
    params,
  );
  for (const row of result.rows) {
    const key = order[row.position]!;
    const label = tables.get(key)!.label;
    if (dependentRows.get(key)?.has(identity(row.key))) dependents[label] = (dependents[label] ?? 0) + 1;
    else counts[label] = (counts[label] ?? 0) + 1;
  }
  return { counts, dependents };
}

/** Tables ordered so that a referencing table comes before the table it references; cycles keep their given order. */
function childrenFirst(keys: readonly string[], fks: readonly ReferencingKey[]): string[] {
  const inSet = new Set(keys);
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (key: string): void => {
    if (placed.has(key) || visiting.has(key)) return;
    visiting.add(key);
    // Children (tables referencing this one) first.
    for (const fk of fks) if (fk.parentKey === key && fk.child.key !== key && inSet.has(fk.child.key)) place(fk.child.key);
    visiting.delete(key);
    placed.add(key);
    ordered.push(key);
  };
  for (const key of keys) place(key);
  return ordered;
}
