import fc from 'fast-check';
import request from 'supertest';
import type { TestApp } from '../../support/app';
import { http } from '../../support/http';
import { SCENARIOS } from '../../../src/scenarios/registry';
import { useOwnCluster } from '../../support/own-cluster';
import { assertSaneAnswer, fuzzParameters, fuzzTimeout, nastyJson, tableTotals } from './support/fuzz';

// Generated paths reach /cleanup and DELETE /tags too: a cluster of its own.
const own = useOwnCluster();
const KEY = 'fuzz-key-0123456789abcdef';
let secured: TestApp;

beforeAll(async () => {
  secured = await own.buildApp({ TESTAPI_API_KEY: KEY });
  await http(own.app).post('/scenarios/user').send({ tag: 'paths-seed', params: { addresses: 1 } }).expect(201);
});

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

/** /docs (HTML and assets, redirects) is outside the API contract: plain supertest there, http() everywhere else. */
function call(app: TestApp['app'], method: Method, url: string): request.Test {
  return /^\/docs(\/|\?|$)/i.test(url) ? request(app)[method](url) : http(app)[method](url);
}

/** Every scenario of the registry is a route word: a new scenario is fuzzed without an edit here. */
const SCENARIO_NAMES = SCENARIOS.map((recipe) => recipe.name);

/** Path segments: real route words, junk, percent-encodings (valid and malformed), dot segments. */
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('scenarios', 'tags', 'cleanup', 'health', 'ready', 'metrics', 'docs', 'openapi.yaml', ...SCENARIO_NAMES) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~:@!$&'()*+,;=-]{0,30}$/) },
  { weight: 1, arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%2F', '%00', '%E0%A4%A', '%zz', '%', '%25', '%C0%AF', '%F0%9F%92%A9', '~', '') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent) },
);
const path = fc.oneof(
  fc.array(segment, { minLength: 0, maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
  // Routes with a path parameter, where the router percent-decodes what it is given.
  fc.tuple(fc.constantFrom('/tags/', '/scenarios/'), segment).map(([prefix, last]) => `${prefix}${last}`),
);
const query = fc.oneof(
  fc.constant(''),
  fc.dictionary(fc.constantFrom('limit', 'cursor', 'prefix', 'include', 'x', '__proto__', 'constructor'), fc.stringMatching(/^[A-Za-z0-9%._-]{0,20}$/), { maxKeys: 3 }).map(
    (entries) => Object.entries(entries).map(([key, value]) => `${key}=${value}`).join('&'),
  ),
  fc.constantFrom('limit=1&limit=2', 'prefix[]=a', 'prefix[a]=b', '%zz=1', 'a=%E0%A4%A'),
);

describe('Fuzzing paths and methods', () => {
  test(
    'When generated methods and paths hit the service, then no 5xx, every error is a contract-valid problem, and nothing is written unless the call succeeded',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...METHODS), path, query, fc.option(nastyJson, { nil: undefined }), async (method, pathname, search, body) => {
          const url = search ? `${pathname}?${search}` : pathname;
          const before = await tableTotals(own.pool);

          let pending = call(own.app, method, url);
          if (body !== undefined) pending = pending.set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null');
          const res = await pending;

          assertSaneAnswer(res, `${method.toUpperCase()} ${url}`);
          if (res.status >= 400 || method === 'get') expect(await tableTotals(own.pool)).toEqual(before);
        }),
        fuzzParameters(400),
      );
    },
    fuzzTimeout(400),
  );

  test(
    'When generated paths and Authorization headers hit a keyed service, then only public paths answer without the key, and nothing is written',
    async () => {
      const authorization = fc.oneof(
        fc.constant(undefined),
        fc.constantFrom(`Bearer ${KEY.slice(0, -1)}`, `Bearer ${KEY}x`, 'Bearer', `Basic ${KEY}`, `Bearer  ${KEY.toUpperCase()}`),
        fc.stringMatching(/^[\x21-\x7e ]{0,80}$/),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...METHODS), path, authorization, async (method, pathname, auth) => {
          const before = await tableTotals(own.pool);

          let pending = call(secured.app, method, pathname);
          if (auth !== undefined) pending = pending.set('Authorization', auth);
          const res = await pending.send({ all: true, tag: 'paths-seed' });

          assertSaneAnswer(res, `${method.toUpperCase()} ${pathname} (${auth})`);
          // The environment page (/ and its assets under /page/) is public too: it holds no data.
          const publicPath = /^\/((health|ready|openapi\.yaml|docs)(\/|$)|$|page\/)/i.test(pathname);
          if (!publicPath) expect(res.status).toBe(401);
          expect(await tableTotals(own.pool)).toEqual(before);
        }),
        fuzzParameters(250),
      );
    },
    fuzzTimeout(250),
  );
});
