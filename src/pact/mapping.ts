import { AppError, validationError, type FieldError } from '../errors';
import { MAX_TTL_SECONDS, validateProvisionRequest } from '../provisioning/request-validation';
import type { AnyRecipe } from '../provisioning/scenario-recipe';
import { dtoSchemas, schemaOfDto, type JsonSchema } from '../provisioning/scenario-schemas';
import { parsePath, PATH_FORMAT_MESSAGE } from './inject-path';
import { isJsonObject, type JsonObject } from './json';
import type { ResultSchemas } from './result-schemas';

/** Where mappings find scenarios: the route hands in the registry, the engine never looks names up. */
export interface ScenarioCatalog {
  find(name: string): AnyRecipe | undefined;
  names(): string[];
}

/** A scenario param taken from the provider state's params, e.g. `{ "param": "orders", "default": 1 }`. */
export interface ParamRef {
  param: string;
  default?: unknown;
}

export interface StateDefinition {
  /** null: the state needs no data (setup only empties its tag). */
  scenario: string | null;
  /** Scenario param name → fixed value or {@link ParamRef}. */
  params: Record<string, unknown>;
  /** Provider-state value name → path into the scenario's `data`. */
  inject: Record<string, string>;
}

export type UnknownStates = 'reject' | 'ignore';

export interface MappingDefinition {
  ttlSeconds: number;
  unknownStates: UnknownStates;
  states: Record<string, StateDefinition>;
}

export interface MappingContext {
  scenarios: ScenarioCatalog;
  results: ResultSchemas;
  defaultTtlSeconds: number;
}

const MAX_STATES = 1_000;
const MAX_STATE_NAME = 500;
/** Injected names become top-level keys of the setup answer and `${name}` in pact expressions. */
const INJECT_NAME = /^[A-Za-z_$][\w$.-]{0,63}$/;


/** Names class-transformer or a plain lookup could resolve through Object.prototype. */
function isReservedKey(key: string): boolean {
  return key === '__proto__' || Object.prototype.hasOwnProperty.call(Object.prototype, key);
}

export function isParamRef(value: unknown): value is ParamRef {
  return isJsonObject(value) && Object.prototype.hasOwnProperty.call(value, 'param');
}

function unknownFields(value: JsonObject, allowed: readonly string[], path: string, errors: FieldError[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) errors.push({ path: `${path}.${key}`, message: `${path}.${key} is not a known field (allowed: ${allowed.join(', ')})` });
  }
}

class MappingValidator {
  readonly errors: FieldError[] = [];
  private schemas: Record<string, JsonSchema> | undefined;

  constructor(private readonly context: MappingContext) {}

  private fail(path: string, message: string): void {
    this.errors.push({ path, message: `${path} ${message}` });
  }

  mapping(body: unknown): MappingDefinition {
    if (!isJsonObject(body)) {
      this.fail('body', 'must be a JSON object');
      return { ttlSeconds: 0, unknownStates: 'reject', states: {} };
    }
    unknownFields(body, ['ttlSeconds', 'unknownStates', 'states'], 'body', this.errors);
    const ttlSeconds = body.ttlSeconds ?? this.context.defaultTtlSeconds;
    if (!Number.isInteger(ttlSeconds) || (ttlSeconds as number) < 1 || (ttlSeconds as number) > MAX_TTL_SECONDS) {
      this.fail('ttlSeconds', `must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`);
    }
    const unknownStates = body.unknownStates ?? 'reject';
    if (unknownStates !== 'reject' && unknownStates !== 'ignore') this.fail('unknownStates', 'must be "reject" or "ignore"');
    const states: Record<string, StateDefinition> = {};
    if (!isJsonObject(body.states)) {
      this.fail('states', 'must be an object mapping each provider state name to its scenario');
    } else if (Object.keys(body.states).length > MAX_STATES) {
      this.fail('states', `must hold at most ${MAX_STATES} states`);
    } else {
      for (const [name, state] of Object.entries(body.states)) {
        const definition = this.state(name, state, `states[${JSON.stringify(name)}]`);
        if (definition) Object.defineProperty(states, name, { value: definition, enumerable: true, writable: true, configurable: true });
      }
    }
    return { ttlSeconds: ttlSeconds as number, unknownStates: unknownStates as UnknownStates, states };
  }

