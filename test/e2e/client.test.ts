import net from 'node:net';
import { createTestApi, TestApiConnectionError, TestApiError, type ScenarioName, type TableCounts, type TestApi } from '@testapi/client';
import { SCENARIOS } from '../../src/scenarios/registry';
import { contractFetch } from '../support/contract-fetch';
import { closeTestPool, countRowsByTag, testPool, uniqueTag } from '../support/database';
import { startServerProcess, type ServerProcess } from '../support/server-process';

// A user's view: the built service on a free port, driven only through the
// built @testapi/client package; every response is checked against openapi.yaml.
let server: ServerProcess;
let api: TestApi;

beforeAll(async () => {
  server = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL! });
  api = createTestApi({ baseUrl: server.url, fetch: contractFetch() });
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await closeTestPool();
});

const NO_ROWS: TableCounts = {
  organizations: 0,
  users: 0,
  memberships: 0,
  addresses: 0,
  products: 0,
  orders: 0,
  order_items: 0,
  payments: 0,
  shipments: 0,
};

async function provisionAny(scenario: ScenarioName, tag: string): Promise<{ counts: TableCounts; primaryIds: Partial<Record<keyof TableCounts, string[]>> }> {
  switch (scenario) {
    case 'user': {
      const result = await api.provision('user', { tag, seed: 1, params: { role: 'admin', addresses: 2 } });
      expect(result.data.addresses).toHaveLength(2);
      return { counts: result.counts, primaryIds: { users: [result.data.user.id], addresses: result.data.addresses.map((address) => address.id) } };
    }
    case 'user-with-orders': {
      const result = await api.provision('user-with-orders', { tag, seed: 2, params: { orders: 3, itemsPerOrder: 2, status: 'shipped' } });
      expect(result.data.orders).toHaveLength(3);
      expect(result.data.orders.every((order) => order.status === 'shipped' && order.items.length === 2)).toBe(true);
      return { counts: result.counts, primaryIds: { users: [result.data.user.id], orders: result.data.orders.map((order) => order.id) } };
    }
    case 'organization': {
      const result = await api.provision('organization', { tag, seed: 3, params: { members: 3 } });
      expect(result.data.members).toHaveLength(3);
      return { counts: result.counts, primaryIds: { organizations: [result.data.organization.id], users: [result.data.owner.user.id] } };
    }
    case 'catalog': {
      const result = await api.provision('catalog', { tag, seed: 4, params: { products: 5 }, overrides: { product: { category: 'e2e' } } });
      expect(result.data.products.map((product) => product.category)).toEqual(Array(5).fill('e2e'));
      return { counts: result.counts, primaryIds: { products: result.data.products.map((product) => product.id) } };
    }
    case 'bulk-orders': {
      const result = await api.provision('bulk-orders', { tag, seed: 5, params: { users: 4, ordersPerUser: 2, itemsPerOrder: 2, products: 3 } });
      expect(result.counts).toMatchObject({ users: 4, orders: 8, order_items: 16, products: 3 });
      return { counts: result.counts, primaryIds: { users: result.data.sample.userIds, orders: result.data.sample.orderIds } };
    }
    default: {
      // A scenario added since: its defaults, checked like the others through counts, tag() and the database.
      const result = await api.provision(scenario as ScenarioName, { tag, seed: 6 });
      return { counts: result.counts, primaryIds: {} };
    }
  }
}

/** Every scenario of the service's registry: a new one is covered without an edit here. */
const SCENARIO_NAMES = SCENARIOS.map((recipe) => recipe.name as ScenarioName);

