import type { Config } from '../config';
import { deleteTag, type DeleteTagDeps } from '../tags/delete-tag.use-case';
import { stateOf, type ScenarioCatalog } from './mapping';
import { findMapping } from './mapping.repository';
import { resetAndProvision, type ResetDeps } from './reset-and-provision';
import type { StateChange } from './state-request';
import { stateTag } from './state-tag';
import { stateSetup, unprocessable } from './state-write';

export interface ProviderStateDeps extends ResetDeps {
  config: Pick<Config, 'maxConcurrentBulk' | 'maxRowsPerRequest' | 'defaultTagTtlSeconds'>;
  /** The scenarios of the service's mode: built-in recipes, or the scenario files of a target schema. */
  scenarios(): Promise<ScenarioCatalog>;
  removal: DeleteTagDeps;
}

export interface StateReply {
  /** Top-level keys become the verifier's provider-state values (`${orderId}`). */
  values: Record<string, unknown>;
  /** The tag holding the state's rows; absent for the empty state and ignored unknown ones. */
  tag?: string;
}

function knownStates(names: string[]): string {
  const shown = names.slice(0, 10).map((name) => JSON.stringify(name));
  return names.length > 10 ? `${shown.join(', ')} and ${names.length - 10} more` : shown.join(', ') || 'none';
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
  const { ttlSeconds } = mapping.definition;
  const setup = await stateSetup(definition, {
    state: change.state,
    given: change.params,
    tag,
    seed,
    ttlSeconds,
    catalog: await deps.scenarios(),
    model: () => deps.schema.current(),
    limits: { maxRows: deps.config.maxRowsPerRequest, defaultTtlSeconds: deps.config.defaultTagTtlSeconds },
  });
  const { value } = await resetAndProvision(deps, { tag, ttlSeconds, write: setup.write, pick: setup.pick });
  return { values: value, tag };
}