  private state(name: string, state: unknown, path: string): StateDefinition | undefined {
    if (name === '' || name.length > MAX_STATE_NAME || name.includes('\u0000')) {
      // "" is how the verifier calls for interactions without a state: it always answers {}.
      this.fail(path, `must be named by 1-${MAX_STATE_NAME} characters (the empty state needs no mapping)`);
      return undefined;
    }
    if (!isJsonObject(state)) {
      this.fail(path, 'must be an object such as {"scenario": "user", "params": {}, "inject": {"userId": "user.id"}}');
      return undefined;
    }
    unknownFields(state, ['scenario', 'params', 'inject'], path, this.errors);
    const params = state.params ?? {};
    const inject = state.inject ?? {};
    if (!isJsonObject(params)) this.fail(`${path}.params`, 'must be an object');
    if (!isJsonObject(inject)) this.fail(`${path}.inject`, 'must be an object');
    if (!Object.prototype.hasOwnProperty.call(state, 'scenario')) {
      this.fail(`${path}.scenario`, 'is required: a scenario name, or null for a state that needs no data');
      return undefined;
    }
    if (state.scenario === null) {
      if (isJsonObject(params) && Object.keys(params).length > 0) this.fail(`${path}.params`, 'must be empty when scenario is null');
      if (isJsonObject(inject) && Object.keys(inject).length > 0) this.fail(`${path}.inject`, 'must be empty when scenario is null (nothing is provisioned)');
      return { scenario: null, params: {}, inject: {} };
    }
    const recipe = typeof state.scenario === 'string' ? this.context.scenarios.find(state.scenario) : undefined;
    if (!recipe) {
      this.fail(`${path}.scenario`, `must name a known scenario (${this.context.scenarios.names().join(', ')}) or be null`);
      return undefined;
    }
    if (!isJsonObject(params) || !isJsonObject(inject)) return undefined;
    this.params(recipe, params, `${path}.params`);
    this.inject(recipe, inject, `${path}.inject`);
    return { scenario: recipe.name, params, inject: inject as Record<string, string> };
  }

  /** Fixed values and defaults must pass the scenario's own params validation; referenced names must exist. */
  private params(recipe: AnyRecipe, params: JsonObject, path: string): void {
    const known = Object.keys((schemaOfDto(recipe.params, (this.schemas ??= dtoSchemas())).properties as JsonSchema | undefined) ?? {});
    const composed: JsonObject = {};
    for (const [key, value] of Object.entries(params)) {
      if (isReservedKey(key)) {
        this.fail(`${path}.${key}`, 'is not a known field');
        continue;
      }
      if (!isParamRef(value)) {
        composed[key] = value;
        continue;
      }
      unknownFields(value as unknown as JsonObject, ['param', 'default'], `${path}.${key}`, this.errors);
      if (typeof value.param !== 'string' || value.param === '') this.fail(`${path}.${key}.param`, 'must name a param of the provider state');
      if (value.default === undefined && !known.includes(key)) this.fail(`${path}.${key}`, `is not a param of scenario ${recipe.name} (allowed: ${known.join(', ')})`);
      if (value.default !== undefined) composed[key] = value.default;
    }
    try {
      validateProvisionRequest(recipe, { params: composed });
    } catch (error) {
      if (!(error instanceof AppError) || !error.errors) throw error;
      for (const field of error.errors) {
        const relative = field.path.replace(/^params\.?/, '');
        // A bad default is named as such; an unknown name is named by its key.
        const fromDefault = isParamRef(params[relative]) && known.includes(relative);
        const where = fromDefault ? `${path}.${relative}.default` : `${path}${relative ? `.${relative}` : ''}`;
        const message = field.message.startsWith(field.path) ? `${where}${field.message.slice(field.path.length)}` : `${where}: ${field.message}`;
        this.errors.push({ path: where, message });
      }
    }
  }

  private inject(recipe: AnyRecipe, inject: JsonObject, path: string): void {
    const entries = Object.entries(inject);
    if (entries.length === 0) return;
    const schema = this.context.results.dataSchemaOf(recipe.name);
    for (const [name, source] of entries) {
      const where = `${path}.${name}`;
      if (!INJECT_NAME.test(name) || isReservedKey(name)) {
        this.fail(where, 'must be named by 1-64 letters, digits, "_", "$", "." or "-", starting with a letter, "_" or "$"');
        continue;
      }
      const segments = typeof source === 'string' ? parsePath(source) : undefined;
      if (!segments) this.fail(where, PATH_FORMAT_MESSAGE);
      else if (!schema) this.fail(where, `cannot be checked: openapi.yaml documents no result for scenario ${recipe.name}`);
      else if (!this.context.results.hasPath(schema, segments)) this.fail(where, `names ${String(source)}, which is not in the result of scenario ${recipe.name}`);
    }
  }
}

/**
 * Checks a mapping as PUT sends it, reporting every offending path at once
 * (e.g. `states["a user with orders"].inject.orderId`), and returns it with
 * its defaults filled in. Throws a 400; never touches the database.
 */
export function validateMapping(body: unknown, context: MappingContext): MappingDefinition {
  const validator = new MappingValidator(context);
  const mapping = validator.mapping(body);
  if (validator.errors.length > 0) throw validationError(validator.errors);
  return mapping;
}

/** The state's definition, looked up as an own property only (a state may be called "constructor"). */
export function stateOf(mapping: MappingDefinition, state: string): StateDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(mapping.states, state) ? mapping.states[state] : undefined;
}
