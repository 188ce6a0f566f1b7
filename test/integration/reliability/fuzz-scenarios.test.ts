import fc from 'fast-check';
import { countRowsByTag } from '../../support/database';
import { http } from '../../support/http';
import { useListeningServer } from '../../support/listening-server';
import { useOwnCluster } from '../../support/own-cluster';
import { describeScenarios } from '../../../src/provisioning/scenario-schemas';
import { SCENARIOS as REGISTRY } from '../../../src/scenarios/registry';
import { assertSaneAnswer, fuzzParameters, fuzzTimeout, nastyJson, nastyNumber, nastyString, nearlyValidObject, rawRequest, tableTotals } from './support/fuzz';

// Row counts are compared across the whole database: a cluster of its own, nothing else writes there.
// A low row cap keeps generated graphs small and exercises the limit itself.
const own = useOwnCluster({ env: { MAX_ROWS_PER_REQUEST: '2000' } });
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
// One server for every run: supertest given the app listens on a new port and closes it per request, which under
// doubled load cost the 500 runs their time (round 11 of issue 22: past the 40 s bound).
const listening = useListeningServer(() => own);

type ScenarioName = string;

function fieldsOf(schema: unknown): Record<string, unknown> {
  return ((schema as { properties?: Record<string, unknown> }).properties ?? {});
}

/**
 * Each scenario's param names and override groups with their fields, read
 * from the DTOs of the registry (as GET /scenarios lists them): a new
 * scenario is fuzzed without an edit here.
 */
const SCENARIOS: Record<ScenarioName, { params: readonly string[]; overrides: Record<string, readonly string[]> }> = Object.fromEntries(
  describeScenarios(REGISTRY).map((info) => [
    info.name,
    {
      params: Object.keys(fieldsOf(info.paramsSchema)),
      overrides: Object.fromEntries(Object.entries(fieldsOf(info.overridesSchema)).map(([group, schema]) => [group, Object.keys(fieldsOf(schema))])),
    },
  ]),
);
const NAMES = Object.keys(SCENARIOS);

const tag = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^fz-[A-Za-z0-9._:-]{1,20}$/) },
  { weight: 1, arbitrary: nastyString },
  { weight: 1, arbitrary: nastyNumber },
);
const paramValue = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -1, max: 30 }) },
  { weight: 2, arbitrary: fc.constantFrom('customer', 'admin', 'support', 'active', 'suspended', 'paid', 'shipped', 'pending', 'bogus') },
  { weight: 1, arbitrary: nastyJson },
);
const overrideValue = fc.oneof(
  fc.constantFrom('ana@example.com', 'someone@gmail.com', 'not-an-email', 'x@y.test', 'Ana', '', 'acme', 'acme.example'),
  nastyString,
  nastyNumber,
  nastyJson,
);

function scenarioBody(name: ScenarioName): fc.Arbitrary<unknown> {
  const spec = SCENARIOS[name];
  const overrideGroups = Object.entries(spec!.overrides);
  const overrides =
    overrideGroups.length === 0
      ? nastyJson
      : fc.dictionary(
          fc.constantFrom(...overrideGroups.map(([group]) => group), '__proto__', 'constructor', 'other'),
          fc.oneof(nearlyValidObject(overrideGroups[0]?.[1] ?? [], overrideValue), nastyJson),
          { maxKeys: 3 },
        );
  const nearlyValid = fc.record(
    {
      tag,
      seed: fc.oneof(fc.integer({ min: 0, max: 2_147_483_647 }), nastyNumber, nastyString),
      ttlSeconds: fc.oneof(fc.integer({ min: 1, max: 2_592_000 }), nastyNumber),
      params: fc.oneof({ weight: 4, arbitrary: nearlyValidObject(spec!.params, paramValue) }, { weight: 1, arbitrary: nastyJson }),
      overrides,
      ['__proto__']: fc.oneof(nastyJson, fc.constant({ polluted: true })),
      constructor: fc.constant({ prototype: { polluted: true } }),
      extra: nastyJson,
    },
    { requiredKeys: [] },
  );
  return fc.oneof({ weight: 5, arbitrary: nearlyValid }, { weight: 1, arbitrary: nastyJson });
}

const scenarioCase = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...NAMES).chain((name) => fc.tuple(fc.constant<string>(name), scenarioBody(name))) },
  { weight: 1, arbitrary: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), nastyJson) },
);

