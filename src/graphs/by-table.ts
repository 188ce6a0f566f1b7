import type { PoolClient } from 'pg';
import type { GraphPlan, PlanNode } from './graph-plan';
import { insertRows, NodeWriteError, planColumns, writeGraph, type ColumnPlan, type Row } from './graph-writer';
import { orderByNeeds } from './node-order';
import { drawPresets, presetsFor } from './one-statement';

/**
 * From this many nodes a graph whose keys can all be drawn up front goes in
 * statements per table rather than per node: 16,000 chained nodes were
 * 16,000 INSERT round trips (issue 26).
 */
export const BY_TABLE_MIN_NODES = 64;

/**
 * Writes the plan inside the caller's transaction: per table when that is
 * possible (every key a child needs comes from a sequence or is a uuid, and
 * the tables' foreign keys among themselves have no cycle but
 * self-references), else node by node (graph-writer.ts). Per table, rows go
 * in plan order, so a self-reference always points at a row of the same or
 * an earlier statement; PostgreSQL checks a non-deferred foreign key at the
 * end of each statement, so order inside one statement does not matter.
 * The values are those the node-by-node path draws: same streams, same salts.
 */
export async function writePlannedGraph(client: PoolClient, plan: GraphPlan, requestId: string): Promise<Map<PlanNode, Row[]>> {
  const presets = plan.nodes.length >= BY_TABLE_MIN_NODES ? presetsFor(plan, Number.POSITIVE_INFINITY) : undefined;
  if (!presets) return writeGraph(client, plan, requestId);
  const tables = new Map(plan.nodes.map((node) => [node.table.key, node.table]));
  const order = orderByNeeds([...tables.values()], (table) => table.foreignKeys.filter((fk) => fk.references !== table.key && tables.has(fk.references)).map((fk) => tables.get(fk.references)!));
  if (order.unplaced.length > 0) return writeGraph(client, plan, requestId);

  const preset = await drawPresets(client, plan, presets);
  const virtual = new Map<PlanNode, Row[]>();
  const planned = new Map<PlanNode, ColumnPlan[]>();
  for (const [position, node] of plan.nodes.entries()) {
    try {
      const columns = await planColumns(undefined, plan, node, virtual, `${requestId}${(position + 1).toString(36)}x`, preset.get(node));
      planned.set(node, columns);
      virtual.set(node, Array.from({ length: node.rows }, (_, row) => Object.fromEntries(columns.map((entry) => [entry.column.name, entry.values(row)]))));
    } catch (error) {
      throw error instanceof Error && 'status' in error ? error : new NodeWriteError(node, error);
    }
  }
  const written = new Map<PlanNode, Row[]>();
  for (const table of order.ordered) {
    const nodes = plan.nodes.filter((node) => node.table.key === table.key);
    // Runs of nodes naming the same columns: one INSERT takes one column list.
    for (let first = 0; first < nodes.length; ) {
      const signature = planned.get(nodes[first]!)!.map((entry) => entry.column.name).join('\u0000');
      let last = first + 1;
      while (last < nodes.length && planned.get(nodes[last]!)!.map((entry) => entry.column.name).join('\u0000') === signature) last += 1;
      const run = nodes.slice(first, last);
      await insertRun(client, plan.tag, run, planned, written);
      first = last;
    }
  }
  return written;
}

async function insertRun(client: PoolClient, tag: string, run: PlanNode[], planned: Map<PlanNode, ColumnPlan[]>, written: Map<PlanNode, Row[]>): Promise<void> {
  const template = planned.get(run[0]!)!;
  const rows = run.reduce((sum, node) => sum + node.rows, 0);
  const columns: ColumnPlan[] = template.map((entry, index) => {
    const values: unknown[] = new Array(rows);
    let at = 0;
    for (const node of run) {
      const own = planned.get(node)![index]!;
      for (let row = 0; row < node.rows; row += 1) values[at++] = own.values(row);
    }
    return { column: entry.column, values: (row) => values[row] };
  });
  let stored: Row[];
  try {
    stored = await insertRows(client, tag, { table: run[0]!.table, rows }, columns);
  } catch (error) {
    throw new NodeWriteError(run[0]!, error);
  }
  let at = 0;
  for (const node of run) {
    written.set(node, stored.slice(at, at + node.rows));
    at += node.rows;
  }
}
