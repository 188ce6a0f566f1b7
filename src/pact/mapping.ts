import { validationError, type FieldError } from '../errors';
import type { GraphLimits } from '../graphs/graph-request';
import { MAX_TTL_SECONDS } from '../provisioning/request-validation';
import type { AnyRecipe } from '../provisioning/scenario-recipe';
import type { ScenarioDefinition } from '../scenario-files/scenario-definition';
import type { ModelIndex } from '../schema/schema-model';
import { fileResultHasPath } from './file-inject';
import { isReservedKey, unknownFields } from './field-checks';
import { compileGraphState } from './graph-state';
import { parsePath, PATH_FORMAT_MESSAGE, type PathSegment } from './inject-path';
import { isJsonObject, type JsonObject } from './json';
import { checkParams, recipeParamNames, recipeParamsValidation } from './mapping-params';
import { isParamRef } from './param-ref';
import type { ResultSchemas } from './result-schemas';

export { isParamRef, type ParamRef } from './param-ref';

/** What a scenario name resolves to: a built-in recipe (the shop) or a scenario file (a target schema). */
export type ScenarioTarget = { kind: 'recipe'; recipe: AnyRecipe } | { kind: 'file'; definition: ScenarioDefinition };

/** Where mappings find scenarios: the route hands in the catalog of its mode, the engine never looks names up. */
export interface ScenarioCatalog {
  find(name: string): ScenarioTarget | undefined;
  names(): string[];
}

export interface ScenarioStateDefinition {
  /** null: the state needs no data (setup only empties its tag). */
  scenario: string | null;
  /** Scenario param name → fixed value or {@link ParamRef}. */
  params: Record<string, unknown>;
  /** Provider-state value name → path into the scenario's `data`. */
  inject: Record<string, string>;
}

export interface GraphStateDefinition {
  /** A POST /graphs `graph`, templates of the scenario-file vocabulary allowed. */
  graph: Record<string, unknown>;
  /** Template param name → fixed value or {@link ParamRef} with a default. */
  params: Record<string, unknown>;
  /** Provider-state value name → path into the created rows (`customer[0].customer_id`, `buyer[0].email`). */
  inject: Record<string, string>;
}

export type StateDefinition = ScenarioStateDefinition | GraphStateDefinition;

export function isGraphState(definition: StateDefinition): definition is GraphStateDefinition {
  return Object.prototype.hasOwnProperty.call(definition, 'graph');
}

export type UnknownStates = 'reject' | 'ignore';

export interface MappingDefinition {
  ttlSeconds: number;
  unknownStates: UnknownStates;
  states: Record<string, StateDefinition>;
}

export interface MappingContext {
  scenarios: ScenarioCatalog;
  /** openapi.yaml's result schemas, for the built-in recipes. */
  results: ResultSchemas;
  defaultTtlSeconds: number;
  /** The model graph states are checked against (the shop's tables, or the target schema's). */
  model: ModelIndex;
  limits: GraphLimits;
}

const MAX_STATES = 1_000;
const MAX_STATE_NAME = 500;
/** Injected names become top-level keys of the setup answer and `${name}` in pact expressions. */
const INJECT_NAME = /^[A-Za-z_$][\w$.-]{0,63}$/;


