import type { ColumnModel, ModelIndex, TableModel } from '../schema/schema-model';
import type { ScenarioDefinition } from './scenario-definition';

/**
 * JSON Schemas derived from the model: a column's value in `set` and
 * `overrides`, a graph node per table (its columns, its child keys), used by
 * GET /scenarios (overridesSchema) and the live contract (GET /openapi.json),
 * from which `testapi generate` writes the consumer's types.
 */
export type JsonSchema = Record<string, unknown>;

const INTEGER_RANGE: Record<string, [number, number]> = {
  int2: [-32_768, 32_767],
  int4: [-2_147_483_648, 2_147_483_647],
  int8: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
const TEXT = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);

function scalarSchema(column: ColumnModel): JsonSchema {
  if (column.enumValues) return { type: 'string', enum: column.enumValues };
  const range = INTEGER_RANGE[column.baseType];
  if (range) {
    const integer = { type: 'integer', minimum: column.min ?? range[0], maximum: column.max ?? range[1] };
    // int8 also as its digits, as records answer it (exact beyond 2^53; set-values.ts checks the range).
    return column.baseType === 'int8' ? { anyOf: [integer, { type: 'string', pattern: '^-?[0-9]{1,19}$' }] } : integer;
  }
  if (column.baseType === 'numeric' || column.baseType === 'money') return { type: ['number', 'string'] };
  if (column.baseType === 'float4' || column.baseType === 'float8') return { type: 'number' };
  if (column.baseType === 'bool') return { type: 'boolean' };
  if (column.baseType === 'json' || column.baseType === 'jsonb') return {};
  if (TEXT.has(column.baseType) && column.length !== null) return { type: 'string', maxLength: column.length };
  return { type: 'string' };
}

/** What `set` accepts for a column (checkSetValue is the authority; this is its shape). */
export function columnSchema(column: ColumnModel): JsonSchema {
  const scalar = scalarSchema(column);
  const value = column.isArray ? { type: 'array', items: scalar } : scalar;
  const described = { ...value, description: column.type };
  if (!column.nullable || Object.keys(value).length === 0) return described;
  return { anyOf: [value, { type: 'null' }], description: column.type };
}

/** Columns a caller may set: not computed by PostgreSQL. */
export function settableColumns(table: TableModel): ColumnModel[] {
  return table.columns.filter((column) => !column.generated && column.identity !== 'always');
}

export function setSchema(table: TableModel, perRow = false): JsonSchema {
  const schemaOf = (column: ColumnModel): JsonSchema =>
    perRow && !((column.baseType === 'json' || column.baseType === 'jsonb') && !column.isArray) ? { anyOf: [columnSchema(column), PER_ROW_FORMS] } : columnSchema(column);
  return {
    type: 'object',
    properties: Object.fromEntries(settableColumns(table).map((column) => [column.name, schemaOf(column)])),
    additionalProperties: false,
  };
}

/**
 * Values per row in a graph's set (graphs/per-row-values.ts), by reference to
 * the contract's component: inlined per column, a 15-table schema's document
 * held hundreds of copies that a validator compiled one by one.
 */
const PER_ROW_FORMS: JsonSchema = { $ref: '#/components/schemas/PerRowValue' };

/** GET /scenarios' overridesSchema of a file scenario: each alias to its table's columns. */
export function overridesSchema(definition: ScenarioDefinition): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries([...definition.aliases].map(([alias, table]) => [alias, setSchema(table)])),
    additionalProperties: false,
  };
}

/**
 * The child keys a node of `parent` takes, each with its table: the child
 * table's name when one foreign key leads to the parent, and always
 * `table.column` (single-column keys) and the key's name (the engine's rules).
 */
export function childKeys(index: ModelIndex, parent: TableModel): Array<{ key: string; table: TableModel }> {
  const keys: Array<{ key: string; table: TableModel }> = [];
  const byTable = new Map<TableModel, number>();
  const referencing = index.referencing(parent.key).filter(({ table }) => table.provisionable);
  for (const { table } of referencing) byTable.set(table, (byTable.get(table) ?? 0) + 1);
  for (const [table, count] of byTable) if (count === 1) keys.push({ key: table.label, table });
  for (const { table, fk } of referencing) {
    if (fk.columns.length === 1) keys.push({ key: `${table.label}.${fk.columns[0]}`, table });
    keys.push({ key: fk.name, table });
  }
  const seen = new Set<string>();
  return keys.filter(({ key }) => (seen.has(key) ? false : (seen.add(key), true)));
}

