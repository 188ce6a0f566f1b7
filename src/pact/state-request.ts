import { validationError, type FieldError } from '../errors';
import { isJsonObject } from './json';
import { MAPPING_NAME_MESSAGE, MAPPING_NAME_PATTERN, SESSION_MESSAGE, SESSION_PATTERN, type StateKey } from './state-tag';

export type StateAction = 'setup' | 'teardown';

/** The state's key (`state` is "" for interactions without a provider state) and what to do with it. */
export interface StateChange extends StateKey {
  action: StateAction;
}

/** Query names of testapi's own; every other query name is a state param in query mode. */
const RESERVED = new Set(['mapping', 'session', 'state', 'action']);

/** Query mode sends non-string params as JSON text (`orders=2`, `flag=true`); anything else stays a string. */
function fromQueryText(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function single(query: Record<string, unknown>, name: string, errors: FieldError[]): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return value;
  errors.push({ path: name, message: `${name} must be given once` });
  return undefined;
}

/**
 * Reads a state change as the Pact verifiers send it: in body mode
 * `{"state", "params", "action"}`, in query mode (`--state-change-as-query`)
 * an empty body and `?state=...&action=...&<param>=<value>`. The mapping and
 * the session always come from the query (they are part of the state URL).
 */
export function parseStateChange(query: Record<string, unknown>, body: unknown): StateChange {
  const errors: FieldError[] = [];
  const mapping = single(query, 'mapping', errors);
  const session = single(query, 'session', errors);
  if (mapping === undefined || !MAPPING_NAME_PATTERN.test(mapping)) errors.push({ path: 'mapping', message: `mapping is required and ${MAPPING_NAME_MESSAGE}` });
  if (session === undefined || !SESSION_PATTERN.test(session)) errors.push({ path: 'session', message: `session is required and ${SESSION_MESSAGE}` });

  const bodyMode = isJsonObject(body) && Object.keys(body).length > 0;
  let state: unknown;
  let action: unknown;
  let params: unknown;
  if (bodyMode) {
    ({ state, action, params } = body);
    for (const key of Object.keys(body)) {
      if (!['state', 'action', 'params'].includes(key)) errors.push({ path: key, message: `${key} is not a known field (allowed: state, params, action)` });
    }
  } else {
    state = single(query, 'state', errors);
    action = single(query, 'action', errors);
    params = Object.fromEntries(
      Object.entries(query)
        .filter(([name]) => !RESERVED.has(name))
        .map(([name, value]) => [name, Array.isArray(value) ? value.map((item) => fromQueryText(String(item))) : fromQueryText(String(value))]),
    );
  }
  if (typeof state !== 'string') errors.push({ path: 'state', message: 'state is required: the provider state name ("" for none)' });
  action ??= 'setup';
  if (action !== 'setup' && action !== 'teardown') errors.push({ path: 'action', message: 'action must be "setup" or "teardown"' });
  params ??= {};
  if (!isJsonObject(params)) errors.push({ path: 'params', message: 'params must be an object' });
  if (errors.length > 0) throw validationError(errors);
  return { mapping: mapping!, session: session!, state: state as string, params: params as Record<string, unknown>, action: action as StateAction };
}
