import type { Client } from 'openapi-fetch';
import type { components, paths } from './generated/openapi.js';

type Schemas = components['schemas'];

/** The body of `PUT /pact/mappings/{name}`: each provider state → a scenario, its params and the values to inject. */
export type PactMappingRequest = Schemas['PactMappingRequest'];
/** A stored mapping, defaults filled in. */
export type PactMapping = Schemas['PactMapping'];
export type PactState = Schemas['PactState'];

/** Options of {@link pactStateUrl}. */
export interface PactStateUrlOptions {
  /** The mapping stored with `api.pact.putMapping(name, ...)`. */
  mapping: string;
  /** Isolates this verification from concurrent ones, e.g. the CI job id: 1-22 letters, digits, "_" or "-". */
  session: string;
  /** Where testapi listens. Default: `TESTAPI_URL`, else `http://127.0.0.1:3000`. */
  baseUrl?: string;
}

/** `api.pact`: Pact provider-state mappings. */
export interface PactApi {
  /**
   * Creates or replaces a mapping. Checked by the service before it is stored: an unknown scenario, params its
   * scenario refuses or inject paths its result lacks throw a 400 {@link TestApiError} naming each path.
   */
  putMapping(name: string, mapping: PactMappingRequest): Promise<PactMapping>;
  /** @throws {TestApiError} 404 when there is no such mapping. */
  getMapping(name: string): Promise<PactMapping>;
  /** @throws {TestApiError} 404 when there is no such mapping. */
  deleteMapping(name: string): Promise<void>;
  /** {@link pactStateUrl} for this client's service. */
  stateUrl(options: Omit<PactStateUrlOptions, 'baseUrl'>): string;
}

const DEFAULT_URL = 'http://127.0.0.1:3000';

/**
 * The provider-state change URL to give a Pact verifier (`providerStatesSetupUrl` in pact-js,
 * `--state-change-url` for the `pact verifier` CLI). Send testapi's key as the custom header
 * `X-Testapi-Key`: the verifier sends the provider's own `Authorization` there too.
 *
 * ```ts
 * providerStatesSetupUrl: pactStateUrl({ mapping: 'orders-api', session: process.env.CI_JOB_ID ?? 'local' })
 * ```
 */
export function pactStateUrl(options: PactStateUrlOptions): string {
  const base = options.baseUrl ?? (typeof process === 'undefined' ? undefined : process.env.TESTAPI_URL) ?? DEFAULT_URL;
  const url = new URL('pact/provider-states', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('mapping', options.mapping);
  url.searchParams.set('session', options.session);
  return url.toString();
}

type Unwrap = <T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>) => Promise<T>;

/** Built by createTestApi on its own openapi-fetch client and error handling. */
export function createPactApi(raw: Client<paths>, baseUrl: string, unwrap: Unwrap): PactApi {
  const path = (name: string) => ({ params: { path: { name } } });
  return {
    putMapping(name, mapping) {
      return unwrap(raw.PUT('/pact/mappings/{name}', { ...path(name), body: mapping }));
    },
    getMapping(name) {
      return unwrap(raw.GET('/pact/mappings/{name}', path(name)));
    },
    async deleteMapping(name) {
      await unwrap(raw.DELETE('/pact/mappings/{name}', path(name)));
    },
    stateUrl(options) {
      return pactStateUrl({ ...options, baseUrl });
    },
  };
}
