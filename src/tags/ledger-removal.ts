import { escapeIdentifier, type PoolClient } from 'pg';
import { AppError } from '../errors';
import type { ModelIndex, TableModel } from '../schema/schema-model';
import { fingerprint, ledgerKey, ownershipOf } from './row-identity';

/**
 * Removal of the rows testapi recorded in its row ledger (tables without a
 * test_tag column: an application's own tables), inside the removal flow's
 * transaction. Kept apart from the test_tag deletion so that other steps
 * (batching) can wrap either one.
 *
 * 1. The tag's rows are locked (FOR UPDATE) before anything is checked: a
 *    reference another transaction is inserting either commits first (the
 *    lock waits for it) and is found below, or waits for this transaction
 *    and then finds the row gone.
 * 2. Each locked row is compared with what the ledger recorded about it
 *    (row-identity.ts): a key freed and taken again, by the application or
 *    another tag, names a row that is not the tag's. Those, and rows no
 *    longer there, are `missing`: reported, never deleted.
 * 3. Rows of anyone else that reference the tag's rows are dependents,
 *    whatever their foreign key's ON DELETE says (a CASCADE or SET NULL would
 *    change rows outside the tag): found transitively, then either the
 *    removal stops with a 409 naming every referencing constraint, or
 *    (dependents: 'delete') they are deleted with the tag's rows and reported.
 *
 * Tables are the model's (schema and name as a pair, resolved to an oid),
 * and every statement names them with ONLY: a table inheriting from a
 * tag's table may hold rows with the same keys, and they are not the tag's.
 */
export type DependentsPolicy = 'refuse' | 'delete';

export interface LedgerRemoval {
  /** Rows of the tags deleted, per table label. */
  counts: Record<string, number>;
  /** Rows outside the tags deleted because they referenced them (only with 'delete'). */
  dependents: Record<string, number>;
  /** Rows the tags created that are gone, re-keyed, or replaced by someone else's under their key: left alone. */
  missing: Record<string, number>;
}

/** One referencing constraint that stopped a removal. */
export interface Reference {
  table: string;
  constraint: string;
  referencedTable: string;
  rows: number;
}

/** Thrown inside the transaction when dependents exist and the policy is 'refuse' (or they lie outside the target schemas). */
export class DependentRowsError extends AppError {
  /**
   * `outside`: dependents were asked to be deleted but some lie outside the
   * target schemas. `deletable`: every referencing row lies inside them, so
   * asking for dependents=delete would delete them (the page offers it).
   */
  constructor(readonly references: Reference[], outside: boolean, deletable: boolean) {
    const first = references[0]!;
    const listed = references.map((ref) => `${ref.rows} row(s) of table "${ref.table}" (constraint ${ref.constraint}) reference rows of the tag in table "${ref.referencedTable}"`).join('; ');
    super({
      type: 'tag-referenced',
      title: 'Tag still referenced',
      status: 409,
      detail: outside
        ? `${listed}, so nothing was deleted. Those rows lie outside the target schemas, where testapi deletes nothing: delete them first.`
        : `${listed}, so nothing was deleted. Delete those rows first, or ask for dependents=delete to delete them too.`,
      extensions: { table: first.table, constraint: first.constraint, referencedTable: first.referencedTable, rows: first.rows, referencingTag: null, references, dependentsDeletable: deletable },
    });
  }
}

interface KeyColumn {
  name: string;
  /** A type name PostgreSQL reads back (schema-qualified when not on the search_path). */
  type: string;
}

interface TableRef {
  oid: number;
  label: string;
  /** The table as statements name it: ONLY schema.table (a partitioned table without ONLY). */
  sql: string;
  /** Primary key columns; empty means rows are told apart by ctid (tables without a key, outside the model). */
  keyColumns: KeyColumn[];
  /** The modelled table, for the ledger's tables: keys in the ledger's form. */
  model?: TableModel;
  /** In one of the target schemas: testapi may delete its rows when dependents are asked for. */
  inTargets: boolean;
}

interface ReferencingKey {
  name: string;
  child: TableRef;
  childColumns: string[];
  parent: number;
  parentColumns: string[];
}