class MappingValidator {
  readonly errors: FieldError[] = [];

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
      this.fail(path, 'must be an object such as {"scenario": "user", "params": {}, "inject": {"userId": "user.id"}} or {"graph": {...}, "inject": {...}}');
      return undefined;
    }
    unknownFields(state, ['scenario', 'graph', 'params', 'inject'], path, this.errors);
    const params = state.params ?? {};
    const inject = state.inject ?? {};
    if (!isJsonObject(params)) this.fail(`${path}.params`, 'must be an object');
    if (!isJsonObject(inject)) this.fail(`${path}.inject`, 'must be an object');
    const hasScenario = Object.prototype.hasOwnProperty.call(state, 'scenario');
    if (Object.prototype.hasOwnProperty.call(state, 'graph')) {
      if (hasScenario) {
        this.fail(path, 'maps to a scenario or to a graph, not both');
        return undefined;
      }
      if (!isJsonObject(params) || !isJsonObject(inject)) return undefined;
      return this.graphState(state.graph, params, inject, path);
    }
    if (!hasScenario) {
      this.fail(`${path}.scenario`, 'is required: a scenario name, or null for a state that needs no data (or give a graph instead)');
      return undefined;
    }
    if (state.scenario === null) {
      if (isJsonObject(params) && Object.keys(params).length > 0) this.fail(`${path}.params`, 'must be empty when scenario is null');
      if (isJsonObject(inject) && Object.keys(inject).length > 0) this.fail(`${path}.inject`, 'must be empty when scenario is null (nothing is provisioned)');
      return { scenario: null, params: {}, inject: {} };
    }
    const target = typeof state.scenario === 'string' ? this.context.scenarios.find(state.scenario) : undefined;
    if (!target) {
      const names = this.context.scenarios.names();
      this.fail(`${path}.scenario`, `must name a known scenario (${names.join(', ') || 'none: add scenario files, or map the state to a graph'}) or be null`);
      return undefined;
    }
    if (!isJsonObject(params) || !isJsonObject(inject)) return undefined;
    if (target.kind === 'recipe') {
      this.errors.push(...checkParams(target.recipe.name, recipeParamNames(target.recipe), recipeParamsValidation(target.recipe), params, `${path}.params`));
      this.inject(inject, `${path}.inject`, (where, source, segments) => {
        const schema = this.context.results.dataSchemaOf(target.recipe.name);
        if (!schema) this.fail(where, `cannot be checked: openapi.yaml documents no result for scenario ${target.recipe.name}`);
        else if (!this.context.results.hasPath(schema, segments)) this.fail(where, `names ${source}, which is not in the result of scenario ${target.recipe.name}`);
      });
    } else {
      const { definition } = target;
      this.errors.push(...checkParams(definition.name, [...definition.params.types.keys()], (composed) => definition.params.validate({ ...composed }), params, `${path}.params`));
      this.inject(inject, `${path}.inject`, (where, source, segments) => {
        if (!fileResultHasPath(definition, this.context.model, segments)) this.fail(where, `names ${source}, which is not in the result of scenario ${definition.name}`);
      });
    }
    return { scenario: target.kind === 'recipe' ? target.recipe.name : target.definition.name, params, inject: inject as Record<string, string> };
  }

  /** The graph engine's own parser checks the graph; inject paths are checked against its tables, aliases and columns. */
  private graphState(graph: unknown, params: JsonObject, inject: JsonObject, path: string): GraphStateDefinition | undefined {
    const before = this.errors.length;
    this.injectNames(inject, `${path}.inject`);
    for (const [key, value] of Object.entries(params)) {
      if (isReservedKey(key)) this.fail(`${path}.params.${key}`, 'is not a known field');
      else if (isParamRef(value)) unknownFields(value as unknown as JsonObject, ['param', 'default'], `${path}.params.${key}`, this.errors);
    }
    if (this.errors.length > before) return undefined;
    const compiled = compileGraphState({ graph, params, inject }, this.context.model, this.context.limits);
    if (Array.isArray(compiled)) {
      for (const problem of compiled) this.errors.push({ path: `${path}.${problem.path}`, message: `${path}.${problem.path}: ${problem.message}` });
      return undefined;
    }
    return { graph: graph as Record<string, unknown>, params, inject: inject as Record<string, string> };
  }

  /** Injected names become top-level keys of the answer and `${name}` in pact expressions. */
  private injectNameFits(name: string, where: string): boolean {
    if (INJECT_NAME.test(name) && !isReservedKey(name)) return true;
    this.fail(where, 'must be named by 1-64 letters, digits, "_", "$", "." or "-", starting with a letter, "_" or "$"');
    return false;
  }

  /** A graph's paths are checked by the graph's compiler; here only what it cannot say. */
  private injectNames(inject: JsonObject, path: string): void {
    for (const [name, source] of Object.entries(inject)) {
      const where = `${path}.${name}`;
      if (this.injectNameFits(name, where) && typeof source !== 'string') this.fail(where, 'must be a path such as customer[0].customer_id');
    }
  }

  private inject(inject: JsonObject, path: string, check: (where: string, source: string, segments: PathSegment[]) => void): void {
    for (const [name, source] of Object.entries(inject)) {
      const where = `${path}.${name}`;
      if (!this.injectNameFits(name, where)) continue;
      const segments = typeof source === 'string' ? parsePath(source) : undefined;
      if (!segments) this.fail(where, PATH_FORMAT_MESSAGE);
      else check(where, source as string, segments);
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
