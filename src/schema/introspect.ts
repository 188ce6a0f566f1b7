import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Table, TableColumn } from 'typeorm';
import { combineRules, parseCheck, type ColumnRule } from './check-parser';
import {
  listColumns,
  listConstraints,
  listTables,
  listTriggers,
  listUniqueIndexes,
  onDeleteAction,
  type ColumnRow,
  type ConstraintRow,
} from './catalog.repository';
import { IDENTITY_KINDS, NO_DECLARATIONS, uniqueBy, type UniqueDeclarations } from './declared-uniques';
import { chooseGenerator, kindByName } from './generators';
import { isOptional, isOwnershipKey } from './ownership-keys';
import type { ColumnModel, SchemaModel, TableModel, UniqueModel } from './schema-model';

export interface IntrospectOptions {
  schemas: readonly string[];
  /** Tables left out of the model (testapi's own state when it shares the schema). */
  exclude?: (schema: string, table: string) => boolean;
  /**
   * Whether cleanup finds rows by a test_tag column (the shop mode). With a
   * target schema it deletes through the row ledger only, so a table of the
   * application that happens to have a test_tag column is ledgered too.
   */
  testTagFindsRows: boolean;
  /** Columns the application keeps unique in code (TESTAPI_UNIQUE), and ones opted out (TESTAPI_NOT_UNIQUE). */
  uniqueDeclarations?: UniqueDeclarations;
}

const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);
const SEQUENCE_DEFAULT = /^nextval\('([^']+)'(?:::regclass)?\)$/;

/**
 * Reads the modelled schemas: TypeORM's QueryRunner.getTables() for what it
 * reports faithfully (columns, nullability, lengths, precision, primary key
 * membership), pg_catalog for the rest (see catalog.repository.ts). One
 * snapshot, read in one REPEATABLE READ transaction so a migration running
 * meanwhile cannot make it inconsistent.
 */
export async function introspect(dataSource: DataSource, options: IntrospectOptions): Promise<SchemaModel> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    // The runner's own connection: every read below sees the transaction's snapshot.
    const client = (await runner.connect()) as PoolClient;
    const schemas = [...options.schemas];
    const listed = (await listTables(client, schemas)).filter((row) => !options.exclude?.(row.schema, row.name));
    // One connection, so one statement at a time (pg refuses to queue them on a client).
    const columns = await listColumns(client, schemas);
    const constraints = await listConstraints(client, schemas);
    const uniqueIndexes = await listUniqueIndexes(client, schemas);
    const triggers = await listTriggers(client, schemas);
    // getTables() reads a generated column's expression from its own typeorm_metadata table, which a
    // schema it did not create lacks (the query fails): such tables are read from the catalog alone.
    const withGenerated = new Set(columns.filter((column) => column.generated === 's').map((column) => `${column.schema}.${column.table}`));
    const forTypeorm = listed.map((row) => `${row.schema}.${row.name}`).filter((key) => !withGenerated.has(key));
    const typeormTables = forTypeorm.length > 0 ? await runner.getTables(forTypeorm) : [];
    await runner.commitTransaction();

    const nameCount = new Map<string, number>();
    for (const row of listed) nameCount.set(row.name, (nameCount.get(row.name) ?? 0) + 1);
    const keyOf = (schema: string, table: string): string => `${schema}.${table}`;
    const group = <T extends { schema: string; table: string }>(rows: readonly T[]): Map<string, T[]> => {
      const map = new Map<string, T[]>();
      for (const row of rows) map.set(keyOf(row.schema, row.table), [...(map.get(keyOf(row.schema, row.table)) ?? []), row]);
      return map;
    };
    const columnsOf = group(columns);
    const constraintsOf = group(constraints);
    const indexesOf = group(uniqueIndexes);
    const triggersOf = group(triggers);
    const typeormOf = new Map(typeormTables.map((table) => [qualified(table, dataSource), table]));

    const tables: TableModel[] = listed.map((row) => {
      const key = keyOf(row.schema, row.name);
      return buildTable({
        schema: row.schema,
        name: row.name,
        key,
        label: (nameCount.get(row.name) ?? 0) > 1 ? key : row.name,
        partitioned: row.relkind === 'p',
        isPartition: row.is_partition,
        typeorm: typeormOf.get(key),
        columns: columnsOf.get(key) ?? [],
        constraints: constraintsOf.get(key) ?? [],
        uniqueIndexes: (indexesOf.get(key) ?? []).map((index) => ({
          name: index.name,
          columns: index.columns ?? expressionColumns(index.definition, columnsOf.get(key) ?? []),
          predicate: index.predicate,
          kind: 'index' as const,
        })),
        triggers: (triggersOf.get(key) ?? []).map((trigger) => ({ name: trigger.name, definition: trigger.definition })),
        testTagFindsRows: options.testTagFindsRows,
        uniqueDeclarations: options.uniqueDeclarations ?? NO_DECLARATIONS,
      });
    });
    return { schemas, tables, loadedAt: new Date().toISOString() };
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

