import type { DataSource } from 'typeorm';
import { DOMAIN_TABLES_INSERT_ORDER, type DomainTable } from '../db/tables';
import { compileCopySerializer, type CopyKind, type CopySerializer } from './copy-text';

export interface ColumnSpec {
  /** snake_case name in SQL. */
  column: string;
  /** camelCase name in records and responses. */
  property: string;
  kind: CopyKind;
}

export interface TableSpec {
  table: DomainTable;
  columns: ColumnSpec[];
  /** `"col_a", "col_b", ...` in column order. */
  columnList: string;
  hasCreatedAt: boolean;
  /** Columns the same on every row of a request, in column order: passed preformatted to copyLine. */
  constantProperties: string[];
  /** COPY line of a record. */
  copyLine: CopySerializer;
}

export type TableSpecs = Record<DomainTable, TableSpec>;

/** Columns every domain row of one request shares. */
const CONSTANT_PROPERTIES = ['testTag', 'createdAt'];

function kindOf(type: unknown): CopyKind {
  switch (type) {
    case 'uuid':
    case 'integer':
    case 'int':
    case 'bigint':
    case 'smallint':
    case 'numeric':
      return 'plain';
    case 'text':
    case 'char':
    case 'varchar':
    case 'character varying':
      return 'text';
    case 'timestamptz':
    case 'timestamp with time zone':
      return 'timestamp';
    default:
      return 'any';
  }
}

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
    const columns = metadata.columns.map((column) => ({ column: column.databaseName, property: column.propertyName, kind: kindOf(column.type) }));
    const hasCreatedAt = columns.some((column) => column.property === 'createdAt');
    const constantProperties = columns.map((column) => column.property).filter((property) => CONSTANT_PROPERTIES.includes(property));
    specs[table] = {
      table,
      columns,
      columnList: columns.map((column) => `"${column.column}"`).join(', '),
      hasCreatedAt,
      constantProperties,
      copyLine: compileCopySerializer(
        columns.map((column) => ({ property: column.property, kind: column.kind, constant: constantProperties.includes(column.property) })),
      ),
    };
  }
  cache.set(dataSource, specs);
  return specs;
}
