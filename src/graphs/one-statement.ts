import { randomUUID } from 'node:crypto';
import { escapeIdentifier } from 'pg';
import type { Queryable } from '../db/transaction';
import { TAG_UPSERT_VALUES } from '../provisioning/tag-lease.repository';
import type { ColumnModel } from '../schema/schema-model';
import type { GraphPlan, PlanNode } from './graph-plan';
import { NodeWriteError, needsAllocation, planColumns, type ColumnPlan, type Row } from './graph-writer';
import { ledgerInsert } from '../tags/row-identity';
import { qualifiedName } from './key-allocator';
import { recordSelectList } from './record-format';

/**
 * A small graph in two round trips instead of one per node: the keys that
 * children point at are drawn from their sequences first (nextval, outside
 * any transaction, as PostgreSQL would anyway), then the tag, every node's
 * rows and their ledger rows go in one statement of data-modifying CTEs,
 * atomic by itself. Foreign keys are checked at the end of that statement,
 * when every parent is there. Graphs that need a key allocated under a lock,
 * or whose children point at a column only PostgreSQL can fill, take the
 * node-by-node path.
 */
export const ONE_STATEMENT_MAX_ROWS = 500;

export interface Preset {
  column: ColumnModel;
  /** `uuid`: drawn here; otherwise the sequence behind a serial or identity column. */
  how: 'sequence' | 'identity' | 'uuid';
}

function sourcesOf(node: PlanNode): Array<{ target: PlanNode; columns: string[] }> {
  return [
    ...(node.parent ? [{ target: node.parent.node, columns: node.parent.fk.referencedColumns }] : []),
    ...node.connect.map((connection) => ({ target: connection.target, columns: connection.fk.referencedColumns })),
    ...node.created.map((created) => ({ target: created.node, columns: created.fk.referencedColumns })),
  ];
}

/** Which columns must be known before any write, per node; undefined when the graph cannot go in one statement. */
export function presetsFor(plan: GraphPlan, maxRows = ONE_STATEMENT_MAX_ROWS): Map<PlanNode, Preset[]> | undefined {
  // Existing rows are read first, inside a transaction: the node-by-node path.
  if (plan.rows > maxRows || plan.existing.length > 0) return undefined;
  const presets = new Map<PlanNode, Preset[]>();
  for (const node of plan.nodes) {
    const { table } = node;
    if (table.columns.some((column) => !(column.name in node.set) && needsAllocation(column, table.primaryKey.includes(column.name)))) return undefined;
    for (const source of sourcesOf(node)) {
      for (const name of source.columns) {
        const column = source.target.table.columns.find((candidate) => candidate.name === name)!;
        if (name in source.target.set) continue;
        const kind = column.generator.kind;
        let how: Preset['how'] | undefined;
        if (kind === 'sequence') how = 'sequence';
        else if (kind === 'identity') how = 'identity';
        else if (kind === 'default' && column.baseType === 'uuid') how = 'uuid';
        else if (['generated', 'default', 'null', 'none'].includes(kind)) return undefined;
        if (!how) continue;
        const list = presets.get(source.target) ?? [];
        if (!list.some((preset) => preset.column.name === name)) list.push({ column, how });
        presets.set(source.target, list);
      }
    }
  }
  return presets;
}

/** Draws every preset key: one statement for all sequences of the graph. */
export async function drawPresets(pool: Queryable, plan: GraphPlan, presets: Map<PlanNode, Preset[]>): Promise<Map<PlanNode, Map<string, unknown[]>>> {
  const values = new Map<PlanNode, Map<string, unknown[]>>(plan.nodes.map((node) => [node, new Map()]));
  const requests: Array<{ i: number; seq: string | null; tab: string; col: string; n: number }> = [];
  const wanted: Array<{ node: PlanNode; column: ColumnModel }> = [];
  for (const [node, list] of presets) {
    for (const preset of list) {
      if (preset.how === 'uuid') {
        values.get(node)!.set(preset.column.name, Array.from({ length: node.rows }, () => randomUUID()));
        continue;
      }
      requests.push({ i: wanted.length, seq: preset.how === 'sequence' ? preset.column.sequence : null, tab: node.table.key, col: preset.column.name, n: node.rows });
      wanted.push({ node, column: preset.column });
    }
  }
  if (requests.length === 0) return values;
  const result = await pool.query<{ i: number; v: string }>(
    `SELECT k.i, nextval(coalesce(k.seq, pg_get_serial_sequence(k.tab, k.col))::regclass)::text AS v
     FROM jsonb_to_recordset($1::jsonb) AS k(i int, seq text, tab text, col text, n int), generate_series(1, k.n)`,
    [JSON.stringify(requests)],
  );
  for (const row of result.rows) {
    const { node, column } = wanted[row.i]!;
    const list = values.get(node)!.get(column.name) ?? [];
    // int2/int4 come back from pg as numbers elsewhere: keep the answer's types alike.
    list.push(column.baseType === 'int8' ? row.v : Number(row.v));
    values.get(node)!.set(column.name, list);
  }
  return values;
}

