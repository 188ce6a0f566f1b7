import { PerRowValue } from './per-row-values';
import type { PlanNode } from './graph-plan';

/**
 * A unique key (primary key or unique constraint) that the request alone
 * decides for every row of a node, with two rows getting the same value:
 * e.g. `count: 3` rows connected to a 2-row alias over a composite key
 * (articleId, tagName). PostgreSQL would refuse it with a 409 that no retry
 * can help; found here, before anything is written, it is a 400 naming the
 * node. Each key column's value per row follows the writer's rules
 * (graph-writer.ts, sourcesOf): the tree parent row floor(i / count), alias
 * row i mod n, one created parent per row, or the one value given in set.
 * Columns testapi generates or PostgreSQL fills differ per row, so a key with
 * one of them is never checked. Linear in the node's rows.
 */
export interface RepeatedKey {
  constraint: string;
  columns: string[];
  /** The first two rows (0-based) that share the key. */
  rows: [number, number];
}

type Determinant = (row: number) => string;

function determinant(node: PlanNode, column: string): Determinant | undefined {
  if (Object.hasOwn(node.set, column)) {
    const value = node.set[column];
    // NULLs never collide in a unique key; values per row (templates, choices) are PostgreSQL's to judge.
    if (value === null || value instanceof PerRowValue) return undefined;
    const text = `s${JSON.stringify(value)}`;
    return () => text;
  }
  if (node.parent?.fk.columns.includes(column)) {
    const count = node.count;
    return (row) => `p${Math.floor(row / count)}`;
  }
  const connection = node.connect.find((candidate) => candidate.fk.columns.includes(column));
  // How many existing rows match is known only when they are read: PostgreSQL judges those keys.
  if (connection?.target.existing) return undefined;
  if (connection) {
    const rows = connection.target.rows;
    return (row) => `c${row % rows}`;
  }
  const created = node.created.find((candidate) => candidate.fk.columns.includes(column));
  if (created?.node.existing) return undefined;
  if (created) {
    const rows = created.node.rows;
    return (row) => `k${row % rows}`;
  }
  return undefined;
}

export function repeatedKey(node: PlanNode): RepeatedKey | undefined {
  if (node.rows < 2) return undefined;
  const keys = [
    { name: `${node.table.name}'s primary key`, columns: node.table.primaryKey },
    // A partial index's predicate may leave the rows out of it: not decidable here.
    ...node.table.uniques.filter((unique) => unique.predicate === null),
  ];
  for (const key of keys) {
    if (key.columns.length === 0) continue;
    const parts = key.columns.map((column) => determinant(node, column));
    if (parts.some((part) => part === undefined)) continue;
    // A key that set alone fixes for every row: PostgreSQL's 409 says so (collision: within-request), naming the constraint.
    if (key.columns.every((column) => Object.hasOwn(node.set, column))) continue;
    const seen = new Map<string, number>();
    for (let row = 0; row < node.rows; row += 1) {
      const tuple = parts.map((part) => part!(row)).join('\u0000');
      const first = seen.get(tuple);
      if (first !== undefined) return { constraint: key.name, columns: key.columns, rows: [first, row] };
      seen.set(tuple, row);
    }
  }
  return undefined;
}
