import type { ForeignKeyModel, TableModel } from '../schema/schema-model';

export interface InsertOrder {
  /** Parents before children. */
  tables: TableModel[];
  /**
   * Foreign keys whose target is not written yet when their table is: a
   * self-reference, or the key that breaks a cycle. Rows are inserted with
   * them NULL and updated once every table is written.
   */
  deferred: Map<string, ForeignKeyModel[]>;
}

/**
 * Orders `tables` parents first by their foreign keys among themselves
 * (keys to tables outside the set point at existing rows and impose nothing).
 * Deterministic: ties keep the model's order, so two exports of one tag list
 * their tables alike.
 */
export function insertOrder(tables: readonly TableModel[]): InsertOrder {
  const inSet = new Map(tables.map((table) => [table.key, table]));
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const ordered: TableModel[] = [];
  const place = (table: TableModel): void => {
    if (placed.has(table.key) || visiting.has(table.key)) return;
    visiting.add(table.key);
    for (const fk of table.foreignKeys) {
      const parent = inSet.get(fk.references);
      if (parent && parent.key !== table.key) place(parent);
    }
    visiting.delete(table.key);
    placed.add(table.key);
    ordered.push(table);
  };
  for (const table of tables) place(table);

  const position = new Map(ordered.map((table, index) => [table.key, index]));
  const deferred = new Map<string, ForeignKeyModel[]>();
  for (const table of ordered) {
    const late = table.foreignKeys.filter((fk) => inSet.has(fk.references) && position.get(fk.references)! >= position.get(table.key)!);
    if (late.length > 0) deferred.set(table.key, late);
  }
  return { tables: ordered, deferred };
}