function tuples(node: PlanNode, columns: ColumnPlan[], params: unknown[]): string {
  const rows: string[] = [];
  for (let row = 0; row < node.rows; row += 1) {
    if (columns.length === 0) {
      rows.push('(DEFAULT)');
      continue;
    }
    rows.push(`(${columns.map((entry) => {
      params.push(entry.values(row));
      return `$${params.length}`;
    }).join(', ')})`);
  }
  return rows.join(', ');
}

export interface OneStatementResult {
  expiresAt: Date;
  written: Map<PlanNode, Row[]>;
}

/** Writes the graph (its `presets` from presetsFor) with its tag in one statement, its own transaction (after the key draws). */
export async function writeGraphInOneStatement(pool: Queryable, plan: GraphPlan, presets: Map<PlanNode, Preset[]>, requestId: string): Promise<OneStatementResult> {
  const preset = await drawPresets(pool, plan, presets);
  const virtual = new Map<PlanNode, Row[]>();
  const params: unknown[] = [plan.tag, plan.ttlSeconds];
  const ctes = [`tag_lease AS (${TAG_UPSERT_VALUES} RETURNING expires_at)`];
  const selects = ['SELECT -1 AS node, to_json(tag_lease.expires_at) AS row FROM tag_lease'];
  for (const [position, node] of plan.nodes.entries()) {
    const columns = await planColumns(undefined, plan, node, virtual, `${requestId}${(position + 1).toString(36)}x`, preset.get(node));
    virtual.set(node, Array.from({ length: node.rows }, (_, row) => Object.fromEntries(columns.map((entry) => [entry.column.name, entry.values(row)]))));
    const { table } = node;
    const names = columns.length > 0 ? columns.map((entry) => escapeIdentifier(entry.column.name)) : [escapeIdentifier(table.columns[0]!.name)];
    // A GENERATED ALWAYS identity given a value drawn from its own sequence.
    const overriding = columns.some((entry) => entry.column.identity === 'always') ? ' OVERRIDING SYSTEM VALUE' : '';
    ctes.push(`n${position} AS (INSERT INTO ${qualifiedName(table)} (${names.join(', ')})${overriding} VALUES ${tuples(node, columns, params)} RETURNING *)`);
    if (!table.hasTestTag) {
      params.push(table.key);
      ctes.push(`l${position} AS (${ledgerInsert(table, `n${position}`, `$${params.length}`)})`);
    }
    // The records' format (record-format.ts), so that this path answers what the node-by-node one does.
    selects.push(`SELECT ${position}, to_json(r) FROM (SELECT ${recordSelectList(table)} FROM n${position}) AS r`);
  }
  let rows: Array<{ node: number; row: unknown }>;
  try {
    rows = (await pool.query<{ node: number; row: unknown }>(`WITH ${ctes.join(',\n')}\n${selects.join('\nUNION ALL\n')}`, params)).rows;
  } catch (error) {
    // One statement for every node: name the node of the table PostgreSQL names.
    const table = (error as { table?: string }).table;
    throw new NodeWriteError(plan.nodes.find((node) => node.table.name === table) ?? plan.nodes[0]!, error);
  }
  const written = new Map<PlanNode, Row[]>(plan.nodes.map((node) => [node, []]));
  let expiresAt = new Date(Number.NaN);
  for (const { node, row } of rows) {
    if (node === -1) expiresAt = new Date(row as string);
    else written.get(plan.nodes[node]!)!.push(row as Row);
  }
  return { expiresAt, written };
}
