import { validationError, type FieldError } from '../errors';
import { MAX_SEED } from '../provisioning/request-validation';
import type { ColumnModel, ModelIndex, TableModel } from '../schema/schema-model';
import { columnRule, type SourceTableRules } from './anonymize-rules';

/**
 * A POST /tags/{tag}/copies body, checked against the configuration and the
 * model before any connection is opened: the source by name only (never a
 * URL: a request that names a database would let any caller make testapi
 * connect anywhere), the root table and its filter by catalog names, the
 * filter's values as bind parameters (never SQL text). Filters may name only
 * columns the copy keeps as they are: a filter on a replaced column (an SSN,
 * an email) would make the copy's counts an oracle of the source's values.
 * Each value is checked against its column's type, so PostgreSQL never meets
 * a value it cannot read.
 */
export type Operator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'isNull';
const OPERATORS: readonly Operator[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'isNull'];

export interface Condition {
  column: ColumnModel;
  operator: Operator;
  value: unknown;
}

export interface CopyRequest {
  source: string;
  root: TableModel;
  sample: number | undefined;
  ids: unknown[] | undefined;
  where: Condition[];
  children: number;
  seed: number;
  ttlSeconds: number | undefined;
}

export const MAX_CHILDREN_DEPTH = 8;
const MAX_TTL_SECONDS = 2_592_000;
const BODY_KEYS = ['source', 'root', 'children', 'seed', 'ttlSeconds'];
const ROOT_KEYS = ['table', 'sample', 'ids', 'where'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof value);

const INTEGER_RANGE: Record<string, [bigint, bigint]> = {
  int2: [-32_768n, 32_767n],
  int4: [-2_147_483_648n, 2_147_483_647n],
  int8: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
  oid: [0n, 4_294_967_295n],
};
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function realDate(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

/** Why `value` is no value of `column` (as PostgreSQL would read it), or null when it is one. */
export function typeProblem(column: ColumnModel, value: unknown): string | null {
  const type = column.baseType;
  const range = INTEGER_RANGE[type];
  if (range) {
    const integer = typeof value === 'number' ? Number.isSafeInteger(value) : typeof value === 'string' && /^-?\d{1,20}$/.test(value);
    if (!integer || BigInt(value as number | string) < range[0] || BigInt(value as number | string) > range[1]) return `expected a whole number from ${range[0]} to ${range[1]} (${column.type})`;
    return null;
  }
  if (['numeric', 'money', 'float4', 'float8'].includes(type)) {
    const ok = typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && DECIMAL.test(value) && Number.isFinite(Number(value));
    return ok ? null : `expected a finite number (${column.type})`;
  }
  if (type === 'bool') return typeof value === 'boolean' ? null : 'expected true or false';
  if (column.enumValues) return typeof value === 'string' && column.enumValues.includes(value) ? null : `expected one of ${column.enumValues.join(', ')} (enum ${column.enumName})`;
  if (type === 'date' || type === 'timestamp' || type === 'timestamptz') {
    const match = typeof value === 'string' ? (type === 'date' ? DATE : TIMESTAMP).exec(value) : null;
    const time = match && match[4] !== undefined ? Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6] ?? 0) < 60 : true;
    return match && realDate(match[1]!, match[2]!, match[3]!) && time ? null : `expected an ISO 8601 ${type === 'date' ? 'date (2024-05-31)' : 'date or date-time (2024-05-31T12:00:00Z)'}`;
  }
  if (type === 'time' || type === 'timetz') {
    const match = typeof value === 'string' ? TIME.exec(value) : null;
    return match && Number(match[1]) < 24 && Number(match[2]) < 60 && Number(match[3] ?? 0) < 60 ? null : 'expected a time (13:45 or 13:45:30)';
  }
  if (type === 'uuid') return typeof value === 'string' && UUID.test(value) ? null : 'expected a uuid';
  if (column.allowed) return column.allowed.includes(String(value)) ? null : `expected one of ${column.allowed.join(', ')}`;
  if (['text', 'varchar', 'bpchar', 'citext', 'name'].includes(type)) {
    if (typeof value !== 'string' && typeof value !== 'number') return 'expected a text';
    return column.length !== null && [...String(value)].length > column.length && type !== 'bpchar' ? `expected at most ${column.length} characters` : null;
  }
  // interval and the like: PostgreSQL reads them; a value it cannot read is a 400 from the source (see copy.use-case).
  return typeof value === 'string' || typeof value === 'number' ? null : 'expected a text or a number';
}