/** A set of rows of one table, each as the text of its key columns (or its ctid). */
type RowSet = Map<string, string[]>;

const identity = (values: readonly string[]): string => JSON.stringify(values);

function keyExpression(table: TableRef, alias: string): string {
  if (table.model) return ledgerKey(table.model, alias);
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

interface CatalogTable {
  oid: number;
  schema: string;
  name: string;
  relkind: string;
  columns: string[] | null;
  types: string[] | null;
}

const CATALOG_TABLE = `c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
  (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_constraint con, unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum WHERE con.conrelid = c.oid AND con.contype = 'p') AS columns,
  (SELECT array_agg(a.atttypid::regtype::text ORDER BY k.ord) FROM pg_constraint con, unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum WHERE con.conrelid = c.oid AND con.contype = 'p') AS types`;

function tableRef(row: CatalogTable, index: ModelIndex, model?: TableModel): TableRef {
  const name = `${escapeIdentifier(row.schema)}.${escapeIdentifier(row.name)}`;
  const modelled = model ?? index.model.tables.find((table) => table.schema === row.schema && table.name === row.name);
  return {
    oid: row.oid,
    label: modelled?.label ?? `${row.schema}.${row.name}`,
    sql: row.relkind === 'p' ? name : `ONLY ${name}`,
    keyColumns: (row.columns ?? []).map((column, position) => ({ name: column, type: row.types![position]! })),
    // Keys in the ledger's form need a key: a table without one is told apart by ctid.
    model: modelled && modelled.primaryKey.length > 0 ? modelled : undefined,
    inTargets: index.model.schemas.includes(row.schema),
  };
}

/** The ledger's tables, by the model's schema and name (never by joined text); tables no longer modelled are absent. */
async function describeLedgerTables(client: Pick<PoolClient, 'query'>, keys: readonly string[], index: ModelIndex): Promise<Map<string, TableRef>> {
  const models = keys.map((key) => index.get(key)).filter((table): table is TableModel => table !== undefined);
  if (models.length === 0) return new Map();
  const result = await client.query<CatalogTable & { position: number }>({
    // Named: a fixed text, parsed and planned once per connection (catalog queries plan slowly for what they read).
    name: 'testapi-ledger-describe-tables',
    text: `SELECT s.position::int AS position, ${CATALOG_TABLE}
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY s(schema, name, position)
       JOIN pg_namespace n ON n.nspname = s.schema
       JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.name`,
    values: [models.map((table) => table.schema), models.map((table) => table.name)],
  });
  return new Map(result.rows.map((row) => [models[row.position - 1]!.key, tableRef(row, index, models[row.position - 1])]));
}

/**
 * Every foreign key, in any schema, that references one of `parents` (by oid)
 * or, transitively, a table referencing them: the whole closure in one
 * statement, since a removal's dependents rounds only ever look inside it.
 */
async function referencingClosure(client: Pick<PoolClient, 'query'>, parents: readonly number[], index: ModelIndex): Promise<ReferencingKey[]> {
  const result = await client.query<CatalogTable & { fk: string; parent: number; child_columns: string[]; parent_columns: string[] }>({
    name: 'testapi-ledger-referencing-closure',
    text: `WITH RECURSIVE reached(oid) AS (
       SELECT unnest($1::oid[])
       UNION
       SELECT con.conrelid FROM pg_constraint con JOIN reached r ON con.confrelid = r.oid WHERE con.contype = 'f'
     )
     SELECT con.conname AS fk, con.confrelid::int AS parent, ${CATALOG_TABLE},
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS child_columns,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS parent_columns
     FROM pg_constraint con
     JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE con.contype = 'f' AND con.confrelid IN (SELECT oid FROM reached)
       -- A partition's copy of its parent's key is checked through the parent's.
       AND NOT c.relispartition
     ORDER BY con.conname`,
    values: [parents],
  });
  return result.rows.map((row) => ({
    name: row.fk,
    child: tableRef(row, index),
    childColumns: row.child_columns,
    parent: row.parent,
    parentColumns: row.parent_columns,
  }));
}

/** One foreign key's question in a dependents round: which rows of its child reference `parentRows` and are not in `known`. */
interface ReferencingQuestion {
  fk: ReferencingKey;
  parent: TableRef;
  parentRows: readonly string[][];
  known: readonly string[][];
}

/**
 * For each question, the rows of the key's child table that reference its
 * parent rows and are not known, locked as they are found: every foreign key
 * of a round in one statement (one CTE each, since FOR UPDATE cannot sit under
 * a UNION), so a round costs one round trip whatever the schema's width.
 */
async function findReferencing(client: Pick<PoolClient, 'query'>, questions: readonly ReferencingQuestion[], lock = true): Promise<string[][][]> {
  const params: string[] = [];
  const ctes = questions.map(({ fk, parent, parentRows, known }, position) => {
    params.push(JSON.stringify(parentRows), JSON.stringify(known));
    const join = fk.childColumns.map((column, at) => `c.${escapeIdentifier(column)} = p.${escapeIdentifier(fk.parentColumns[at]!)}`).join(' AND ');
    return `r${position} AS (SELECT ${keyExpression(fk.child, 'c')} AS key FROM ${fk.child.sql} c
       WHERE EXISTS (SELECT 1 FROM ${parent.sql} p WHERE ${join} AND ${memberOf(parent, 'p', params.length - 1)})
         AND NOT ${memberOf(fk.child, 'c', params.length)}
       ${lock ? 'FOR UPDATE OF c' : ''})`;
  });
  const result = await client.query<{ position: number; key: string[] }>(
    `WITH ${ctes.join(',\n')}\n${questions.map((_, position) => `SELECT ${position} AS position, key FROM r${position}`).join('\nUNION ALL\n')}`,
    params,
  );
  const found = questions.map((): string[][] => []);
  for (const row of result.rows) found[row.position]!.push(row.key);
  return found;
}

interface LedgerEntry {
  table_name: string;
  pk: string[];
  created_xid: string | null;
  fingerprint: number[] | null;
  superseded: boolean;
}

/**
 * Which of each table's entries still name the tag's row; every row named is
 * locked FOR UPDATE first. All tables in one statement (a CTE each).
 */
async function lockOwnRows(
  client: Pick<PoolClient, 'query'>,
  tables: ReadonlyArray<{ table: TableRef; entries: readonly LedgerEntry[] }>,
  lock = true,
): Promise<Array<{ ours: string[][]; missing: number }>> {
  const ctes = tables.map(({ table }, position) => {
    const casts = table.keyColumns.map((column, at) => `t.${escapeIdentifier(column.name)} = (x.k->>${at})::${column.type}`).join(' AND ');
    return `l${position} AS (SELECT x.ord::text AS ord, t.xmin::text AS xmin, ${fingerprint(table.model!, 't')} AS fp
         FROM jsonb_array_elements($${position + 1}::jsonb) WITH ORDINALITY x(k, ord)
         JOIN ${table.sql} t ON ${casts}
        ${lock ? 'FOR UPDATE OF t' : ''})`;
  });
  const current = await client.query<{ position: number; ord: string; xmin: string; fp: number[] }>(
    `WITH ${ctes.join(',\n')}\n${tables.map((_, position) => `SELECT ${position} AS position, ord, xmin, fp FROM l${position}`).join('\nUNION ALL\n')}`,
    tables.map(({ entries }) => JSON.stringify(entries.map((entry) => entry.pk))),
  );
  const found = tables.map(() => new Map<number, { xmin: string; fingerprint: number[] }>());
  for (const row of current.rows) found[row.position]!.set(Number(row.ord) - 1, { xmin: row.xmin, fingerprint: row.fp });
  return tables.map(({ entries }, position) => {
    const ours: string[][] = [];
    let missing = 0;
    entries.forEach((entry, at) => {
      const verdict = ownershipOf({ createdXid: entry.created_xid, fingerprint: entry.fingerprint }, found[position]!.get(at), entry.superseded);
      if (verdict === 'ours') ours.push(entry.pk);
      else missing += 1;
    });
    return { ours, missing };
  });
}

/** Part of one table's entries, for batches: the `limit` last by key, and only those entries are removed. */
export interface LedgerScope {
  table: string;
  limit: number;
}

/** Per table of the ledger still modelled: the entries that still name the tag's row, and how many no longer do. */
interface OwnedRows {
  tables: Map<string, TableRef>;
  ours: Array<{ table: TableRef; pks: string[][] }>;
  /** Per table label: entries gone, re-keyed, replaced, or of a table no longer modelled. */
  missing: Record<string, number>;
  /** The entries read (the scope's, when given). */
  entries: LedgerEntry[];
}

/**
 * The tags' ledger entries checked against their tables (row-identity.ts):
 * locked FOR UPDATE for a removal, read only for a count. A table dropped,
 * or no longer in the target schemas, has no rows of testapi's to touch.
 */
async function ownedRows(db: Pick<PoolClient, 'query'>, index: ModelIndex, tags: readonly string[], lock: boolean, scope?: LedgerScope): Promise<OwnedRows> {
  const ledger = await db.query<LedgerEntry>(
    `SELECT e.table_name, e.pk, e.created_xid::text AS created_xid, e.fingerprint,
            EXISTS (SELECT 1 FROM testapi_row_ledger o WHERE o.table_name = e.table_name AND o.pk = e.pk AND o.created_xid > e.created_xid) AS superseded
       FROM testapi_row_ledger e
      WHERE e.tag = ANY($1::text[]) ${scope ? 'AND e.table_name = $2 ORDER BY e.pk DESC LIMIT $3' : ''}`,
    scope ? [tags, scope.table, scope.limit] : [tags],
  );
  const entries = new Map<string, LedgerEntry[]>();
  for (const row of ledger.rows) entries.set(row.table_name, [...(entries.get(row.table_name) ?? []), row]);
  const missing: Record<string, number> = {};
  if (entries.size === 0) return { tables: new Map(), ours: [], missing, entries: ledger.rows };
  const tables = await describeLedgerTables(db, [...entries.keys()], index);
  const described: Array<{ table: TableRef; entries: LedgerEntry[] }> = [];
  for (const [key, rows] of entries) {
    const table = tables.get(key);
    if (table) described.push({ table, entries: rows });
    else missing[index.get(key)?.label ?? key] = rows.length;
  }
  const checked = described.length > 0 ? await lockOwnRows(db, described, lock) : [];
  const ours = described.map(({ table }, position) => {
    const { ours: pks, missing: gone } = checked[position]!;
    if (gone > 0) missing[table.label] = (missing[table.label] ?? 0) + gone;
    return { table, pks };
  });
  return { tables, ours, missing, entries: ledger.rows };
}

/** The tag's own rows per table oid, where a dependents walk starts. */
function startingRows(owned: OwnedRows): { byOid: Map<number, TableRef>; removal: Map<number, RowSet> } {
  const byOid = new Map<number, TableRef>([...owned.tables.values()].map((table) => [table.oid, table]));
  const removal = new Map<number, RowSet>();
  for (const { table, pks } of owned.ours) if (pks.length > 0) removal.set(table.oid, new Map(pks.map((pk) => [identity(pk), pk])));
  return { byOid, removal };
}

/** Where a dependent row was found: the key that references the tag's (or another dependent's) row. */
export interface DependentVia {
  constraint: string;
  referencedTable: string;
}

interface DependentsWalk {
  dependentRows: Map<number, RowSet>;
  closure: ReferencingKey[];
  via: Map<number, Map<string, DependentVia>>;
  /** Dependents outside the target schemas (testapi never deletes them), by table oid. */
  outsideTargets: Set<number>;
}

/**
 * Rows of anyone else that reference `removal`'s rows, transitively: each
 * round looks at the rows added by the previous one, `removal` growing with
 * them. 'refuse' (or dependents outside the target schemas, under 'delete')
 * stops at the first round that finds any, with a DependentRowsError naming
 * every referencing key; 'list' finds them all, locks nothing and throws
 * nothing, so GET /tags/{tag}/dependents answers exactly what 'delete' would delete.
 */
async function walkDependents(
  client: Pick<PoolClient, 'query'>,
  index: ModelIndex,
  byOid: Map<number, TableRef>,
  removal: Map<number, RowSet>,
  policy: DependentsPolicy | 'list',
): Promise<DependentsWalk> {
  const dependentRows = new Map<number, RowSet>();
  const via = new Map<number, Map<string, DependentVia>>();
  const outsideTargets = new Set<number>();
  const closure = removal.size > 0 ? await referencingClosure(client, [...removal.keys()], index) : [];
  const refused: Reference[] = [];
  let outside = false;
  let deletable = true;
  let frontier = new Map(removal);
  while (frontier.size > 0) {
    const next = new Map<number, RowSet>();
    const questions: ReferencingQuestion[] = [];
    for (const fk of closure) {
      const parentRows = [...(frontier.get(fk.parent)?.values() ?? [])];
      if (parentRows.length === 0) continue;
      questions.push({ fk, parent: byOid.get(fk.parent)!, parentRows, known: [...(removal.get(fk.child.oid)?.values() ?? [])] });
    }
    const answers = questions.length > 0 ? await findReferencing(client, questions, policy !== 'list') : [];
    questions.forEach(({ fk, parent }, position) => {
      const found = answers[position]!;
      if (found.length === 0) return;
      if (policy !== 'list' && (policy === 'refuse' || !fk.child.inTargets)) {
        refused.push({ table: fk.child.label, constraint: fk.name, referencedTable: parent.label, rows: found.length });
        outside ||= policy === 'delete';
        deletable &&= fk.child.inTargets;
        return;
      }
      if (!fk.child.inTargets) outsideTargets.add(fk.child.oid);
      byOid.set(fk.child.oid, fk.child);
      const reasons = via.get(fk.child.oid) ?? new Map<string, DependentVia>();
      via.set(fk.child.oid, reasons);
      for (const key of found) if (!reasons.has(identity(key))) reasons.set(identity(key), { constraint: fk.name, referencedTable: parent.label });
      for (const target of [removal, next, dependentRows]) {
        const rows = target.get(fk.child.oid) ?? new Map<string, string[]>();
        for (const key of found) rows.set(identity(key), key);
        target.set(fk.child.oid, rows);
      }
    });
    if (refused.length > 0) throw new DependentRowsError(refused, outside, deletable && !outside);
    // `known` kept rows of earlier rounds out, so the frontier only holds new rows and the rounds end.
    frontier = next;
  }
  return { dependentRows, closure, via, outsideTargets };
}

export interface ListedDependents {
  /** Per table label: how many rows, whether testapi may delete them (in the target schemas), and the first `limit` with their keys. */
  tables: Record<string, { total: number; deletable: boolean; rows: Array<{ key: Record<string, string>; constraint: string; referencedTable: string }> }>;
}

/**
 * The rows outside `tag` that reference its rows, transitively: what
 * `dependents=delete` would delete with it (and, where `deletable` is false,
 * what stops it). Read only: nothing locked or changed.
 */
export async function listDependents(db: Pick<PoolClient, 'query'>, index: ModelIndex, tag: string, limit: number): Promise<ListedDependents> {
  const owned = await ownedRows(db, index, [tag], false);
  const { byOid, removal } = startingRows(owned);
  const walk = await walkDependents(db, index, byOid, removal, 'list');
  const tables: ListedDependents['tables'] = {};
  for (const [oid, rows] of walk.dependentRows) {
    const table = byOid.get(oid)!;
    const names = table.keyColumns.length > 0 ? table.keyColumns.map((column) => column.name) : ['ctid'];
    const reasons = walk.via.get(oid)!;
    const listed = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit);
    tables[table.label] = {
      total: rows.size,
      deletable: !walk.outsideTargets.has(oid),
      rows: listed.map(([id, key]) => ({ key: Object.fromEntries(names.map((name, position) => [name, key[position]!])), ...reasons.get(id)! })),
    };
  }
  return { tables };
}

