import fc from 'fast-check';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import { assertSaneAnswer, fuzzParameters, fuzzTimeout, nastyJson, nastyNumber, nastyString, nearlyValidObject, tableTotals } from './support/fuzz';

// Cleanup deletes across the whole database: a cluster of its own, never the shared one.
const own = useOwnCluster();
let seeded = 0;

/** Gives cleanup something to delete (and to wrongly delete). */
async function seed(): Promise<void> {
  seeded += 1;
  await http(own.app).post('/scenarios/user-with-orders').send({ tag: `ci-seed-${seeded}`, params: { orders: 2 } }).expect(201);
  await http(own.app).post('/scenarios/catalog').send({ tag: `keep-${seeded}`, params: { products: 3 }, ttlSeconds: 1 }).expect(201);
}
beforeAll(seed);

function total(totals: Record<string, number>): number {
  return Object.entries(totals)
    .filter(([table]) => table !== 'test_tags' && table !== 'testapi_idempotency_keys')
    .reduce((sum, [, n]) => sum + n, 0);
}

const tagSegment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,70}$/),
  nastyString,
  fc.constantFrom('ci-seed-1', 'keep-1', '%', '_', '*', '.', '..', ' '),
);

describe('Fuzzing /tags and /cleanup', () => {
  test(
    'When generated tags and queries are read or deleted, then no 5xx, errors are problems, and only a 200 DELETE changes rows, by exactly its total',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('list', 'get', 'delete'),
          tagSegment,
          fc.dictionary(fc.constantFrom('limit', 'cursor', 'prefix', 'include', 'other'), fc.oneof(nastyString, nastyNumber.map(String)), { maxKeys: 3 }),
          async (action, tag, query) => {
            const before = await tableTotals(own.pool);
            const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)])).toString();
            const path = action === 'list' ? '/tags' : `/tags/${encodeURIComponent(tag)}`;
            const url = search ? `${path}?${search}` : path;

            const res = action === 'delete' ? await http(own.app).delete(url) : await http(own.app).get(url);

            assertSaneAnswer(res, `${action} ${url}`);
            const after = await tableTotals(own.pool);
            if (action === 'delete' && res.status === 200) expect(total(before) - total(after)).toBe(res.body.total);
            else expect(after).toEqual(before);
            if (total(after) === 0) await seed();
          },
        ),
        fuzzParameters(400),
      );
    },
    fuzzTimeout(400),
  );

  test(
    'When generated bodies are posted to /cleanup, then no 5xx, errors are problems, rejected bodies delete nothing, and accepted ones delete exactly their total',
    async () => {
      const filterValue = fc.oneof(fc.constant(true), fc.constant(false), fc.integer({ min: -1, max: 400_000_000 }), fc.constantFrom('ci-', 'keep', '%', '_', ''), nastyJson);
      const body = fc.oneof(
        { weight: 5, arbitrary: nearlyValidObject(['all', 'expired', 'olderThanSeconds', 'prefix'], filterValue) },
        { weight: 1, arbitrary: nastyJson },
      );
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          const before = await tableTotals(own.pool);
          const request = http(own.app).post('/cleanup');
          const res =
            typeof value === 'object' && value !== null && !Array.isArray(value)
              ? await request.send(value as object)
              : await request.set('Content-Type', 'application/json').send(JSON.stringify(value) ?? 'null');

          assertSaneAnswer(res, `POST /cleanup ${JSON.stringify(value)?.slice(0, 300)}`);
          const after = await tableTotals(own.pool);
          if (res.status === 200) expect(total(before) - total(after)).toBe(res.body.total);
          else expect(after).toEqual(before);
          expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
          if (total(after) === 0) await seed();
        }),
        fuzzParameters(400),
      );
    },
    fuzzTimeout(400),
  );
});