/** A filter's column, when the copy keeps it as is; else the error saying why it cannot filter. */
function filterColumn(table: TableModel, name: string, at: string, rules: SourceTableRules, errors: FieldError[]): ColumnModel | undefined {
  const column = table.columns.find((candidate) => candidate.name === name);
  if (!column) {
    errors.push({ path: at, message: `table ${table.label} has no column "${name}"` });
    return undefined;
  }
  const rule = columnRule(table, column, rules);
  if (!rule.filterable) {
    const kept = table.columns.filter((candidate) => columnRule(table, candidate, rules).filterable).map((candidate) => candidate.name);
    errors.push({
      path: at,
      message: `column ${table.label}.${name} is replaced by the copy (${rule.reason}): a filter on it would tell its source values; filter on kept columns (${kept.join(', ') || 'none'}), or mark it keep in TESTAPI_SOURCE_RULES`,
    });
    return undefined;
  }
  if (column.isArray) {
    errors.push({ path: at, message: `column ${table.label}.${name} is an array: filters take scalar columns` });
    return undefined;
  }
  return column;
}

function checked(column: ColumnModel, values: readonly unknown[], at: string, errors: FieldError[]): boolean {
  const problem = values.map((value) => typeProblem(column, value)).find((found) => found !== null);
  if (problem) errors.push({ path: at, message: problem });
  return !problem;
}

function conditions(table: TableModel, where: Record<string, unknown>, rules: SourceTableRules, errors: FieldError[]): Condition[] {
  const found: Condition[] = [];
  for (const [name, value] of Object.entries(where)) {
    const at = `root.where.${name}`;
    const column = filterColumn(table, name, at, rules, errors);
    if (!column) continue;
    if (value === null) found.push({ column, operator: 'isNull', value: true });
    else if (isScalar(value)) {
      if (checked(column, [value], at, errors)) found.push({ column, operator: 'eq', value });
    } else if (Array.isArray(value) && value.length > 0 && value.every(isScalar)) {
      if (checked(column, value, at, errors)) found.push({ column, operator: 'in', value });
    } else if (isObject(value) && Object.keys(value).length > 0) {
      for (const [operator, operand] of Object.entries(value)) {
        const path = `${at}.${operator}`;
        if (!(OPERATORS as readonly string[]).includes(operator)) errors.push({ path, message: `unknown operator "${operator}" (${OPERATORS.join(', ')})` });
        else if (operator === 'isNull' ? typeof operand !== 'boolean' : operator === 'in' ? !(Array.isArray(operand) && operand.length > 0 && operand.every(isScalar)) : !isScalar(operand)) {
          errors.push({ path, message: operator === 'in' ? 'in takes a non-empty array of values' : operator === 'isNull' ? 'isNull takes true or false' : `${operator} takes one value` });
        } else if (operator === 'isNull' || checked(column, operator === 'in' ? (operand as unknown[]) : [operand], path, errors)) {
          found.push({ column, operator: operator as Operator, value: operand });
        }
      }
    } else errors.push({ path: at, message: 'give a value, null, an array of values, or {eq|ne|lt|lte|gt|gte|in|isNull: value}' });
  }
  return found;
}

/**
 * @param rulesOf the configured rules of a source (TESTAPI_SOURCE_RULES), by name: filters are checked against them
 */
