import { validationError, type FieldError } from '../errors';
import { MAX_SEED } from '../provisioning/request-validation';
import type { ColumnModel, ModelIndex, TableModel } from '../schema/schema-model';

/**
 * A POST /tags/{tag}/copies body, checked against the configuration and the
 * model before any connection is opened: the source by name only (never a
 * URL: a request that names a database would let any caller make testapi
 * connect anywhere), the root table and its filter by catalog names, the
 * filter's values as bind parameters (never SQL text).
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

function conditions(table: TableModel, where: Record<string, unknown>, errors: FieldError[]): Condition[] {
  const found: Condition[] = [];
  for (const [name, value] of Object.entries(where)) {
    const at = `root.where.${name}`;
    const column = table.columns.find((candidate) => candidate.name === name);
    if (!column) {
      errors.push({ path: at, message: `table ${table.label} has no column "${name}"` });
      continue;
    }
    if (value === null) found.push({ column, operator: 'isNull', value: true });
    else if (isScalar(value)) found.push({ column, operator: 'eq', value });
    else if (Array.isArray(value) && value.length > 0 && value.every(isScalar)) found.push({ column, operator: 'in', value });
    else if (isObject(value) && Object.keys(value).length > 0) {
      for (const [operator, operand] of Object.entries(value)) {
        if (!(OPERATORS as readonly string[]).includes(operator)) errors.push({ path: `${at}.${operator}`, message: `unknown operator "${operator}" (${OPERATORS.join(', ')})` });
        else if (operator === 'isNull' ? typeof operand !== 'boolean' : operator === 'in' ? !(Array.isArray(operand) && operand.length > 0 && operand.every(isScalar)) : !isScalar(operand)) {
          errors.push({ path: `${at}.${operator}`, message: operator === 'in' ? 'in takes a non-empty array of values' : operator === 'isNull' ? 'isNull takes true or false' : `${operator} takes one value` });
        } else found.push({ column, operator: operator as Operator, value: operand });
      }
    } else errors.push({ path: at, message: 'give a value, null, an array of values, or {eq|ne|lt|lte|gt|gte|in|isNull: value}' });
  }
  return found;
}

export function parseCopyRequest(body: unknown, index: ModelIndex, sources: readonly string[], maxRows: number): CopyRequest {
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
  }
  let where: Condition[] = [];
  if (root.where !== undefined) {
    if (!isObject(root.where)) errors.push({ path: 'root.where', message: 'where must be an object of column → value' });
    else if (table) where = conditions(table, root.where, errors);
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
