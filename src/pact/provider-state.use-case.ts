import type { Config } from '../config';
import { AppError, validationError } from '../errors';
import { validateProvisionRequest } from '../provisioning/request-validation';
import { deleteTag, type DeleteTagDeps } from '../tags/delete-tag.use-case';
import { parsePath, valueAt } from './inject-path';
import { isParamRef, stateOf, type ScenarioCatalog, type StateDefinition } from './mapping';
import { findMapping } from './mapping.repository';
import { resetAndProvision, type ResetDeps } from './reset-and-provision';
import type { StateChange } from './state-request';
import { stateTag } from './state-tag';

export interface ProviderStateDeps extends ResetDeps {
  config: Pick<Config, 'maxConcurrentBulk' | 'maxRowsPerRequest'>;
  scenarios: ScenarioCatalog;
  removal: DeleteTagDeps;
}

export interface StateReply {
  /** Top-level keys become the verifier's provider-state values (`${orderId}`). */
  values: Record<string, unknown>;
  /** The tag holding the state's rows; absent for the empty state and ignored unknown ones. */
  tag?: string;
}

/** 422: the verifier never retries a 4xx, and a misnamed state is no one's transient failure. */
function unprocessable(type: string, title: string, detail: string): AppError {
  return new AppError({ type, title, status: 422, detail });
}

function knownStates(names: string[]): string {
  const shown = names.slice(0, 10).map((name) => JSON.stringify(name));
  return names.length > 10 ? `${shown.join(', ')} and ${names.length - 10} more` : shown.join(', ') || 'none';
}

/** The scenario params of a setup: fixed values, then the state's params by name, then the mapping's defaults. */
function scenarioParams(definition: StateDefinition, given: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(definition.params)) {
    const value = isParamRef(spec) ? (Object.prototype.hasOwnProperty.call(given, spec.param) ? given[spec.param] : spec.default) : spec;
    if (value !== undefined) params[name] = value;
  }
  return params;
}

function injected(definition: StateDefinition, state: string, data: unknown): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(definition.inject)) {
    const value = valueAt(data, parsePath(path) ?? []);
    if (value === undefined) {
      // Only an index beyond this graph's arrays gets here (the mapping's paths were checked against the result schema).
      throw validationError([{ path: 'params', message: `state "${state}" injects ${name} from ${path}, which this graph does not have: its params made it smaller` }]);
    }
    values[name] = value;
  }
  return values;
}

/**
 * POST /pact/provider-states: one state change as a Pact verifier sends it.
 * Setup empties the state's tag and provisions its graph in one transaction,
 * then answers the inject values; teardown deletes the tag.
 */
export async function changeProviderState(deps: ProviderStateDeps, change: StateChange): Promise<StateReply> {
  // Interactions without a state are still announced, with "".
  if (change.state === '') return { values: {} };
  const mapping = await findMapping(deps.db.pool, change.mapping);
  if (!mapping) {
    throw unprocessable('unknown-pact-mapping', 'Unknown Pact mapping', `No Pact mapping "${change.mapping}"; create it with PUT /pact/mappings/${change.mapping}.`);
  }
  const definition = stateOf(mapping.definition, change.state);
  if (!definition) {
    if (mapping.definition.unknownStates === 'ignore') return { values: {} };
    throw unprocessable(
      'unknown-provider-state',
      'Unknown provider state',
      `Pact mapping "${change.mapping}" has no state "${change.state}" (known: ${knownStates(Object.keys(mapping.definition.states))}); add it with PUT /pact/mappings/${change.mapping}.`,
    );
  }
  const { tag, seed } = stateTag(change);
  if (change.action === 'teardown') {
    await deleteTag(deps.removal, tag);
    return { values: {}, tag };
  }
  const recipe = definition.scenario === null ? undefined : deps.scenarios.find(definition.scenario);
  if (definition.scenario !== null && !recipe) {
    throw unprocessable('unknown-scenario', 'Unknown scenario', `State "${change.state}" maps to scenario "${definition.scenario}", which this service does not have.`);
  }
  let graph;
  if (recipe) {
    const request = validateProvisionRequest(recipe, { params: scenarioParams(definition, change.params) });
    const estimate = recipe.estimateRows(request.params);
    if (estimate > deps.config.maxRowsPerRequest) {
      throw validationError([{ path: 'params', message: `params would create up to ${estimate} rows; the limit is ${deps.config.maxRowsPerRequest} per request (MAX_ROWS_PER_REQUEST)` }]);
    }
    graph = { recipe, params: request.params, overrides: request.overrides, seed };
  }
  const { value } = await resetAndProvision(deps, {
    tag,
    ttlSeconds: mapping.definition.ttlSeconds,
    graph,
    pick: (data) => (recipe ? injected(definition, change.state, data) : {}),
  });
  return { values: value, tag };
}