export function parseCopyRequest(body: unknown, index: ModelIndex, sources: readonly string[], maxRows: number, rulesOf: (source: string) => SourceTableRules): CopyRequest {
  if (!isObject(body)) throw validationError([{ path: 'body', message: 'send a JSON object such as {"source": "staging", "root": {"table": "customer", "sample": 20}}' }]);
  const errors: FieldError[] = [];
  for (const key of Object.keys(body)) if (!BODY_KEYS.includes(key)) errors.push({ path: key, message: `property ${key} should not exist (allowed: ${BODY_KEYS.join(', ')})` });
  if (typeof body.source !== 'string' || !sources.includes(body.source)) {
    errors.push({
      path: 'source',
      message: sources.length === 0 ? 'no source is configured (TESTAPI_SOURCES=name=postgres://...)' : `source must be one of the configured names: ${sources.join(', ')}`,
    });
  }
  const children = body.children ?? 0;
  if (!Number.isInteger(children) || (children as number) < 0 || (children as number) > MAX_CHILDREN_DEPTH) errors.push({ path: 'children', message: `children must be a whole number from 0 to ${MAX_CHILDREN_DEPTH}` });
  const seed = body.seed ?? 0;
  if (!Number.isInteger(seed) || (seed as number) < 0 || (seed as number) > MAX_SEED) errors.push({ path: 'seed', message: `seed must be a whole number from 0 to ${MAX_SEED}` });
  const ttl = body.ttlSeconds;
  if (ttl !== undefined && !(Number.isInteger(ttl) && (ttl as number) >= 1 && (ttl as number) <= MAX_TTL_SECONDS)) errors.push({ path: 'ttlSeconds', message: `ttlSeconds must be a whole number from 1 to ${MAX_TTL_SECONDS}` });

  const rules = typeof body.source === 'string' && sources.includes(body.source) ? rulesOf(body.source) : {};
  const root = body.root;
  if (!isObject(root)) {
    errors.push({ path: 'root', message: 'root must be an object such as {"table": "customer", "sample": 20}' });
    throw validationError(errors);
  }
  for (const key of Object.keys(root)) if (!ROOT_KEYS.includes(key)) errors.push({ path: `root.${key}`, message: `property ${key} should not exist (allowed: ${ROOT_KEYS.join(', ')})` });
  const table = typeof root.table === 'string' ? index.resolve(root.table) : undefined;
  if (!table) errors.push({ path: 'root.table', message: `unknown table "${String(root.table)}" (GET /schema lists the tables)` });
  else if (!table.provisionable) errors.push({ path: 'root.table', message: `table ${table.label} cannot take rows from testapi: ${table.reason}` });
  if ((root.sample === undefined) === (root.ids === undefined)) errors.push({ path: 'root.sample', message: 'give either sample (how many root rows, chosen by the seed) or ids (their keys)' });
  if (root.sample !== undefined && !(Number.isInteger(root.sample) && (root.sample as number) >= 1 && (root.sample as number) <= maxRows)) {
    errors.push({ path: 'root.sample', message: `sample must be a whole number from 1 to ${maxRows} (MAX_ROWS_PER_REQUEST)` });
  }
  if (root.ids !== undefined) {
    if (!Array.isArray(root.ids) || root.ids.length === 0 || root.ids.length > maxRows || !root.ids.every(isScalar)) errors.push({ path: 'root.ids', message: `ids must be a non-empty array of at most ${maxRows} keys` });
    else if (table && table.primaryKey.length !== 1) errors.push({ path: 'root.ids', message: `table ${table.label} has a composite key (${table.primaryKey.join(', ')}): use sample with where` });
    else if (table) {
      const key = filterColumn(table, table.primaryKey[0]!, 'root.ids', rules, errors);
      if (key) checked(key, root.ids, 'root.ids', errors);
    }
  }
  let where: Condition[] = [];
  if (root.where !== undefined) {
    if (!isObject(root.where)) errors.push({ path: 'root.where', message: 'where must be an object of column → value' });
    else if (table) where = conditions(table, root.where, rules, errors);
  }
  if (errors.length > 0) throw validationError(errors);
  return {
    source: body.source as string,
    root: table!,
    sample: root.sample as number | undefined,
    ids: root.ids as unknown[] | undefined,
    where,
    children: children as number,
    seed: seed as number,
    ttlSeconds: ttl as number | undefined,
  };
}