/**
 * Deletes the ledger rows of `tags` from their tables (and, with 'delete',
 * every row that references them, transitively) in one statement, children
 * first; then removes the tags' ledger entries (all of them, missing ones
 * too: the tag is gone). NO ACTION keys are checked at the end of that
 * statement, so self-references and cycles of nullable keys inside the set
 * need no particular order. With `scope`, only that part of one table.
 */
export async function removeLedgerRows(client: PoolClient, index: ModelIndex, tags: readonly string[], policy: DependentsPolicy, scope?: LedgerScope): Promise<LedgerRemoval> {
  const owned = await ownedRows(client, index, tags, true, scope);
  const counts: Record<string, number> = {};
  const dependents: Record<string, number> = {};
  const missing = owned.missing;
  if (owned.entries.length === 0) return { counts, dependents, missing };
  const { byOid, removal } = startingRows(owned);
  const { dependentRows, closure } = await walkDependents(client, index, byOid, removal, policy);

  const order = childrenFirst([...removal.keys()], closure);
  const params: unknown[] = [tags];
  const ctes = order.map((oid, position) => {
    const table = byOid.get(oid)!;
    params.push(JSON.stringify([...removal.get(oid)!.values()]));
    return `d${position} AS (DELETE FROM ${table.sql} t WHERE ${memberOf(table, 't', params.length)} RETURNING ${keyExpression(table, 't')} AS key)`;
  });
  if (scope) {
    params.push(scope.table, JSON.stringify(owned.entries.map((row) => row.pk)));
    ctes.push(`gone AS (DELETE FROM testapi_row_ledger WHERE tag = ANY($1::text[]) AND table_name = $${params.length - 1} AND pk IN (SELECT x FROM jsonb_array_elements($${params.length}::jsonb) x))`);
  } else {
    ctes.push('gone AS (DELETE FROM testapi_row_ledger WHERE tag = ANY($1::text[]))');
  }
  const selects = order.map((_, position) => `SELECT ${position} AS position, key FROM d${position}`);
  const result = await client.query<{ position: number; key: string[] }>(
    `WITH ${ctes.join(',\n')}\n${selects.length > 0 ? selects.join('\nUNION ALL\n') : 'SELECT NULL::int AS position, NULL::jsonb AS key WHERE false'}`,
    params,
  );
  for (const row of result.rows) {
    const oid = order[row.position]!;
    const label = byOid.get(oid)!.label;
    if (dependentRows.get(oid)?.has(identity(row.key))) dependents[label] = (dependents[label] ?? 0) + 1;
    else counts[label] = (counts[label] ?? 0) + 1;
  }
  return { counts, dependents, missing };
}

