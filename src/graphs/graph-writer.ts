import { escapeIdentifier, type PoolClient } from 'pg';
import { leaseRandomSources } from '../provisioning/seeded-random';
import type { ColumnModel, ForeignKeyModel, TableModel } from '../schema/schema-model';
import { DATABASE_FILLED } from '../schema/generators';
import type { GraphPlan, PlanNode } from './graph-plan';
import { allocateIntegers, allocateTexts, qualifiedName } from './key-allocator';
import { ledgerInsert } from '../tags/row-identity';
import { recordSelectList } from './record-format';
import { drawColumn, type RowTimes } from './value-factory';
import { rowTimes } from './row-times';
import { keepOrderings } from './column-orderings';
import { deriveSlugs } from './derived-slugs';
import { readExistingRows } from './existing-rows';
import { PerRowValue, perRowValues } from './per-row-values';

/** Kinds whose values are placed by the request's clock and the row's created time. */
const TIMED_KINDS = new Set(['recent-date', 'created-time', 'later-time', 'future-time']);

/**
 * Writes a planned graph inside the caller's transaction: node by node,
 * parents first, each node's rows in multi-row INSERTs that return the rows
 * as stored (keys and defaults included). Rows of tables without a test_tag
 * column are recorded in the row ledger by the same statement, so a row and
 * its ledger entry commit or roll back together.
 */
export type Row = Record<string, unknown>;

/** PostgreSQL's bind parameter limit is 65,535 per statement; stay clear of it. */
const MAX_PARAMETERS = 60_000;
/**
 * From this many rows a node goes through one array parameter per column
 * (INSERT ... SELECT FROM unnest): a 100,000-row VALUES list spent most of
 * its time parsing and planning 60,000 bind parameters per chunk.
 */
const ARRAY_PATH_ROWS = 100;
const ARRAY_CHUNK_ROWS = 50_000;

/** A failure while writing `node`, so the caller can name its table. */
export class NodeWriteError extends Error {
  constructor(
    readonly node: PlanNode,
    override readonly cause: unknown,
  ) {
    super((cause as Error)?.message ?? 'write failed');
  }
}

