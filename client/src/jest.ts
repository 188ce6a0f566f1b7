import { randomBytes } from 'node:crypto';
import { createTestApi, type CleanupOptions, type DeleteTagResult, type ProvisionOptions, type TagDependents, type TestApi } from './client.js';
import { TestApiConnectionError } from './errors.js';
import type { paths } from './generated/openapi.js';
import type { GraphRequestOf, GraphResultOf, ScenarioName, ScenarioOperations, ScenarioRequest, ScenarioResult } from './scenario-types.js';

/** Options of {@link useTestApi}. */
export interface UseTestApiOptions {
  /** Start of every tag of this file, e.g. the suite's name: `checkout` gives `checkout-3-k2j9x0qa`. */
  prefix: string;
  /** Where testapi listens. Default: `TESTAPI_URL`, else `http://127.0.0.1:3000`; read at the first call, so a `beforeAll` may set it. */
  baseUrl?: string;
  /** Bearer key. Default: `TESTAPI_API_KEY`. */
  apiKey?: string;
  /** Lifetime of the tag in seconds, a safety net when `afterAll` never runs (a killed CI job). Default: the service's. */
  ttlSeconds?: number;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
  /**
   * `'delete'`: the `afterAll` cleanup (and {@link TestData.cleanup}) also deletes rows outside the tag that
   * reference its rows, such as the comments your application wrote on a provisioned article. Without it such
   * rows make the cleanup a 409 that names them, and the tag stays.
   */
  dependents?: CleanupOptions['dependents'];
  /**
   * How long the `afterAll` cleanup may take before it fails the file with a message naming the tag and the time
   * (default 30,000 ms). The hook itself gets 5 s more, so this message comes first, never Jest's generic
   * "Exceeded timeout of 5000 ms for a hook".
   */
  cleanupTimeoutMs?: number;
}

/** The afterAll cleanup's own limit by default: a large tag with dependents on a busy database takes seconds, not minutes. */
export const DEFAULT_CLEANUP_TIMEOUT_MS = 30_000;
/** What Jest's hook timeout adds to ours, so our message is the one a reader sees. */
const HOOK_MARGIN_MS = 5_000;

/** Body of {@link TestData.provision}: the scenario request without `tag`, which the helper owns. */
export type TaggedScenarioRequest<N extends ScenarioName<P>, P = paths> = Omit<ScenarioRequest<N, P>, 'tag'>;

/** Body of {@link TestData.graph}: the graph request without `tag`, which the helper owns. */
export type TaggedGraphRequest<P = paths> = Omit<GraphRequestOf<P>, 'tag'>;

/** What {@link useTestApi} returns: a tag owned by this test file and a client bound to it (typed by `P`, see {@link TestApi}). */
export interface TestData<P = paths> {
  /** This file's tag, `<prefix>-<JEST_WORKER_ID>-<8 random characters>`; usable at module scope. */
  readonly tag: string;
  /** Provisions a scenario under this file's tag (see {@link TestApi.provision}). */
  provision<N extends keyof ScenarioOperations<P> & string>(scenario: N, body?: TaggedScenarioRequest<N, P>, options?: ProvisionOptions): Promise<ScenarioResult<N, P>>;
  /** Provisions an ad hoc graph under this file's tag (see {@link TestApi.graph}). */
  graph(body: TaggedGraphRequest<P>, options?: ProvisionOptions): Promise<GraphResultOf<P>>;
  /** Rows outside the file's tag that reference its rows (what your application wrote under the test's data), per table. */
  dependents(query?: { limit?: number }): Promise<TagDependents>;
  /** Deletes what the tag owns now; `afterAll` does it anyway. `dependents` defaults to the helper's option. */
  cleanup(options?: CleanupOptions): Promise<DeleteTagResult>;
  /** The full client, for reading tags or cleaning up other ones. */
  readonly api: TestApi<P>;
}

type Hook = (fn: () => Promise<void>, timeoutMs?: number) => void;

