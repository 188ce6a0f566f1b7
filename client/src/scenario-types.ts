import type { paths } from './generated/openapi.js';

// A scenario is any literal POST /scenarios/<name> path answering 201; the
// /scenarios/{name} catch-all (404 for unknown names) is excluded, so adding a
// scenario to openapi.yaml and regenerating is all the client needs.
type ScenarioKey<P extends keyof paths> = P extends `/scenarios/${infer Name}`
  ? Name extends `${string}/${string}` | `${string}{${string}`
    ? never
    : paths[P] extends { post: { responses: { 201: unknown } } }
      ? Name
      : never
  : never;

/** The POST operation of each scenario path, keyed by scenario name. */
export type ScenarioOperations = {
  [P in keyof paths as ScenarioKey<P>]: paths[P] extends { post: infer Operation } ? Operation : never;
};

/**
 * Names of the scenarios in the catalog, e.g. `'user'` or `'user-with-orders'`.
 * Signatures that take a name spell this out as `keyof ScenarioOperations & string`
 * instead of using the alias: TypeScript then lists the valid names in the error
 * for a wrong one, where the alias would print only "ScenarioName".
 */
export type ScenarioName = keyof ScenarioOperations & string;

/** The JSON body of `POST /scenarios/<name>`: `tag`, `seed`, `ttlSeconds`, `params`, `overrides`. */
export type ScenarioRequest<N extends ScenarioName> = ScenarioOperations[N] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

/** The `params` a scenario accepts. */
export type ScenarioParams<N extends ScenarioName> = NonNullable<ScenarioRequest<N> extends { params?: infer Params } ? Params : never>;

/** The `overrides` a scenario accepts. */
export type ScenarioOverrides<N extends ScenarioName> = NonNullable<
  ScenarioRequest<N> extends { overrides?: infer Overrides } ? Overrides : never
>;

/** The 201 answer of `POST /scenarios/<name>`: tag, seed, counts and the created records in `data`. */
export type ScenarioResult<N extends ScenarioName> = ScenarioOperations[N] extends {
  responses: { 201: { content: { 'application/json': infer Result } } };
}
  ? Result
  : never;