async function send(name: string, body: unknown, headers: Record<string, string> = {}): Promise<import('supertest').Response> {
  const request = http(listening.base).post(`/scenarios/${encodeURIComponent(name)}`).set(headers);
  // Objects go as objects (the contract check sees them); anything else as its JSON text.
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? await request.send(body as object)
    : await request.set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null');
}

function assertNoPrototypePollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
}

describe('Fuzzing POST /scenarios/{name}', () => {
  test(
    'When generated bodies are posted to every scenario, then no 5xx, every error is a contract-valid problem, and rejected requests change no row',
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioCase, async ([name, body]) => {
          const before = await tableTotals(own.pool);

          const res = await send(name, body);

          assertSaneAnswer(res, `POST /scenarios/${name} ${JSON.stringify(body)?.slice(0, 300)}`);
          if (res.status >= 400) expect(await tableTotals(own.pool)).toEqual(before);
          assertNoPrototypePollution();
        }),
        fuzzParameters(500),
      );
    },
    fuzzTimeout(500),
  );

  test(
    'When generated header values accompany a valid body, then no 5xx and errors are problems',
    async () => {
      const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,300}$/);
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            'Idempotency-Key': headerValue,
            'X-Request-Id': headerValue,
            Accept: fc.constantFrom('*/*', 'application/json', 'text/html', 'application/xml', ''),
            'Content-Type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/problem+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16'),
          }, { requiredKeys: [] }),
          fc.constantFrom<ScenarioName>('user', 'catalog'),
          async (headers, name) => {
            const before = await tableTotals(own.pool);
            const body = { tag: `fz-h-${Math.random().toString(36).slice(2, 10)}`, params: name === 'user' ? { addresses: 1 } : { products: 2 } };

            const sent = Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== ''));

            const res = await rawRequest(own.app, 'post', `/scenarios/${name}`, JSON.stringify(body), sent);

            assertSaneAnswer(res, `POST /scenarios/${name} with ${JSON.stringify(headers)}`);
            if (res.status >= 400) expect(await tableTotals(own.pool)).toEqual(before);
          },
        ),
        fuzzParameters(150),
      );
    },
    fuzzTimeout(150),
  );

  test(
    'When raw, possibly malformed bodies are posted, then they are rejected as problems and nothing is written',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<ScenarioName>(...NAMES),
          fc.oneof(fc.string({ maxLength: 200 }), fc.json().map((text) => text.slice(0, -1)), fc.constantFrom('{', '[]', '"x"', '1', 'null', '{"tag": "fz-a",}', '\u0000', '{"params": {"orders": 1e999}}')),
          fc.constantFrom('application/json', 'text/plain', 'application/octet-stream'),
          async (name, text, contentType) => {
            const before = await tableTotals(own.pool);

            const res = await rawRequest(own.app, 'post', `/scenarios/${name}`, text, { 'Content-Type': contentType });

            assertSaneAnswer(res, `POST /scenarios/${name} (${contentType}) ${JSON.stringify(text).slice(0, 200)}`);
            if (res.status >= 400) expect(await tableTotals(own.pool)).toEqual(before);
          },
        ),
        fuzzParameters(150),
      );
    },
    fuzzTimeout(150),
  );

  test(
    'When generated valid requests are posted, then each is created and the rows under its tag match the counts returned',
    async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({ name: fc.constant('user'), params: fc.record({ addresses: fc.integer({ min: 0, max: 5 }), role: fc.constantFrom('customer', 'admin', 'support') }) }),
            fc.record({ name: fc.constant('user-with-orders'), params: fc.record({ orders: fc.integer({ min: 1, max: 4 }), itemsPerOrder: fc.integer({ min: 1, max: 3 }), status: fc.constantFrom('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded') }) }),
            fc.record({ name: fc.constant('organization'), params: fc.record({ members: fc.integer({ min: 1, max: 5 }) }) }),
            fc.record({ name: fc.constant('catalog'), params: fc.record({ products: fc.integer({ min: 1, max: 10 }) }) }),
          ),
          fc.integer({ min: 0, max: 2_147_483_647 }),
          async ({ name, params }, seed) => {
            n += 1;
            const tagName = `fz-valid-${n}-${seed}`;

            const res = await send(name, { tag: tagName, seed, params });

            expect([res.status, res.text.slice(0, 300)]).toEqual([201, expect.any(String)]);
            expect(await countRowsByTag(tagName, own.pool)).toEqual(res.body.counts);
          },
        ),
        fuzzParameters(50),
      );
    },
    fuzzTimeout(50),
  );
});
