import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
// The built package, as users get it (npm test runs build:client first).
import { createTestApi, TestApiError, type TestApi } from '@testapi/client';
import { uniqueTag } from '../../support/database';
import { contractFetch } from '../../support/contract-fetch';
import { ledgerCounts } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/** The client's graph(), schema() and cleanup(tag, { dependents }) against a target schema, every exchange checked against the contract. */
const northwind = useTargetApp('northwind');
let server: Server;
let api: TestApi;

beforeAll(async () => {
  server = northwind.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  api = createTestApi({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, fetch: contractFetch() });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('The client on a target schema (Northwind, text and smallint keys)', () => {
  test('When graph() provisions customers with orders and cleanup() deletes the tag, then the rows come and go in PostgreSQL', async () => {
    const tag = uniqueTag('client-graph');
    const schema = await api.schema();
    expect(schema.tables.find((table) => table.name === 'customers')?.columns.find((column) => column.name === 'customer_id')?.generator.kind).toBe('key-text');

    const created = await api.graph({ tag, graph: { customers: [{ count: 2, orders: [{ count: 1, order_details: [{ count: 2 }] }] }] } });

    expect(created.counts).toEqual({ customers: 2, orders: 2, order_details: 4, products: 4 });
    const ids = created.records.customers!.map((row) => row.customer_id as string);
    expect(ids.every((id) => /^[A-Z0-9]{5}$/.test(id))).toBe(true);
    const stored = await northwind.pool.query('SELECT count(*)::int AS n FROM orders WHERE customer_id = ANY($1)', [ids]);
    expect(stored.rows[0].n).toBe(2);

    const removed = await api.cleanup(tag, { dependents: 'delete' });

    expect(removed).toEqual({ tag, deleted: { customers: 2, orders: 2, order_details: 4, products: 4 }, dependents: {}, total: 12 });
    expect(await ledgerCounts(northwind.pool, tag)).toEqual({});
  });

  test('When graph() is given an unknown column, then it throws a TestApiError with the 400 problem naming the path', async () => {
    const failure = await api.graph({ graph: { shippers: [{ set: { fleet: 3 } }] } }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TestApiError);
    expect((failure as TestApiError).status).toBe(400);
    expect((failure as TestApiError).fieldErrors).toEqual([{ path: 'graph.shippers[0].set.fleet', message: expect.any(String) }]);
  });
});
