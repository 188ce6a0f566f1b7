import Ajv, { type ValidateFunction } from 'ajv';
import type { FieldError } from '../errors';

/**
 * The JSON Schema subset a scenario's `params` may use (README "Scenarios as
 * files"): a flat object of scalar properties, each one of
 * string / integer / number / boolean with enum, minimum, maximum,
 * minLength, maxLength, pattern, default, title, description; `required`
 * and `additionalProperties: false` at the top. Small on purpose: every
 * param must be usable in a template, shown in GET /scenarios and typed by
 * `testapi generate`, and a keyword outside the list is a typo until proven
 * otherwise.
 */
export type ParamType = 'string' | 'integer' | 'number' | 'boolean';
const PARAM_TYPES = new Set<string>(['string', 'integer', 'number', 'boolean']);
const TOP_KEYS = new Set(['type', 'properties', 'required', 'additionalProperties', 'title', 'description']);
const PROPERTY_KEYS = new Set(['type', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'default', 'title', 'description']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const MAX_PARAMS = 50;

export interface ParamsSchema {
  /** The schema as written (defaults included), shown in GET /scenarios and the live contract. */
  schema: Record<string, unknown>;
  types: Map<string, ParamType>;
  /** Fills defaults in place and answers every bad field as `params.<name>`. */
  validate(params: Record<string, unknown>): FieldError[];
  /** A value each param could take, for checking the graph at load time. */
  sample(name: string): unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);


function fieldErrorsOf(validate: ValidateFunction): FieldError[] {
  return (validate.errors ?? []).map((error) => {
    const missing = error.keyword === 'required' ? String((error.params as { missingProperty: string }).missingProperty) : undefined;
    const extra = error.keyword === 'additionalProperties' ? String((error.params as { additionalProperty: string }).additionalProperty) : undefined;
    const name = missing ?? extra ?? error.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const path = name ? `params.${name}` : 'params';
    if (extra) return { path, message: `${path} is not a known param` };
    if (missing) return { path, message: `${path} is required` };
    return { path, message: `${path} ${error.message ?? 'is invalid'}` };
  });
}

function sampleOf(property: Record<string, unknown>, type: ParamType): unknown {
  if (property.default !== undefined) return property.default;
  if (Array.isArray(property.enum) && property.enum.length > 0) return property.enum[0];
  if (type === 'integer' || type === 'number') return typeof property.minimum === 'number' ? property.minimum : 1;
  if (type === 'boolean') return true;
  return 'x'.repeat(typeof property.minLength === 'number' ? property.minLength : 1);
}

/** Checks `raw` against the subset and compiles it; problems are `[path, message]` inside the file. */
export function compileParamsSchema(raw: unknown): ParamsSchema | Array<[string, string]> {
  const schema = raw === undefined ? { type: 'object', properties: {}, additionalProperties: false } : raw;
  const problems: Array<[string, string]> = [];
  if (!isObject(schema)) return [['params', 'params must be a JSON Schema object such as {type: object, properties: {...}}']];
  for (const key of Object.keys(schema)) if (!TOP_KEYS.has(key)) problems.push([`params.${key}`, `keyword ${key} is not in the supported subset (${[...TOP_KEYS].join(', ')})`]);
  if (schema.type !== 'object') problems.push(['params.type', 'params must be of type object']);
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) problems.push(['params.additionalProperties', 'only additionalProperties: false is supported']);
  const properties = schema.properties ?? {};
  const types = new Map<string, ParamType>();
  if (!isObject(properties)) problems.push(['params.properties', 'properties must be an object of params']);
  else {
    if (Object.keys(properties).length > MAX_PARAMS) problems.push(['params.properties', `at most ${MAX_PARAMS} params`]);
    for (const [name, property] of Object.entries(properties)) {
      const at = `params.properties.${name}`;
      if (!NAME.test(name)) problems.push([at, 'a param name is letters, digits and _ (usable as {{params.name}})']);
      if (!isObject(property)) {
        problems.push([at, 'a param is a schema such as {type: integer, minimum: 1}']);
        continue;
      }
      for (const key of Object.keys(property)) if (!PROPERTY_KEYS.has(key)) problems.push([`${at}.${key}`, `keyword ${key} is not in the supported subset (${[...PROPERTY_KEYS].join(', ')})`]);
      if (typeof property.type !== 'string' || !PARAM_TYPES.has(property.type)) problems.push([`${at}.type`, 'type must be one of string, integer, number, boolean']);
      else types.set(name, property.type as ParamType);
    }
  }
  const required = schema.required ?? [];
  if (!Array.isArray(required) || required.some((name) => typeof name !== 'string' || !types.has(name))) problems.push(['params.required', 'required lists names of declared params']);
  if (problems.length > 0) return problems;

  // One compiler per file: strict (unknown keywords refused), defaults applied, no coercion; a reload
  // drops the old ones with their compiled code instead of growing one shared cache.
  const ajv = new Ajv({ strict: true, allErrors: true, useDefaults: true, coerceTypes: false });
  // Closed by default: an unknown param in a request is a typo the caller must hear about.
  const closed = { ...schema, additionalProperties: false, properties };
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(closed);
  } catch (error) {
    return [['params', `not a valid schema: ${(error as Error).message}`]];
  }
  for (const [name, property] of Object.entries(properties as Record<string, Record<string, unknown>>)) {
    const { default: fallback, ...rest } = property;
    if (fallback !== undefined && !ajv.validate(rest, fallback)) {
      problems.push([`params.properties.${name}.default`, `the default does not match the param's own schema: ${ajv.errorsText(ajv.errors, { dataVar: name })}`]);
    }
  }
  if (problems.length > 0) return problems;
  return {
    schema: closed,
    types,
    validate(params) {
      return validate(params) ? [] : fieldErrorsOf(validate);
    },
    sample(name) {
      return sampleOf((properties as Record<string, Record<string, unknown>>)[name]!, types.get(name)!);
    },
  };
}
