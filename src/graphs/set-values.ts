import type { ColumnModel } from '../schema/schema-model';

const INTEGER_RANGE: Record<string, [number, number]> = {
  int2: [-32_768, 32_767],
  int4: [-2_147_483_648, 2_147_483_647],
  int8: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
const TEXT = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);
const DECIMAL = new Set(['numeric', 'float4', 'float8', 'money']);

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

/** int8 as text, as records answer it: the way to give a value beyond 2^53 exactly. */
function int8TextProblem(column: ColumnModel, value: string): string | undefined {
  if (!/^-?\d{1,19}$/.test(value)) return `${column.name} is ${column.type}: give a whole number, or its digits as a string`;
  const exact = BigInt(value);
  if (exact < INT8_MIN || exact > INT8_MAX) return `${column.name} is ${column.type}: ${value} is out of its range`;
  if (column.min !== null && exact < BigInt(Math.ceil(column.min))) return `${column.name} must be at least ${column.min}`;
  if (column.max !== null && exact > BigInt(Math.floor(column.max))) return `${column.name} must be at most ${column.max}`;
  return undefined;
}

function scalarProblem(column: ColumnModel, value: unknown): string | undefined {
  if (column.baseType === 'int8' && typeof value === 'string') return int8TextProblem(column, value);
  const range = INTEGER_RANGE[column.baseType];
  if (range) {
    if (!Number.isInteger(value)) return `${column.name} is ${column.type}: give a whole number`;
    if ((value as number) < range[0] || (value as number) > range[1]) return `${column.name} is ${column.type}: ${value} is out of its range`;
  }
  if (DECIMAL.has(column.baseType) && typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) {
    return `${column.name} is ${column.type}: give a number`;
  }
  if (TEXT.has(column.baseType) || column.enumValues) {
    if (typeof value !== 'string') return `${column.name} is ${column.type}: give a string`;
    if (column.length !== null && [...value].length > column.length) return `${column.name} holds at most ${column.length} characters`;
  }
  if (column.baseType === 'bool' && typeof value !== 'boolean') return `${column.name} is boolean: give true or false`;
  if (column.enumValues && !column.enumValues.includes(value as string)) return `${column.name} must be one of ${column.enumValues.join(', ')} (enum ${column.enumName})`;
  if (column.allowed && !column.allowed.includes(String(value))) return `${column.name} must be one of ${column.allowed.join(', ')}`;
  if (typeof value === 'number') {
    if (column.min !== null && value < column.min) return `${column.name} must be at least ${column.min}`;
    if (column.max !== null && value > column.max) return `${column.name} must be at most ${column.max}`;
  }
  return undefined;
}

/**
 * What is wrong with a `set` value for a column, judged from the model: the
 * cheap, certain checks (type family, length, enum, IN lists, bounds). Values
 * it cannot judge go to PostgreSQL, whose refusal is a 422 naming the column.
 */
export function checkSetValue(column: ColumnModel, value: unknown): string | undefined {
  if (column.generated) return `${column.name} is a generated column: PostgreSQL computes it, leave it out of set`;
  if (column.identity === 'always') return `${column.name} is GENERATED ALWAYS AS IDENTITY: PostgreSQL assigns it, leave it out of set`;
  if (value === null) return column.nullable ? undefined : `${column.name} is NOT NULL`;
  if (value === undefined) return `${column.name} needs a value`;
  if (column.isArray) {
    if (!Array.isArray(value)) return `${column.name} is ${column.type}: give an array`;
    for (const item of value) {
      const problem = item === null ? undefined : scalarProblem(column, item);
      if (problem) return problem;
    }
    return undefined;
  }
  if (['json', 'jsonb'].includes(column.baseType)) return undefined;
  if (typeof value === 'object') return `${column.name} is ${column.type}: give a scalar value`;
  return scalarProblem(column, value);
}
