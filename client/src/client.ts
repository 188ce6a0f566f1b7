import createClient, { type Client } from 'openapi-fetch';
import { baseUrlProblem } from './base-url.js';
import { TestApiConnectionError, TestApiError } from './errors.js';
import type { components, paths } from './generated/openapi.js';
import { createPactApi, type PactApi } from './pact.js';
import type { GraphRequestOf, GraphResultOf, ScenarioOperations, ScenarioRequest, ScenarioResult } from './scenario-types.js';

type Schemas = components['schemas'];

/** Options of {@link createTestApi}. */
export interface TestApiOptions {
  /** Where the service listens, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` when the service has `TESTAPI_API_KEY` set. */
  apiKey?: string;
  /** A `fetch` to use instead of the global one (for proxies, recording, or tests). */
  fetch?: typeof fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/** Per-call options of {@link TestApi.provision}. */
export interface ProvisionOptions {
  /** Sent as `Idempotency-Key`: a retry with the same key and body replays the first answer and writes nothing. */
  idempotencyKey?: string;
}

/** Query of {@link TestApi.tag}. */
export interface TagQuery {
  /** Adds up to 1,000 ids per table; follow `nextCursor` for more. */
  includeIds?: boolean;
  /** The `nextCursor` of the previous page of ids. */
  cursor?: string;
}

/** Query of {@link TestApi.tags}. */
export interface TagsQuery {
  /** Only tags starting with this text (matched literally). */
  prefix?: string;
  /** Page size, 1 to 1,000 (default 100). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export type TagDetail = Schemas['TagDetail'];
export type TagRows = Schemas['TagRows'];
export type TagDependents = Schemas['TagDependents'];
/** GET /tags/{tag}/rows: the table, and the page. */
export interface TagRowsQuery {
  table: string;
  limit?: number;
  cursor?: string;
}
export type TagList = Schemas['TagList'];
export type TagSummary = Schemas['TagSummary'];
export type TableCounts = Schemas['TableCounts'];
export type DeleteTagResult = Schemas['DeleteTagResult'];
export type CleanupFilter = Schemas['CleanupRequest'];
/** A tag `POST /cleanup` selected but kept, with every reference outside the selection that keeps it. */
export type KeptTag = Schemas['KeptTag'];
export type CleanupResult = Schemas['CleanupResult'];
export type ScenarioList = Schemas['ScenarioList'];
export type ScenarioInfo = Schemas['ScenarioInfo'];
export type GraphRequest = Schemas['GraphRequest'];
export type GraphResult = Schemas['GraphResult'];
export type SchemaModel = Schemas['SchemaModel'];
export type SchemaSummary = Schemas['SchemaSummary'];
export type Snapshot = Schemas['Snapshot'];
export type ImportResult = Schemas['ImportResult'];
export type CopyRequest = Schemas['CopyRequest'];
export type CopyResult = Schemas['CopyResult'];

/** Options of {@link TestApi.importSnapshot}. */
export interface ImportOptions {
  /** Keep unique values as in the snapshot (a collision is a 409) instead of re-salting them. */
  keepUniqueValues?: boolean;
  /** The tag's lifetime in seconds (default: the service's DEFAULT_TAG_TTL_SECONDS). */
  ttlSeconds?: number;
}

/** Options of {@link TestApi.cleanup}. */
export interface CleanupOptions {
  /** `'delete'` also deletes rows outside the tag that reference its rows (reported under `dependents`). */
  dependents?: 'delete';
}

/**
 * The client returned by {@link createTestApi}. `P` is the `paths` of the contract it is typed by:
 * testapi's fixed one by default, or a deployment's from `testapi generate` (its scenario files and tables).
 */
export interface TestApi<P = paths> {
  /**
   * Provisions a scenario and resolves with what was created. Params and result are typed per scenario:
   * `await api.provision('user-with-orders', { tag: 'checkout-7', seed: 42, params: { orders: 5 } })`.
   * @throws {TestApiError} on any non-2xx answer (400 invalid params, 404 unknown scenario, 409 idempotency conflict, 429 bulk limit).
   */
  provision<N extends keyof ScenarioOperations<P> & string>(scenario: N, body?: ScenarioRequest<N, P>, options?: ProvisionOptions): Promise<ScenarioResult<N, P>>;
  /**
   * One tag with its row counts, and optionally the ids it owns.
   * @throws {TestApiError} 404 when the tag is not registered.
   */
  tag(tag: string, query?: TagQuery): Promise<TagDetail>;
  /** The tag's rows of one table as they are stored now (changed values included, deleted rows gone), a page at a time: pass `nextCursor` back as `cursor`. */
  tagRows(tag: string, query: TagRowsQuery): Promise<TagRows>;
  /** Rows outside the tag that reference its rows, transitively, per table: what `cleanup(tag, { dependents: 'delete' })` would delete. */
  dependents(tag: string, query?: { limit?: number }): Promise<TagDependents>;
  /** One page of registered tags, newest first; pass `nextCursor` back as `cursor` for the next page. */
  tags(query?: TagsQuery): Promise<TagList>;
  /** Deletes every row the tag owns. An unknown or already deleted tag resolves with `total: 0`, so teardown can always call it. */
  cleanup(tag: string, options?: CleanupOptions): Promise<DeleteTagResult>;
  /**
   * Provisions an ad hoc graph in the modelled tables (your schema with `TESTAPI_TARGET_SCHEMAS`):
   * `await api.graph({ tag: 'invoices-3', graph: { customer: [{ count: 2, invoice: [{ count: 3 }] }] } })`.
   * @throws {TestApiError} 400 naming the path of a bad field, 422 when PostgreSQL refuses a value, 409 on a collision.
   */
  graph(body: GraphRequestOf<P>, options?: ProvisionOptions): Promise<GraphResultOf<P>>;
  /** The modelled tables, their columns and the generator testapi uses for each. */
  schema(): Promise<SchemaModel>;
  /** GET /schema?format=summary: one line per table, for schemas too large to read whole. */
  schemaSummary(): Promise<SchemaSummary>;
  /**
   * The tag's rows as a snapshot (`format: testapi.snapshot`), to keep as a fixture and recreate with {@link TestApi.importSnapshot}.
   * @throws {TestApiError} 404 when the tag is not registered.
   */
  exportTag(tag: string): Promise<Snapshot>;
  /**
   * Recreates a snapshot under `tag` with fresh keys; a snapshot object goes as JSON, a string as NDJSON (as exported with `Accept: application/x-ndjson`).
   * @throws {TestApiError} 422 for a snapshot the current schema cannot take or a formatVersion this service cannot read, 409 on a kept unique value's collision.
   */
  importSnapshot(tag: string, snapshot: Snapshot | string, options?: ImportOptions): Promise<ImportResult>;
  /**
   * Copies a sanitized sample of a source database (named in the service's TESTAPI_SOURCES) under `tag`:
   * `await api.copyFromSource('berlin', { source: 'staging', root: { table: 'customer', sample: 50 }, children: 2, seed: 7 })`.
   * @throws {TestApiError} 400 naming an unknown source, table or column; 503 when the source cannot be reached.
   */
  copyFromSource(tag: string, body: CopyRequest): Promise<CopyResult>;
  /**
   * Deletes every registered tag matching the filter: `{ expired: true }`, `{ prefix: 'ci-', olderThanSeconds: 7200 }`
   * (filters combine), or `{ all: true }` alone.
   */
  cleanupWhere(filter: CleanupFilter, options?: CleanupOptions): Promise<CleanupResult>;
  /** The scenario catalog with each scenario's params and overrides JSON Schema. */
  scenarios(): Promise<ScenarioList>;
  /** Pact provider-state mappings: `api.pact.putMapping('orders-api', { states: { ... } })`. */
  readonly pact: PactApi;
  /** The bare openapi-fetch client, for `{ data, error, response }` results instead of exceptions. */
  readonly raw: Client<paths>;
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

async function unwrap<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw new TestApiError(response, error);
  return data as T;
}

/**
 * Creates a typed client for a testapi service. Typed by testapi's fixed contract, or by your
 * deployment's: `createTestApi<paths>(...)` with `paths` from the file `testapi generate` writes.
 *
 * ```ts
 * const api = createTestApi({ baseUrl: 'http://127.0.0.1:3000', apiKey: process.env.TESTAPI_API_KEY });
 * const { data } = await api.provision('user', { tag: 'signup-1', params: { role: 'admin' } });
 * await api.cleanup('signup-1');
 * ```
 */
export function createTestApi<P = paths>(options: TestApiOptions): TestApi<P> {
  const { baseUrl, apiKey, fetch: customFetch, headers } = options;
  if (!baseUrl) throw new Error('createTestApi: `baseUrl` is required, e.g. http://127.0.0.1:3000');
  const urlProblem = baseUrlProblem(baseUrl);
  if (urlProblem) throw new Error(`createTestApi: \`baseUrl\` ${urlProblem}`);
  const raw = createClient<paths>({
    baseUrl,
    ...(customFetch ? { fetch: customFetch } : {}),
    headers: { ...headers, ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}) },
  });
  raw.use({
    // Only network failures surface as TypeError ("fetch failed"); anything
    // else thrown by a custom fetch is the caller's and passes through. Checked
    // by name: under Jest the error comes from another realm's TypeError.
    onError({ error }) {
      if ((error as Error | undefined)?.name === 'TypeError') return new TestApiConnectionError(baseUrl, error);
      return undefined;
    },
  });

