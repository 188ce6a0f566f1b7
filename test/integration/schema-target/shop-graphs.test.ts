import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, uniqueTag } from '../../support/database';
import { http } from '../../support/http';

/** Without TESTAPI_TARGET_SCHEMAS, graphs work on the built-in shop tables and are found by test_tag. */
const testApp = useTestApp();

describe('POST /graphs on the shop tables', () => {
  test('When a user with orders and items is asked for, then the rows carry the tag, CHECK lists and uniques hold, and DELETE /tags removes them', async () => {
    const tag = uniqueTag('shop-graph');
    const res = await http(testApp.app)
      .post('/graphs')
      .send({ tag, seed: 3, graph: { users: [{ count: 2, orders: [{ count: 2, order_items: [{ count: 2 }] }] }] } })
      .expect(201);

    expect(res.body.counts).toEqual({ users: 2, orders: 4, order_items: 8, products: 8 });
    const counts = await countRowsByTag(tag);
    expect(counts).toMatchObject({ users: 2, orders: 4, order_items: 8, products: 8 });
    const statuses = await testPool().query('SELECT DISTINCT status FROM orders WHERE test_tag = $1', [tag]);
    expect(statuses.rows.every((row) => ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'].includes(row.status))).toBe(true);
    const ledger = await testPool().query('SELECT count(*)::int AS n FROM testapi_row_ledger WHERE tag = $1', [tag]);
    expect(ledger.rows[0].n).toBe(0);

    const removed = await http(testApp.app).delete(`/tags/${tag}`).expect(200);

    expect(removed.body.total).toBe(22);
    expect(Object.values(await countRowsByTag(tag)).every((n) => n === 0)).toBe(true);
  });

  test('When GET /schema is read without a target schema, then it models the shop tables and none of testapi’s own', async () => {
    const res = await http(testApp.app).get('/schema').expect(200);

    expect(res.body.mode).toBe('shop');
    expect(res.body.tables.map((table: { name: string }) => table.name).sort()).toEqual(
      ['addresses', 'memberships', 'order_items', 'orders', 'organizations', 'payments', 'products', 'shipments', 'users'].sort(),
    );
  });
});
