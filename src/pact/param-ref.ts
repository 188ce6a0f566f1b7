import { isJsonObject } from './json';

/** A scenario param taken from the provider state's params, e.g. `{ "param": "orders", "default": 1 }`. */
export interface ParamRef {
  param: string;
  default?: unknown;
}

export function isParamRef(value: unknown): value is ParamRef {
  return isJsonObject(value) && Object.prototype.hasOwnProperty.call(value, 'param');
}

/** The params of a setup: fixed values, then the state's params by name, then the mapping's defaults. */
export function composeParams(mapped: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(mapped)) {
    const value = isParamRef(spec) ? (Object.prototype.hasOwnProperty.call(given, spec.param) ? given[spec.param] : spec.default) : spec;
    if (value !== undefined) params[name] = value;
  }
  return params;
}