  // The scenario path is only known at run time; its types come from ScenarioOperations/Request/Result.
  const post = raw.POST as unknown as (
    path: string,
    init: { body?: unknown; headers?: Record<string, string> },
  ) => Promise<FetchResult<unknown>>;

  return {
    raw,
    pact: createPactApi(raw, baseUrl, unwrap),
    provision<N extends keyof ScenarioOperations<P> & string>(scenario: N, body?: ScenarioRequest<N, P>, provisionOptions?: ProvisionOptions) {
      const idempotencyKey = provisionOptions?.idempotencyKey;
      return unwrap(
        post(`/scenarios/${encodeURIComponent(scenario)}`, {
          body: body ?? {},
          ...(idempotencyKey ? { headers: { 'Idempotency-Key': idempotencyKey } } : {}),
        }),
      ) as Promise<ScenarioResult<N, P>>;
    },
    tag(tag, query = {}) {
      return unwrap(
        raw.GET('/tags/{tag}', {
          params: {
            path: { tag },
            query: { ...(query.includeIds ? { include: 'ids' as const } : {}), ...(query.cursor ? { cursor: query.cursor } : {}) },
          },
        }),
      );
    },
    dependents(tag, query = {}) {
      return unwrap(raw.GET('/tags/{tag}/dependents', { params: { path: { tag }, query } }));
    },
    tagRows(tag, query) {
      return unwrap(raw.GET('/tags/{tag}/rows', { params: { path: { tag }, query } }));
    },
    tags(query = {}) {
      return unwrap(raw.GET('/tags', { params: { query } }));
    },
    cleanup(tag, cleanupOptions = {}) {
      return unwrap(raw.DELETE('/tags/{tag}', { params: { path: { tag }, query: cleanupOptions.dependents ? { dependents: cleanupOptions.dependents } : {} } }));
    },
    graph(body, graphOptions) {
      const idempotencyKey = graphOptions?.idempotencyKey;
      // A generated contract's graph is a narrower type of the same JSON.
      // ...and its answer a narrower type of the same JSON (records typed per table).
      return unwrap(raw.POST('/graphs', { body: body as GraphRequest, ...(idempotencyKey ? { params: { header: { 'Idempotency-Key': idempotencyKey } } } : {}) })) as Promise<GraphResultOf<P>>;
    },
    schema() {
      // Without format=summary the answer is always the whole model.
      return unwrap(raw.GET('/schema')) as Promise<SchemaModel>;
    },
    schemaSummary() {
      return unwrap(raw.GET('/schema', { params: { query: { format: 'summary' } } })) as Promise<SchemaSummary>;
    },
    exportTag(tag) {
      return unwrap(raw.GET('/tags/{tag}/export', { params: { path: { tag } }, headers: { Accept: 'application/json' } })) as Promise<Snapshot>;
    },
    copyFromSource(tag, body) {
      return unwrap(raw.POST('/tags/{tag}/copies', { params: { path: { tag } }, body }));
    },
    importSnapshot(tag, snapshot, importOptions = {}) {
      const query = {
        ...(importOptions.keepUniqueValues !== undefined ? { keepUniqueValues: importOptions.keepUniqueValues ? ('true' as const) : ('false' as const) } : {}),
        ...(importOptions.ttlSeconds !== undefined ? { ttlSeconds: String(importOptions.ttlSeconds) } : {}),
      };
      if (typeof snapshot !== 'string') return unwrap(raw.POST('/tags/{tag}/import', { params: { path: { tag }, query }, body: snapshot }));
      // NDJSON goes as it is: the body serializer must not JSON-encode the text.
      return unwrap(
        raw.POST('/tags/{tag}/import', {
          params: { path: { tag }, query },
          body: snapshot as unknown as Snapshot,
          bodySerializer: (body: unknown) => body as string,
          headers: { 'Content-Type': 'application/x-ndjson' },
        }),
      );
    },
    cleanupWhere(filter, cleanupOptions = {}) {
      const body = cleanupOptions.dependents ? { ...filter, dependents: cleanupOptions.dependents } : filter;
      return unwrap(raw.POST('/cleanup', { body }));
    },
    scenarios() {
      return unwrap(raw.GET('/scenarios'));
    },
  };
}
