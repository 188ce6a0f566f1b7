import type { components, paths } from './generated/openapi.js';

// A scenario is any literal POST /scenarios/<name> path answering 201; the
// /scenarios/{name} catch-all (404 for unknown names) is excluded, so adding a
// scenario to openapi.yaml and regenerating is all the client needs.
//
// Every type takes the `paths` of a contract, by default testapi's fixed one
// (openapi.yaml). `testapi generate` writes the `paths` of one deployment (its
// scenario files, its tables); `createTestApi<paths>()` then types those.
type ScenarioKey<P, K extends keyof P> = K extends `/scenarios/${infer Name}`
  ? Name extends `${string}/${string}` | `${string}{${string}`
    ? never
    : P[K] extends { post: { responses: { 201: unknown } } }
      ? Name
      : never
  : never;

/** The POST operation of each scenario path, keyed by scenario name. */
export type ScenarioOperations<P = paths> = {
  [K in keyof P as ScenarioKey<P, K>]: P[K] extends { post: infer Operation } ? Operation : never;
};

/**
 * Names of the scenarios in the catalog, e.g. `'user'` or `'user-with-orders'`.
 * Signatures that take a name spell this out as `keyof ScenarioOperations<P> & string`
 * instead of using the alias: TypeScript then lists the valid names in the error
 * for a wrong one, where the alias would print only "ScenarioName".
 */
export type ScenarioName<P = paths> = keyof ScenarioOperations<P> & string;

/** The JSON body of `POST /scenarios/<name>`: `tag`, `seed`, `ttlSeconds`, `params`, `overrides`. */
export type ScenarioRequest<N extends ScenarioName<P>, P = paths> = ScenarioOperations<P>[N] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

/** The `params` a scenario accepts. */
export type ScenarioParams<N extends ScenarioName<P>, P = paths> = NonNullable<ScenarioRequest<N, P> extends { params?: infer Params } ? Params : never>;

/** The `overrides` a scenario accepts. */
export type ScenarioOverrides<N extends ScenarioName<P>, P = paths> = NonNullable<
  ScenarioRequest<N, P> extends { overrides?: infer Overrides } ? Overrides : never
>;

/** The 201 answer of `POST /scenarios/<name>`: tag, seed, counts and the created records in `data`. */
export type ScenarioResult<N extends ScenarioName<P>, P = paths> = ScenarioOperations<P>[N] extends {
  responses: { 201: { content: { 'application/json': infer Result } } };
}
  ? Result
  : never;

/** The body of `POST /graphs`: with a generated contract, tables, columns and child keys of that deployment. */
export type GraphRequestOf<P = paths> = P extends { '/graphs': { post: { requestBody?: { content: { 'application/json': infer Body } } } } }
  ? Body
  : components['schemas']['GraphRequest'];

/** The 201 answer of `POST /graphs`: with a generated contract, `records` typed per table of that deployment. */
export type GraphResultOf<P = paths> = P extends { '/graphs': { post: { responses: { 201: { content: { 'application/json': infer Result } } } } } }
  ? Result
  : components['schemas']['GraphResult'];