function qualified(table: Table, dataSource: DataSource): string {
  // getTables names a table `schema.table` unless it is in the DataSource's own schema.
  if (table.name.includes('.')) return table.name;
  const own = (dataSource.options as { schema?: string }).schema ?? 'public';
  return `${table.schema ?? own}.${table.name}`;
}

/** Columns an expression index mentions (e.g. `lower(email)`): salted like plain unique columns. */
function expressionColumns(definition: string, columns: readonly ColumnRow[]): string[] {
  const body = definition.slice(definition.indexOf('('));
  return columns.filter((column) => new RegExp(`\\b${column.column.replace(/[$]/g, '\\$')}\\b`).test(body)).map((column) => column.column);
}

interface TableInput {
  schema: string;
  name: string;
  key: string;
  label: string;
  partitioned: boolean;
  isPartition: boolean;
  typeorm: Table | undefined;
  columns: ColumnRow[];
  constraints: ConstraintRow[];
  uniqueIndexes: UniqueModel[];
  triggers: Array<{ name: string; definition: string }>;
  testTagFindsRows: boolean;
  uniqueDeclarations: UniqueDeclarations;
}

function buildTable(input: TableInput): TableModel {
  const primary = input.constraints.find((constraint) => constraint.kind === 'p');
  const primaryKey = primary?.columns ?? [];
  const foreignKeys = input.constraints
    .filter((constraint) => constraint.kind === 'f')
    .map((constraint) => ({
      name: constraint.name,
      columns: constraint.columns,
      references: `${constraint.ref_schema}.${constraint.ref_table}`,
      referencedColumns: constraint.ref_columns ?? [],
      onDelete: onDeleteAction(constraint.on_delete),
    }));
  const uniques: UniqueModel[] = [
    ...input.constraints
      .filter((constraint) => constraint.kind === 'u')
      .map((constraint) => ({ name: constraint.name, columns: constraint.columns, predicate: null, kind: 'constraint' as const })),
    ...input.uniqueIndexes,
  ];
  const checks = input.constraints
    .filter((constraint) => constraint.kind === 'c')
    .map((constraint) => ({ name: constraint.name, definition: constraint.definition, columns: constraint.columns ?? [] }));

  const rulesByColumn = new Map<string, ColumnRule[]>();
  for (const check of checks) {
    for (const rule of parseCheck(check.definition) ?? []) rulesByColumn.set(rule.column, [...(rulesByColumn.get(rule.column) ?? []), rule]);
  }
  const uniqueColumns = new Set(uniques.flatMap((unique) => unique.columns));
  const foreignKeyOf = new Map<string, string>();
  for (const fk of foreignKeys) for (const column of fk.columns) if (!foreignKeyOf.has(column)) foreignKeyOf.set(column, fk.name);
  const siblings = new Set(input.columns.map((column) => column.column));
  const typeormColumns = new Map((input.typeorm?.columns ?? []).map((column) => [column.name, column]));

  const columns: ColumnModel[] = input.columns.map((row) => {
    const column = buildColumn(row, typeormColumns.get(row.column), rulesByColumn.get(row.column) ?? []);
    const context = { table: input.name, siblings, isPrimaryKey: primaryKey.includes(row.column), foreignKey: foreignKeyOf.get(row.column) ?? null };
    // Keys and foreign keys are unique or not by what they reference; the rest by what the name says they identify.
    const identityLike = !context.isPrimaryKey && !context.foreignKey && IDENTITY_KINDS.has(kindByName(column, context)?.kind ?? '') && TEXT_TYPES.has(column.baseType);
    column.uniqueBy = uniqueBy(input.uniqueDeclarations, { schema: input.schema, table: input.name, column: row.column }, uniqueColumns.has(row.column), identityLike);
    column.unique = column.uniqueBy !== null;
    column.generator = chooseGenerator(column, context);
    return column;
  });
  // What a nullable foreign key nobody gave gets (graph-request.ts, nullableKeys): GET /schema says it per column.
  for (const fk of foreignKeys) {
    const optional = isOwnershipKey({ columns }, fk)
      ? 'nullable, but it names the owner: a parent is created for it unless nullableKeys is "null"'
      : isOptional({ columns }, fk)
        ? 'nullable: NULL unless given, or a parent with nullableKeys "create"'
        : undefined;
    if (!optional) continue;
    for (const column of columns) {
      if (fk.columns.includes(column.name) && column.generator.kind === 'foreign-key' && foreignKeyOf.get(column.name) === fk.name) {
        column.generator = { kind: 'foreign-key', reason: `foreign key: ${fk.name} (parent node, connect or set; ${optional})` };
      }
    }
  }

  let reason: string | null = null;
  if (input.isPartition) reason = 'a partition: provision its parent table, PostgreSQL routes the rows';
  else if (primaryKey.length === 0) reason = 'no primary key: testapi could not find exactly its own rows again to delete them';
  return {
    schema: input.schema,
    name: input.name,
    key: input.key,
    label: input.label,
    columns,
    primaryKey,
    foreignKeys,
    uniques,
    checks,
    triggers: input.triggers,
    partitioned: input.partitioned,
    hasTestTag: input.testTagFindsRows && columns.some((column) => column.name === 'test_tag'),
    provisionable: reason === null,
    reason,
  };
}

