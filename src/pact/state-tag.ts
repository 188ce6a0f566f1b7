import { createHash } from 'node:crypto';
import { canonicalJson } from '../provisioning/canonical-json';

/**
 * Mapping names and sessions are at most 24 and 22 characters without dots,
 * so that `pact.<mapping>.<session>.<10 hex>` stays within the 64 characters
 * of a tag and a prefix such as `pact.orders.ci-42.` selects exactly one
 * session for cleanup.
 */
export const MAPPING_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/;
export const SESSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,21}$/;

export const MAPPING_NAME_MESSAGE = 'must be 1-24 letters, digits, "_" or "-", starting with a letter or digit';
export const SESSION_MESSAGE = 'must be 1-22 letters, digits, "_" or "-", starting with a letter or digit';

export interface StateKey {
  mapping: string;
  session: string;
  state: string;
  params: Record<string, unknown>;
}

/**
 * The tag of one provider state in one session: the same state and params
 * always give the same tag (so setup can reset it and a run without teardown
 * leaves one graph per state, not one per run), and the seed of its graph.
 */
export function stateTag(key: StateKey): { tag: string; seed: number } {
  const digest = createHash('sha256').update(canonicalJson({ state: key.state, params: key.params })).digest('hex');
  return { tag: `pact.${key.mapping}.${key.session}.${digest.slice(0, 10)}`, seed: Number.parseInt(digest.slice(10, 18), 16) & 0x7fffffff };
}