const TAG_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,40}$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomSuffix(): string {
  // 256 % 36 = 4: the tiny bias towards the first four characters does not matter for uniqueness.
  return Array.from(randomBytes(8), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

function cleanupOptionsOf(options: UseTestApiOptions): CleanupOptions {
  return options.dependents ? { dependents: options.dependents } : {};
}

/**
 * Isolates a Jest test file in its own tag and deletes everything under it in `afterAll`:
 *
 * ```ts
 * const testData = useTestApi({ prefix: 'checkout' });
 * test('...', async () => { const { data } = await testData.provision('user', { params: { role: 'admin' } }); });
 * ```
 *
 * Call it once per file at module scope (or in a `describe`). It uses Jest's global `afterAll`, so it also
 * works with other runners that provide one (Vitest with `globals: true`).
 */
export function useTestApi<P = paths>(options: UseTestApiOptions): TestData<P> {
  if (!TAG_PREFIX.test(options.prefix ?? '')) {
    throw new Error(
      `useTestApi: prefix ${JSON.stringify(options.prefix)} is invalid: use 1-41 letters, digits, '.', '_', ':' or '-', starting with a letter or digit`,
    );
  }
  if (options.cleanupTimeoutMs !== undefined && !(Number.isInteger(options.cleanupTimeoutMs) && options.cleanupTimeoutMs > 0)) {
    throw new Error(`useTestApi: cleanupTimeoutMs ${JSON.stringify(options.cleanupTimeoutMs)} is invalid: give a whole number of milliseconds above 0`);
  }
  const afterAll = (globalThis as { afterAll?: Hook }).afterAll;
  if (typeof afterAll !== 'function') {
    throw new Error('useTestApi: no global afterAll: call it from a Jest test file (or a runner with Jest-style globals)');
  }
  const tag = `${options.prefix}-${process.env.JEST_WORKER_ID ?? '0'}-${randomSuffix()}`;

  let client: TestApi<P> | undefined;
  let baseUrl = '';
  // Set once a call of this file found the service unreachable: that test has failed and said so.
  let unreachable = false;
  const api = (): TestApi<P> => {
    if (client) return client;
    baseUrl = options.baseUrl ?? process.env.TESTAPI_URL ?? 'http://127.0.0.1:3000';
    return (client = createTestApi<P>({
      baseUrl,
      apiKey: options.apiKey ?? process.env.TESTAPI_API_KEY,
      fetch: (input, init) =>
        (options.fetch ?? globalThis.fetch)(input, init).catch((error: unknown) => {
          // The same test as createTestApi's for a network failure (by name: Jest's realms differ).
          if ((error as Error | undefined)?.name === 'TypeError') unreachable = true;
          throw error;
        }),
    }));
  };

  afterAll(async () => {
    // A file that never touched the client has nothing to delete and must not
    // need the service to be up.
    if (!client) return;
    // Read before the cleanup's own request, which sets it too when it fails.
    const testsSawIt = unreachable;
    const limitMs = options.cleanupTimeoutMs ?? DEFAULT_CLEANUP_TIMEOUT_MS;
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tooSlow = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `useTestApi: cleanup of tag ${tag} at ${baseUrl} took longer than ${limitMs} ms (${Date.now() - started} ms so far); ` +
                'the tag keeps its rows until a later cleanup or its expiry. Raise cleanupTimeoutMs if the tag is large, or see GET /tags/' +
                tag,
            ),
          ),
        limitMs,
      );
    });
    try {
      await Promise.race([client.cleanup(tag, cleanupOptionsOf(options)), tooSlow]);
    } catch (error) {
      // The failed tests already name the unreachable service: one more identical failure
      // from the cleanup would bury them. Say once what was left behind instead. If no test
      // saw it, the cleanup's failure is the only word of it and must fail the file.
      if (!(error instanceof TestApiConnectionError && testsSawIt)) throw error;
      process.stderr.write(`useTestApi: could not reach testapi at ${baseUrl} to delete tag ${tag}; what it owns goes when the tag expires.\n`);
    } finally {
      clearTimeout(timer);
    }
  }, (options.cleanupTimeoutMs ?? DEFAULT_CLEANUP_TIMEOUT_MS) + HOOK_MARGIN_MS);

  return {
    tag,
    get api() {
      return api();
    },
    provision(scenario, body, provisionOptions) {
      const request = {
        ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}),
        ...body,
        tag,
      } as ScenarioRequest<typeof scenario, P>;
      return api().provision(scenario, request, provisionOptions);
    },
    graph(body, graphOptions) {
      const request = { ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}), ...body, tag } as GraphRequestOf<P>;
      return api().graph(request, graphOptions);
    },
    cleanup(cleanupOptions) {
      return api().cleanup(tag, cleanupOptions ?? cleanupOptionsOf(options));
    },
    dependents(query) {
      return api().dependents(tag, query);
    },
  };
}
