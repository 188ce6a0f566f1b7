import { AppError, validationError } from '../errors';
import { parseGraphRequest, type GraphLimits } from '../graphs/graph-request';
import type { GraphResult } from '../graphs/graph.use-case';
import { validateProvisionRequest } from '../provisioning/request-validation';
import { leaseRandomSources } from '../provisioning/seeded-random';
import { resolveGraph } from '../scenario-files/compiled-graph';
import { resultData } from '../scenario-files/result-paths';
import type { ScenarioDefinition } from '../scenario-files/scenario-definition';
import type { ModelIndex } from '../schema/schema-model';
import { compiledGraphState } from './graph-state';
import { parsePath, valueAt } from './inject-path';
import { isGraphState, type ScenarioCatalog, type StateDefinition } from './mapping';
import { composeParams } from './param-ref';
import type { StateWrite } from './reset-and-provision';

/** What one setup writes into the state's tag and how its answer is read from what was written. */
export interface StateSetup {
  write?: StateWrite;
  pick(written: unknown): Record<string, unknown>;
}

export interface SetupContext {
  state: string;
  /** The state's params as the verifier sent them. */
  given: Record<string, unknown>;
  tag: string;
  seed: number;
  ttlSeconds: number;
  catalog: ScenarioCatalog;
  model(): Promise<ModelIndex>;
  limits: GraphLimits;
}

/** 422: the verifier never retries a 4xx, and a mapping that no longer fits the service is no one's transient failure. */
export function unprocessable(type: string, title: string, detail: string): AppError {
  return new AppError({ type, title, status: 422, detail });
}

function missing(state: string, name: string, path: string): AppError {
  // Only an index beyond this graph's rows gets here (the mapping's paths were checked when stored).
  return validationError([{ path: 'params', message: `state "${state}" injects ${name} from ${path}, which this graph does not have: its params made it smaller` }]);
}

/** Inject values read by path from a scenario's `data`. */
function injectFromData(inject: Record<string, string>, state: string, data: unknown): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(inject)) {
    const value = valueAt(data, parsePath(path) ?? []);
    if (value === undefined) throw missing(state, name, path);
    values[name] = value;
  }
  return values;
}

/** A graph state's inject is its inline file's `result`: the values are `data` itself, once every row they name exists. */
function injectFromGraph(definition: ScenarioDefinition, state: string, result: GraphResult): Record<string, unknown> {
  for (const [name, path] of definition.result ?? []) {
    if (path.index === undefined) continue;
    const rows = 'alias' in path.source ? (result.aliases[path.source.alias] ?? []).length : (result.counts[path.source.table.label] ?? 0);
    if (path.index >= rows) throw missing(state, name, `${'alias' in path.source ? path.source.alias : path.source.table.label}[${path.index}]`);
  }
  return resultData(definition.result, result);
}

/** The file's templates filled in from the setup's params and seed, planned by the graph engine into the state's tag. */
async function planGraph(definition: ScenarioDefinition, params: Record<string, unknown>, context: SetupContext): Promise<StateWrite> {
  const errors = definition.params.validate(params);
  if (errors.length > 0) throw validationError(errors);
  const sources = leaseRandomSources(context.seed);
  let graph: Record<string, unknown>;
  try {
    graph = resolveGraph(definition, { params, faker: sources.faker });
  } finally {
    sources.release();
  }
  const plan = parseGraphRequest({ graph, seed: context.seed, tag: context.tag, ttlSeconds: context.ttlSeconds }, await context.model(), context.limits);
  return { kind: 'graph', plan };
}

export async function stateSetup(definition: StateDefinition, context: SetupContext): Promise<StateSetup> {
  const params = composeParams(definition.params, context.given);
  if (isGraphState(definition)) {
    const compiled = compiledGraphState(definition, await context.model(), context.limits);
    if (Array.isArray(compiled)) {
      const first = compiled[0]!;
      throw unprocessable('pact-state-outdated', 'Pact state no longer fits the model', `State "${context.state}" maps to a graph the current model refuses (${first.path}: ${first.message}); store the mapping again.`);
    }
    return { write: await planGraph(compiled, params, context), pick: (written) => injectFromGraph(compiled, context.state, written as GraphResult) };
  }
  if (definition.scenario === null) return { pick: () => ({}) };
  const target = context.catalog.find(definition.scenario);
  if (!target) {
    throw unprocessable('unknown-scenario', 'Unknown scenario', `State "${context.state}" maps to scenario "${definition.scenario}", which this service does not have.`);
  }
  if (target.kind === 'file') {
    const { definition: file } = target;
    return {
      write: await planGraph(file, params, context),
      pick: (written) => injectFromData(definition.inject, context.state, resultData(file.result, written as GraphResult)),
    };
  }
  const { recipe } = target;
  const request = validateProvisionRequest(recipe, { params });
  const estimate = recipe.estimateRows(request.params);
  if (estimate > context.limits.maxRows) {
    throw validationError([{ path: 'params', message: `params would create up to ${estimate} rows; the limit is ${context.limits.maxRows} per request (MAX_ROWS_PER_REQUEST)` }]);
  }
  return {
    write: { kind: 'recipe', run: { recipe, params: request.params, overrides: request.overrides, seed: context.seed } },
    pick: (data) => injectFromData(definition.inject, context.state, data),
  };
}