describe('@testapi/client against the built service', () => {
  test.each(SCENARIO_NAMES)('When the %s scenario is provisioned, then tag() reports exactly the rows in PostgreSQL, and cleanup() removes them all', async (scenario) => {
    // Arrange
    const tag = uniqueTag(`client-${scenario}`);

    // Act
    const { counts, primaryIds } = await provisionAny(scenario, tag);
    const detail = await api.tag(tag, { includeIds: true });

    // Assert: the answer, the tag and the database agree
    expect(await countRowsByTag(tag)).toEqual(counts);
    expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
    expect(detail).toMatchObject({ tag, counts, total: Object.values(counts).reduce((sum, n) => sum + n, 0) });
    for (const [table, ids] of Object.entries(primaryIds) as [keyof TableCounts, string[]][]) {
      expect(detail.ids?.[table]).toEqual(expect.arrayContaining(ids));
      const rows = await testPool().query(`SELECT count(*)::int AS n FROM ${table} WHERE id = ANY($1::uuid[]) AND test_tag = $2`, [ids, tag]);
      expect(rows.rows[0].n).toBe(ids.length);
    }

    // Act: clean up
    const deleted = await api.cleanup(tag);

    // Assert
    expect(deleted).toEqual({ tag, deleted: counts, total: detail.total });
    expect(await countRowsByTag(tag)).toEqual(NO_ROWS);
    await expect(api.tag(tag)).rejects.toMatchObject({ name: 'TestApiError', status: 404 });
    expect(await api.cleanup(tag)).toEqual({ tag, deleted: NO_ROWS, total: 0 });
  });

  test('When params break the contract, then provision() throws a TestApiError carrying the problem and its field errors, and nothing is written', async () => {
    const tag = uniqueTag('client-invalid');

    const failure = await api.provision('user-with-orders', { tag, params: { orders: 1000 } }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TestApiError);
    const error = failure as TestApiError;
    expect(error.status).toBe(400);
    expect(error.problem).toMatchObject({ status: 400, title: expect.any(String), detail: expect.any(String) });
    expect(error.fieldErrors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'params.orders' })]));
    expect(error.message).toContain(error.problem!.title);
    expect(error.message).toContain('params.orders');
    expect(await countRowsByTag(tag)).toEqual(NO_ROWS);
  });

  test('When the scenario does not exist, then provision() throws a 404 TestApiError', async () => {
    // The name is outside ScenarioName; a JavaScript caller can still send it.
    const failure = await api.provision('no-such-scenario' as ScenarioName).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TestApiError);
    expect(failure).toMatchObject({ status: 404, problem: { status: 404 } });
  });

  test('When a provision is retried with the same idempotency key, then the first result is replayed and rows are written once', async () => {
    const tag = uniqueTag('client-idem');
    const body = { tag, seed: 9, params: { addresses: 1 } };
    const key = uniqueTag('key');

    const first = await api.provision('user', body, { idempotencyKey: key });
    const second = await api.provision('user', body, { idempotencyKey: key });

    expect(second).toEqual(first);
    expect(await countRowsByTag(tag)).toEqual({ ...NO_ROWS, users: 1, addresses: 1 });
    await api.cleanup(tag);
  });

  test('When tags share a prefix, then tags({ prefix }) pages through them and cleanupWhere({ prefix }) deletes only them', async () => {
    const prefix = uniqueTag('client-where');
    const [a, b] = [`${prefix}-a`, `${prefix}-b`];
    const bystander = uniqueTag('client-bystander');
    await api.provision('catalog', { tag: a, params: { products: 1 } });
    await api.provision('catalog', { tag: b, params: { products: 2 } });
    await api.provision('catalog', { tag: bystander, params: { products: 1 } });

    const firstPage = await api.tags({ prefix, limit: 1 });
    const secondPage = await api.tags({ prefix, limit: 1, cursor: firstPage.nextCursor ?? undefined });
    const result = await api.cleanupWhere({ prefix });

    expect([...firstPage.tags, ...secondPage.tags].map((summary) => summary.tag).sort()).toEqual([a, b]);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    expect(result.tags.sort()).toEqual([a, b]);
    expect(result.deleted.products).toBe(3);
    expect(await countRowsByTag(a)).toEqual(NO_ROWS);
    expect(await countRowsByTag(b)).toEqual(NO_ROWS);
    expect((await countRowsByTag(bystander)).products).toBe(1);
    await api.cleanup(bystander);
  });

  test('When the catalog is listed, then scenarios() names every scenario of the service registry, with its params schema', async () => {
    const { scenarios } = await api.scenarios();

    expect(scenarios.map((scenario) => scenario.name).sort()).toEqual([...SCENARIO_NAMES].sort());
    for (const scenario of scenarios) expect(scenario.paramsSchema).toMatchObject({ type: 'object' });
  });

  test('When api.raw is used, then answers come back as { data, error } instead of exceptions', async () => {
    const tag = uniqueTag('client-raw');

    const ok = await api.raw.POST('/scenarios/catalog', { body: { tag, params: { products: 1 } } });
    const bad = await api.raw.POST('/scenarios/catalog', { body: { tag, params: { products: 0 } } });

    expect(ok.error).toBeUndefined();
    expect(ok.data?.counts.products).toBe(1);
    expect(ok.response.status).toBe(201);
    expect(bad.data).toBeUndefined();
    expect(bad.error).toMatchObject({ status: 400, errors: [expect.objectContaining({ path: 'params.products' })] });
    await api.cleanup(tag);
  });

  test('When the service is not listening, then calls throw a TestApiConnectionError naming the URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const offline = createTestApi({ baseUrl: `http://127.0.0.1:${port}` });

    const failure = await offline.tags().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TestApiConnectionError);
    expect((failure as Error).message).toBe(`Cannot reach testapi at http://127.0.0.1:${port}: ECONNREFUSED. Is it running, and is the URL right?`);
  });

  test('When a response drifts from openapi.yaml, then the contract-checking fetch fails the call', async () => {
    const drifting = contractFetch(async () => new Response(JSON.stringify({ tag: 'x', total: 'many' }), { status: 200, headers: { 'content-type': 'application/json' } }));
    const client = createTestApi({ baseUrl: server.url, fetch: drifting });

    await expect(client.cleanup('x')).rejects.toThrow(/drifts from openapi\.yaml/);
  });
});