/** FNV-1a over `${path}\u0000`, mixed with the request seed: the state every column of a node's streams continues from. */
function pathHash(seed: number, path: string): number {
  let hash = 0x811c9dc5 ^ seed;
  const text = `${path}\u0000`;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

/** FNV-1a over `${path}\u0000${column}` mixed with the seed (from pathHash): one stream per node and column. */
function streamSeed(prefix: number, column: string): number {
  let hash = prefix;
  for (let index = 0; index < column.length; index += 1) {
    hash ^= column.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

interface Source {
  fk: ForeignKeyModel;
  /** Rows of the node the key points at, and which of them row i takes. */
  rows: Row[];
  pick(row: number): number;
}

function sourcesOf(node: PlanNode, written: Map<PlanNode, Row[]>): Source[] {
  const sources: Source[] = [];
  if (node.parent) {
    const rows = written.get(node.parent.node)!;
    sources.push({ fk: node.parent.fk, rows, pick: (row) => Math.floor(row / node.count) });
  }
  for (const connection of node.connect) {
    const rows = written.get(connection.target)!;
    sources.push({ fk: connection.fk, rows, pick: (row) => row % rows.length });
  }
  // One parent per row, one for the node (shared), or existing rows spread in turn.
  for (const created of node.created) {
    const rows = written.get(created.node)!;
    sources.push({ fk: created.fk, rows, pick: (row) => row % rows.length });
  }
  return sources;
}

export interface ColumnPlan {
  column: ColumnModel;
  values: (row: number) => unknown;
}

/**
 * The columns a node's INSERT names and how each row's value is found.
 * `preset` holds values PostgreSQL would otherwise fill (keys drawn from
 * their sequences up front), so that children can be planned before the
 * parent is written (see one-statement.ts).
 */
export async function planColumns(
  client: PoolClient | undefined,
  plan: GraphPlan,
  node: PlanNode,
  written: Map<PlanNode, Row[]>,
  salt: string,
  preset?: ReadonlyMap<string, unknown[]>,
): Promise<ColumnPlan[]> {
  const { table, rows } = node;
  const sources = sourcesOf(node, written);
  const primary = new Set(table.primaryKey);
  const columns: ColumnPlan[] = [];
  let prefix: number | undefined;
  let times: RowTimes | undefined;
  const drawnNames = new Set<string>();
  // Drawn once per node from a stream of its own, whichever date columns the table has.
  const timesOf = (): RowTimes => {
    if (times) return times;
    const streams = leaseRandomSources(streamSeed((prefix ??= pathHash(plan.seed, node.path)), '\u0000created'));
    try {
      return (times = rowTimes(plan.clock, rows, streams.random));
    } finally {
      streams.release();
    }
  };
  for (const column of table.columns) {
    const name = column.name;
    if (name in node.set) {
      const value = node.set[name];
      if (value instanceof PerRowValue) {
        const streams = leaseRandomSources(streamSeed((prefix ??= pathHash(plan.seed, node.path)), name));
        try {
          columns.push({ column, values: await perRowValues(value, rows, streams.random, salt) });
        } finally {
          streams.release();
        }
      } else columns.push({ column, values: () => value });
      continue;
    }
    const source = sources.find((candidate) => candidate.fk.columns.includes(name));
    if (source) {
      const referenced = source.fk.referencedColumns[source.fk.columns.indexOf(name)]!;
      // No existing row for a nullable key: it stays NULL.
      if (source.rows.length === 0) columns.push({ column, values: () => null });
      else columns.push({ column, values: (row) => source.rows[source.pick(row)]![referenced] });
      continue;
    }
    const given = preset?.get(name);
    if (given) {
      columns.push({ column, values: (row) => given[row] });
      continue;
    }
    const kind = column.generator.kind;
    if (DATABASE_FILLED.has(kind) || kind === 'foreign-key' || kind === 'null' || kind === 'none') continue;
    if (kind === 'tag') {
      columns.push({ column, values: () => plan.tag });
      continue;
    }
    const streams = leaseRandomSources(streamSeed((prefix ??= pathHash(plan.seed, node.path)), name));
    try {
      if (needsAllocation(column, primary.has(name))) {
        // one-statement.ts only plans without a client when no column needs allocating.
        if (!client) throw new Error(`planColumns: ${table.label}.${name} needs a key allocation inside a transaction`);
        if (kind === 'key-text') {
          const keys = await allocateTexts(client, table, column, rows, streams.random, streams.faker);
          columns.push({ column, values: (row) => keys[row] });
          continue;
        }
        const keys = await allocateIntegers(client, table, column, rows);
        columns.push({ column, values: (row) => keys[row] });
      } else {
        const drawn = drawColumn(column, rows, {
          faker: streams.faker,
          random: streams.random,
          salt: (row) => `${salt}${row.toString(36)}`,
          times: TIMED_KINDS.has(kind) ? timesOf() : undefined,
        });
        columns.push({ column, values: (row) => drawn[row] });
        drawnNames.add(name);
      }
    } finally {
      streams.release();
    }
  }
  deriveSlugs(columns, drawnNames, (row) => `${salt}${row.toString(36)}`);
  keepOrderings(table, columns, drawnNames);
  return columns;
}

/** Keys testapi allocates under a per-table lock (held until COMMIT). */
export function needsAllocation(column: ColumnModel, isPrimaryKey: boolean): boolean {
  const kind = column.generator.kind;
  return kind === 'key-integer' || kind === 'key-text' || (column.unique && !isPrimaryKey && kind === 'integer');
}

export async function insertRows(client: PoolClient, tag: string, node: Pick<PlanNode, 'table' | 'rows'>, columns: ColumnPlan[]): Promise<Row[]> {
  const { table } = node;
  const target = qualifiedName(table);
  // A table whose every column PostgreSQL fills still needs one named column to insert DEFAULTs into.
  const names = columns.length > 0 ? columns.map((entry) => escapeIdentifier(entry.column.name)) : [escapeIdentifier(table.columns[0]!.name)];
  const ledger = !table.hasTestTag;
  const record = recordSelectList(table);
  // The ledger keys the stored row (RETURNING *); the answer takes the records' format (record-format.ts).
  const withLedger = (insert: string): string =>
    ledger
      ? `WITH ins AS (${insert} RETURNING *), led AS (${ledgerInsert(table, 'ins', '$2')}) SELECT ${record} FROM ins`
      : `${insert} RETURNING ${record}`;
  const stored: Row[] = [];
  // Array columns cannot ride in unnest() (it would flatten them); small nodes are cheaper as one VALUES list.
  if (node.rows >= ARRAY_PATH_ROWS && columns.length > 0 && columns.every((entry) => !entry.column.isArray)) {
    for (let first = 0; first < node.rows; first += ARRAY_CHUNK_ROWS) {
      const last = Math.min(node.rows, first + ARRAY_CHUNK_ROWS);
      const params: unknown[] = ledger ? [tag, table.key] : [];
      const arrays = columns.map((entry) => {
        const values: unknown[] = new Array(last - first);
        for (let row = first; row < last; row += 1) values[row - first] = entry.values(row);
        params.push(values);
        return `$${params.length}::${entry.column.type}[]`;
      });
      const result = await client.query<Row>(withLedger(`INSERT INTO ${target} (${names.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')})`), params);
      for (const row of result.rows) stored.push(row);
    }
    return stored;
  }
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length)));
  for (let first = 0; first < node.rows; first += perChunk) {
    const last = Math.min(node.rows, first + perChunk);
    const params: unknown[] = ledger ? [tag, table.key] : [];
    const tuples: string[] = [];
    for (let row = first; row < last; row += 1) {
      if (columns.length === 0) {
        tuples.push('(DEFAULT)');
        continue;
      }
      const slots = columns.map((entry) => {
        params.push(entry.values(row));
        return `$${params.length}`;
      });
      tuples.push(`(${slots.join(', ')})`);
    }
    const result = await client.query<Row>(withLedger(`INSERT INTO ${target} (${names.join(', ')}) VALUES ${tuples.join(', ')}`), params);
    for (const row of result.rows) stored.push(row);
  }
  return stored;
}

/** Writes every node of the plan; returns the stored rows of each. */
export async function writeGraph(client: PoolClient, plan: GraphPlan, requestId: string): Promise<Map<PlanNode, Row[]>> {
  const written = new Map<PlanNode, Row[]>();
  for (const [node, rows] of await readExistingRows(client, plan)) written.set(node, rows);
  let ordinal = 0;
  for (const node of plan.nodes) {
    ordinal += 1;
    try {
      const columns = await planColumns(client, plan, node, written, `${requestId}${ordinal.toString(36)}x`);
      written.set(node, await insertRows(client, plan.tag, node, columns));
    } catch (error) {
      throw error instanceof Error && 'status' in error ? error : new NodeWriteError(node, error);
    }
  }
  return written;
}