/** Tables ordered so that a referencing table comes before the table it references; cycles keep their given order. */
function childrenFirst(oids: readonly number[], fks: readonly ReferencingKey[]): number[] {
  const inSet = new Set(oids);
  const ordered: number[] = [];
  const placed = new Set<number>();
  const visiting = new Set<number>();
  const place = (oid: number): void => {
    if (placed.has(oid) || visiting.has(oid)) return;
    visiting.add(oid);
    // Children (tables referencing this one) first.
    for (const fk of fks) if (fk.parent === oid && fk.child.oid !== oid && inSet.has(fk.child.oid)) place(fk.child.oid);
    visiting.delete(oid);
    placed.add(oid);
    ordered.push(oid);
  };
  for (const oid of oids) place(oid);
  return ordered;
}

/**
 * The tag's rows in the ledger's tables as they are now (GET /tags/{tag}):
 * per table, how many are still the tag's by the same test the removal makes
 * (row-identity.ts), and how many it created are no longer its own (the
 * application deleted them, re-keyed them, or someone else's row took the
 * key). Reads only, no locks.
 */
export async function liveLedgerCounts(db: Pick<PoolClient, 'query'>, index: ModelIndex, tag: string): Promise<{ counts: Record<string, number>; missing: Record<string, number> }> {
  const owned = await ownedRows(db, index, [tag], false);
  const counts: Record<string, number> = {};
  for (const { table, pks } of owned.ours) if (pks.length > 0) counts[table.label] = (counts[table.label] ?? 0) + pks.length;
  return { counts, missing: owned.missing };
}
