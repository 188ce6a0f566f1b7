import type { FieldError } from '../errors';
import type { GraphLimits } from '../graphs/graph-request';
import type { ModelIndex } from '../schema/schema-model';
import { compileScenario, type ScenarioDefinition } from '../scenario-files/scenario-definition';
import { isParamRef } from './param-ref';

/**
 * A state mapped to a graph (`{"graph": ..., "params": ..., "inject": ...}`)
 * is checked and run as an inline scenario file: the graph engine's own
 * parser validates the graph (templates such as `{{params.orders}}` filled
 * with sample values), and `inject` is the file's `result`, so its paths
 * (`customer[0].customer_id`, `buyer[0].email`) are checked against the
 * graph's tables, aliases and columns. The params' types come from their
 * fixed values and defaults, which is why a param taken from the state
 * needs a default here.
 */
export interface GraphStateSource {
  graph: unknown;
  params: Record<string, unknown>;
  inject: Record<string, unknown>;
}

const SCALAR_TYPES = new Set(['string', 'number', 'boolean']);

function paramsSchema(params: Record<string, unknown>, errors: FieldError[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(params)) {
    const ref = isParamRef(spec);
    const value = ref ? spec.default : spec;
    if (ref && value === undefined) {
      errors.push({ path: `params.${name}`, message: 'needs a default in a graph mapping: its type is the type of the templates that use it' });
      continue;
    }
    if (!SCALAR_TYPES.has(typeof value)) {
      errors.push({ path: `params.${name}${ref ? '.default' : ''}`, message: 'must be a string, a number or a boolean (graph templates take scalars)' });
      continue;
    }
    const type = typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
    properties[name] = { type, default: value };
  }
  return { type: 'object', properties, additionalProperties: false };
}

/** A path of the inline file as the mapping names it. */
function mappingPath(path: string): string {
  if (path.startsWith('result')) return `inject${path.slice('result'.length)}`;
  if (path.startsWith('params.properties.')) return `params.${path.slice('params.properties.'.length)}`;
  return path;
}

/** The state compiled against `model`, or every problem with its path relative to the state (`graph.customer[0].count`, `inject.customerId`). */
export function compileGraphState(state: GraphStateSource, model: ModelIndex, limits: GraphLimits): ScenarioDefinition | FieldError[] {
  const errors: FieldError[] = [];
  const params = paramsSchema(state.params, errors);
  if (errors.length > 0) return errors;
  const compiled = compileScenario({ file: 'state', content: { name: 'pact-state', version: 1, params, graph: state.graph, result: state.inject } }, model, limits);
  if (!Array.isArray(compiled)) return compiled;
  return compiled.map((problem) => ({ path: mappingPath(problem.path), message: problem.message }));
}

const cache = new WeakMap<ModelIndex, Map<string, ScenarioDefinition | FieldError[]>>();
const CACHE_SIZE = 500;

/** compileGraphState, kept per model: every setup of a graph state would otherwise compile its params schema again. */
export function compiledGraphState(state: GraphStateSource, model: ModelIndex, limits: GraphLimits): ScenarioDefinition | FieldError[] {
  let byText = cache.get(model);
  if (!byText) cache.set(model, (byText = new Map()));
  const key = JSON.stringify([state, limits.maxRows]);
  let compiled = byText.get(key);
  if (!compiled) {
    if (byText.size >= CACHE_SIZE) byText.clear();
    compiled = compileGraphState(state, model, limits);
    byText.set(key, compiled);
  }
  return compiled;
}
