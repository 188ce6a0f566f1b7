import { ORDER_STATUSES } from '../../../src/domain/vocabulary';
import { TEST_CARD_LAST4 } from '../../../src/scenarios/factories/order.factory';
import { useTestApp } from '../../support/app';
import { testPool, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { expectCountsInDatabase } from './scenario-helpers';

const testApp = useTestApp();

const db = () => testPool();

describe('POST /scenarios/user-with-orders', () => {
  test('When orders=5 and itemsPerOrder=3, then five orders with three items each exist under the tag', async () => {
    const tag = uniqueTag('uwo');

    const res = await http(testApp.app).post('/scenarios/user-with-orders').send({ tag, params: { orders: 5, itemsPerOrder: 3 } }).expect(201);

    expect(res.body.counts).toMatchObject({ users: 1, products: 5, orders: 5, order_items: 15, payments: 5 });
    await expectCountsInDatabase(tag, res.body.counts);
    expect(res.body.data.orders).toHaveLength(5);
    for (const order of res.body.data.orders) expect(order.items).toHaveLength(3);
  });

  test('When provisioned, then every order total equals the sum of quantity × unit price of its items, in the database', async () => {
    const tag = uniqueTag('uwo');
    await http(testApp.app).post('/scenarios/user-with-orders').send({ tag, params: { orders: 10, itemsPerOrder: 4 } }).expect(201);

    const mismatches = await db().query(
      `SELECT o.id FROM orders o JOIN order_items i ON i.order_id = o.id
       WHERE o.test_tag = $1 GROUP BY o.id, o.total_cents
       HAVING o.total_cents <> sum(i.quantity * i.unit_price_cents)`,
      [tag],
    );
    const orders = await db().query('SELECT count(*)::int AS n FROM orders WHERE test_tag = $1', [tag]);
    expect(orders.rows[0].n).toBe(10);
    expect(mismatches.rowCount).toBe(0);
  });

  test('When provisioned, then items reference products of the same tag, distinct within an order, priced as the product', async () => {
    const tag = uniqueTag('uwo');
    await http(testApp.app).post('/scenarios/user-with-orders').send({ tag, params: { orders: 4, itemsPerOrder: 5 } }).expect(201);

    const foreign = await db().query(
      `SELECT i.id FROM order_items i JOIN products p ON p.id = i.product_id
       WHERE i.test_tag = $1 AND (p.test_tag <> $1 OR p.price_cents <> i.unit_price_cents)`,
      [tag],
    );
    const duplicates = await db().query(
      'SELECT order_id FROM order_items WHERE test_tag = $1 GROUP BY order_id HAVING count(DISTINCT product_id) <> count(*)',
      [tag],
    );
    expect(foreign.rowCount).toBe(0);
    expect(duplicates.rowCount).toBe(0);
  });

  const EXPECTED = {
    pending: { payment: 'authorized', shipment: null },
    paid: { payment: 'captured', shipment: null },
    shipped: { payment: 'captured', shipment: 'in_transit' },
    delivered: { payment: 'captured', shipment: 'delivered' },
    cancelled: { payment: 'voided', shipment: null },
    refunded: { payment: 'refunded', shipment: null },
  } as const;

  test.each(ORDER_STATUSES.map((status) => [status]))(
    'When status=%s, then payments and shipments in the database follow that status',
    async (status) => {
      const tag = uniqueTag(`uwo-${status}`);
      const expected = EXPECTED[status];

      const res = await http(testApp.app).post('/scenarios/user-with-orders').send({ tag, params: { orders: 3, status } }).expect(201);

      const rows = await db().query(
        `SELECT o.status, o.total_cents, p.status AS payment_status, p.amount_cents, p.method, p.card_last4,
                s.status AS shipment_status, s.tracking_number, s.shipped_at, s.delivered_at, o.placed_at
         FROM orders o JOIN payments p ON p.order_id = o.id LEFT JOIN shipments s ON s.order_id = o.id
         WHERE o.test_tag = $1`,
        [tag],
      );
      expect(rows.rowCount).toBe(3);
      for (const row of rows.rows) {
        expect(row.status).toBe(status);
        expect(row.payment_status).toBe(expected.payment);
        expect(row.amount_cents).toBe(row.total_cents);
        if (row.method === 'card') expect(TEST_CARD_LAST4).toContain(row.card_last4);
        else expect(row.card_last4).toBeNull();
        expect(row.shipment_status).toBe(expected.shipment);
        if (expected.shipment) {
          expect(row.tracking_number).toMatch(/^TRK-/);
          expect(row.shipped_at.getTime()).toBeGreaterThan(row.placed_at.getTime());
        }
        if (expected.shipment === 'delivered') expect(row.delivered_at.getTime()).toBeGreaterThan(row.shipped_at.getTime());
        else if (expected.shipment) expect(row.delivered_at).toBeNull();
      }
      const captured = await db().query(`SELECT count(*)::int AS n FROM payments WHERE test_tag = $1 AND status = 'captured'`, [tag]);
      expect(captured.rows[0].n).toBe(expected.payment === 'captured' ? 3 : 0);
      expect(res.body.counts.shipments).toBe(expected.shipment ? 3 : 0);
      for (const order of res.body.data.orders) {
        expect(order.payment.status).toBe(expected.payment);
        expect(order.shipment?.status ?? null).toBe(expected.shipment);
      }
      await expectCountsInDatabase(tag, res.body.counts);
    },
  );

  test('When the same tag is provisioned twice, then both graphs live under it and no unique value collides', async () => {
    const tag = uniqueTag('uwo');

    const first = await http(testApp.app).post('/scenarios/user-with-orders').send({ tag, seed: 1 }).expect(201);
    const second = await http(testApp.app).post('/scenarios/user-with-orders').send({ tag, seed: 1 }).expect(201);

    expect(second.body.data.user.firstName).toBe(first.body.data.user.firstName);
    expect(second.body.data.user.email).not.toBe(first.body.data.user.email);
    const counts = await db().query('SELECT count(*)::int AS n FROM orders WHERE test_tag = $1', [tag]);
    expect(counts.rows[0].n).toBe(6);
  });
});