/** A component name for a table's node schema (`GraphNode_customer`, `GraphNode_billing.invoice` spelled safely). */
export function nodeSchemaName(table: TableModel): string {
  return `GraphNode_${table.label.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** How required parents are made, and a connect target: the contract's components, referenced once per table. */
const PARENTS: JsonSchema = { $ref: '#/components/schemas/Parents' };
const CONNECT_TARGET: JsonSchema = { $ref: '#/components/schemas/ConnectTarget' };

export function graphNodeSchema(index: ModelIndex, table: TableModel, ref: (table: TableModel) => string): JsonSchema {
  const children = Object.fromEntries(childKeys(index, table).map(({ key, table: child }) => [key, { type: 'array', items: { $ref: ref(child) } }]));
  return {
    type: 'object',
    description: `Rows of ${table.key}: count per parent row, as, set (its columns), connect, and child tables as keys.`,
    properties: {
      count: { type: 'integer', minimum: 1, default: 1 },
      as: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_-]{0,62}$' },
      set: setSchema(table, true),
      connect: {
        type: 'object',
        properties: Object.fromEntries(
          table.foreignKeys.flatMap((fk) => [fk.name, ...(fk.columns.length === 1 ? [fk.columns[0]!] : [])]).map((key) => [key, CONNECT_TARGET]),
        ),
        additionalProperties: false,
      },
      nullableKeys: { $ref: '#/components/schemas/NullableKeys' },
      parents: PARENTS,
      ...children,
    },
    additionalProperties: false,
  };
}

/** A float as a row answers it: a JSON number, or PostgreSQL's text for the values JSON has no number for. */
const ROW_FLOAT: JsonSchema = { anyOf: [{ type: 'number' }, { type: 'string', enum: ['NaN', 'Infinity', '-Infinity'] }] };

/** Types a row answers as JSON values (record-format.ts AS_IS). */
const ROW_JSON: Record<string, JsonSchema> = {
  int2: { type: 'integer' },
  int4: { type: 'integer' },
  float4: ROW_FLOAT,
  float8: ROW_FLOAT,
  bool: { type: 'boolean' },
  json: {},
  jsonb: {},
};

/** Patterns of the text record-format.ts gives the types JSON numbers or pg's Date would not keep exact. */
const ROW_TEXT: Record<string, JsonSchema> = {
  int8: { type: 'string', pattern: '^-?[0-9]+$', description: 'int8 as text (exact beyond 2^53)' },
  numeric: { type: 'string', pattern: '^(-?[0-9]+(\\.[0-9]+)?|NaN|-?Infinity)$', description: 'numeric as text (every digit kept)' },
  money: { type: 'string', description: 'money as PostgreSQL prints it (lc_monetary)' },
  timestamptz: { type: 'string', pattern: '^([0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z|-?infinity)$', description: 'ISO-8601 in UTC, microseconds' },
  timestamp: { type: 'string', pattern: '^([0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}|-?infinity)$', description: 'ISO-8601 without a zone, microseconds' },
  date: { type: 'string', pattern: '^([0-9]{4,}-[0-9]{2}-[0-9]{2}|-?infinity)$' },
  bytea: { type: 'string', pattern: '^\\\\x([0-9a-f]{2})*$', description: 'bytea as \\x hex' },
};

/**
 * A column as a created row answers it, one format whichever way the graph engine wrote the row
 * (src/graphs/record-format.ts): int2, int4, floats (but NaN and ±Infinity), booleans and json as JSON values; int8, numeric,
 * money, dates, times and everything else as text. Array elements keep those JSON values, else text.
 */
function rowValueSchema(column: ColumnModel): JsonSchema {
  if (column.isArray) {
    const element = ROW_JSON[column.baseType] ?? { type: 'string' };
    return { type: 'array', items: Object.keys(element).length === 0 ? element : { anyOf: [element, { type: 'null' }] } };
  }
  if (column.enumValues) return { type: 'string', enum: column.enumValues };
  return ROW_JSON[column.baseType] ?? ROW_TEXT[column.baseType] ?? { type: 'string' };
}

export function rowColumnSchema(column: ColumnModel): JsonSchema {
  const value = rowValueSchema(column);
  if (!column.nullable || Object.keys(value).length === 0) return value;
  return { anyOf: [value, { type: 'null' }] };
}

/** One created row of `table`, every column present. */
export function rowSchema(table: TableModel): JsonSchema {
  return {
    type: 'object',
    description: `A row of ${table.key} as stored.`,
    required: table.columns.map((column) => column.name),
    properties: Object.fromEntries(table.columns.map((column) => [column.name, rowColumnSchema(column)])),
  };
}

export function rowSchemaName(table: TableModel): string {
  return `Row_${table.label.replace(/[^A-Za-z0-9_]/g, '_')}`;
}
