import type { DataSource } from 'typeorm';
import { DOMAIN_TABLES_INSERT_ORDER, type DomainTable } from '../db/tables';

export interface ColumnSpec {
  /** snake_case name in SQL. */
  column: string;
  /** camelCase name in records and responses. */
  property: string;
}

export interface TableSpec {
  table: DomainTable;
  columns: ColumnSpec[];
  /** `"col_a", "col_b", ...` in column order. */
  columnList: string;
  hasCreatedAt: boolean;
}

export type TableSpecs = Record<DomainTable, TableSpec>;

const cache = new WeakMap<DataSource, TableSpecs>();

/**
 * Column lists of the domain tables, read from the entities' metadata: a
 * column added to an entity (and its migration) is written by the engine
 * without touching the engine.
 */
export function tableSpecsOf(dataSource: DataSource): TableSpecs {
  const cached = cache.get(dataSource);
  if (cached) return cached;
  const specs = {} as TableSpecs;
  for (const table of DOMAIN_TABLES_INSERT_ORDER) {
    const metadata = dataSource.entityMetadatas.find((entity) => entity.tableName === table);
    if (!metadata) throw new Error(`No entity maps the domain table ${table}: add it to src/db/entities/index.ts`);
    const columns = metadata.columns.map((column) => ({ column: column.databaseName, property: column.propertyName }));
    specs[table] = {
      table,
      columns,
      columnList: columns.map((column) => `"${column.column}"`).join(', '),
      hasCreatedAt: columns.some((column) => column.property === 'createdAt'),
    };
  }
  cache.set(dataSource, specs);
  return specs;
}
