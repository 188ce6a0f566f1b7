import type { ForeignKeyModel, TableModel } from '../schema/schema-model';

/**
 * A validated graph request, unrolled into nodes the writer runs in order.
 * A node stands for `count` rows per row of its parent (or `count` rows at
 * the top level); every reference between nodes is resolved here, so the
 * writer never looks a name up.
 */
export interface PlanNode {
  /** Where the node is in the request (`graph.customer[0].invoice[0]`), or what it was created for. */
  path: string;
  table: TableModel;
  /** Rows per row of the tree parent (top level: rows in all). */
  count: number;
  /** Rows in all. */
  rows: number;
  /** The key from this table to its tree parent: row i belongs to parent row floor(i / count). */
  parent?: { node: PlanNode; fk: ForeignKeyModel };
  alias?: string;
  set: Record<string, unknown>;
  /** Foreign keys pointed at rows of an aliased node: row i takes alias row i mod n. */
  connect: Array<{ fk: ForeignKeyModel; target: PlanNode; path: string }>;
  /** Required parents nobody gave: one parent row per row of this node, row i takes parent row i. */
  created: Array<{ fk: ForeignKeyModel; node: PlanNode }>;
  /** True for a parent testapi adds for a required foreign key. */
  implicit: boolean;
  /**
   * Rows read from the database instead of written (connect `existing`,
   * parents "existing"): the application's own rows matching `where`, never
   * written, recorded or deleted. `columns` are those the referencing keys
   * need; `optional` lets no match leave a nullable key NULL.
   */
  existing?: { where: Record<string, unknown>; columns: Set<string>; optional: boolean };
}

/** How a node gets the required parents nobody gave: one per row (the default), one for the whole node, or existing rows. */
export type ParentMode = 'per-row' | 'shared' | 'existing';
export const PARENT_MODES: readonly ParentMode[] = ['per-row', 'shared', 'existing'];
/** `parents` of a request or node: one mode for every parent table, or per table key. */
export type ParentsChoice = { all: ParentMode | undefined; byTable: ReadonlyMap<string, ParentMode> };

export interface GraphPlan {
  tag: string;
  seed: number;
  ttlSeconds: number;
  /** The request's clock (ms): `clock` of the body, else the request's time in whole seconds. Generated times are placed by it. */
  clock: number;
  /** Parents before children, aliases before those connecting to them. */
  nodes: PlanNode[];
  /** Nodes of existing rows the graph references (read before the first write, never written). */
  existing: PlanNode[];
  rows: number;
}

/** The foreign keys a node's rows get from somewhere (parent, connect, set) rather than from a created parent. */
export function givenForeignKeys(node: Pick<PlanNode, 'parent' | 'connect' | 'set'>): Set<string> {
  const given = new Set<string>();
  if (node.parent) given.add(node.parent.fk.name);
  for (const connection of node.connect) given.add(connection.fk.name);
  return given;
}

/** A foreign key every row must fill: all its columns NOT NULL and without a default. */
export function isRequired(table: TableModel, fk: ForeignKeyModel): boolean {
  return fk.columns.every((name) => {
    const column = table.columns.find((candidate) => candidate.name === name);
    return column !== undefined && !column.nullable && column.default === null && column.identity === null && !column.generated;
  });
}

/**
 * What a nullable foreign key nobody gave gets: `owners` (the default)
 * creates a parent for keys that name the row's owner and leaves the rest
 * NULL; `create` creates a parent for every one; `existing` takes an
 * existing row of the parent table where there is one; `null` leaves them all NULL.
 */
export type NullableKeys = 'owners' | 'create' | 'existing' | 'null';
export const NULLABLE_KEYS: readonly NullableKeys[] = ['owners', 'create', 'existing', 'null'];