/** The column as the catalog has it; uniqueness and the generator are decided by buildTable. */
function buildColumn(row: ColumnRow, typeorm: TableColumn | undefined, rules: ColumnRule[]): ColumnModel {
  const domainRules = (row.domain_checks ?? []).flatMap((definition) =>
    (parseCheck(definition) ?? []).filter((rule) => rule.column === 'VALUE').map((rule) => ({ ...rule, column: row.column })),
  );
  const { allowed, min, max } = combineRules([...rules, ...domainRules]);
  const sequence = row.default_expr ? (SEQUENCE_DEFAULT.exec(row.default_expr)?.[1] ?? null) : null;
  const isDomain = row.typtype === 'd';
  // TypeORM reports length and precision faithfully; a domain's come from its base type, which it also reports.
  const length = typeorm?.length ? Number(typeorm.length) : lengthFromType(row.type);
  return {
    name: row.column,
    type: row.type,
    baseType: row.base_name,
    isArray: row.is_array,
    nullable: typeorm ? typeorm.isNullable && !row.domain_not_null : !row.not_null,
    default: row.default_expr,
    identity: row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : null,
    generated: row.generated === 's',
    sequence,
    length: Number.isFinite(length) && length !== null && length > 0 ? length : null,
    precision: typeorm ? (typeorm.precision ?? null) : (numericModifiers(row.type)?.[0] ?? null),
    scale: typeorm ? (typeorm.scale ?? null) : (numericModifiers(row.type)?.[1] ?? null),
    enumName: row.enum_labels ? row.base_name : null,
    enumValues: row.enum_labels,
    domainName: isDomain ? row.type_name : null,
    allowed,
    min,
    max,
    unique: false,
    uniqueBy: null,
    generator: { kind: 'pending', reason: '' },
  };
}

function numericModifiers(type: string): [number, number] | undefined {
  const match = /^numeric\((\d+),(\d+)\)/.exec(type);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function lengthFromType(type: string): number | null {
  const match = /^(?:character varying|character|varchar|bpchar)\((\d+)\)/.exec(type);
  return match ? Number(match[1]) : type === 'character' ? 1 : null;
}
