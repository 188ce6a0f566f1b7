import { uniqueTag } from '../../support/database';
import { http, liveContract } from '../../support/http';
import { ledgerCounts } from '../schema-target/support/target-checks';
import { useTargetApp } from '../schema-target/support/target-app';
import { scenarioDir } from './scenario-dir';

type Row = Record<string, any>;

describe('Scenario files on Pagila', () => {
  const pagila = useTargetApp('pagila', { TESTAPI_SCENARIOS_DIR: scenarioDir('pagila').dir });

  test('When customer-with-late-rentals is provisioned, then the rentals date daysLate days before the reference date, each paid by that customer, and the chain of parents exists', async () => {
    const contract = await liveContract(pagila.app);
    const tag = uniqueTag('late');
    const res = await http(pagila.app, contract).post('/scenarios/customer-with-late-rentals').send({ tag, seed: 3, ttlSeconds: 600, params: { rentals: 3, daysLate: 10 } }).expect(201);

    const { customer, rentals } = res.body.data;
    expect(rentals).toHaveLength(3);
    const rows = await pagila.pool.query(
      `SELECT to_char(r.rental_date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS rented, r.return_date, p.customer_id AS paid_by, p.amount::text AS amount, ci.city IS NOT NULL AS has_city
         FROM rental r JOIN payment p ON p.rental_id = r.rental_id JOIN customer c ON c.customer_id = r.customer_id
         JOIN address a ON a.address_id = c.address_id JOIN city ci ON ci.city_id = a.city_id
        WHERE r.customer_id = $1 ORDER BY r.rental_id`,
      [customer.customer_id],
    );
    expect(rows.rows).toEqual(Array(3).fill({ rented: '2024-12-22', return_date: null, paid_by: customer.customer_id, amount: '4.99', has_city: true }));
    expect(await ledgerCounts(pagila.pool, tag)).toMatchObject({ customer: 1, rental: 3, payment: 3, inventory: 3, address: 1, city: 1, country: 1 });
    const lease = await pagila.pool.query(`SELECT extract(epoch FROM expires_at - now())::int AS seconds FROM testapi.test_tags WHERE tag = $1`, [tag]);
    expect(lease.rows[0].seconds).toBeGreaterThan(590);
    expect(lease.rows[0].seconds).toBeLessThanOrEqual(600);
  });
});

describe('Scenario files on Northwind', () => {
  // A low row limit: the scenario's defaults fit (11 rows), its largest params do not.
  const northwind = useTargetApp('northwind', { TESTAPI_SCENARIOS_DIR: scenarioDir('northwind').dir, MAX_ROWS_PER_REQUEST: '40' });

  test('When customer-with-open-orders is provisioned, then its orders are due 20 days after the reference date, unshipped, with their lines, under text and smallint keys testapi allocated', async () => {
    const contract = await liveContract(northwind.app);
    const tag = uniqueTag('open');
    const res = await http(northwind.app, contract).post('/scenarios/customer-with-open-orders').send({ tag, params: { orders: 2, lines: 3 } }).expect(201);

    const { customer, orders, lines } = res.body.data;
    expect(customer.customer_id).toMatch(/^.{1,5}$/);
    expect(orders).toHaveLength(2);
    expect(lines).toHaveLength(6);
    const rows = await northwind.pool.query(
      `SELECT o.order_id, to_char(o.order_date, 'YYYY-MM-DD') AS ordered, to_char(o.required_date, 'YYYY-MM-DD') AS due, o.shipped_date, count(d.*)::int AS lines
         FROM orders o JOIN order_details d USING (order_id) WHERE o.customer_id = $1 GROUP BY o.order_id ORDER BY o.order_id`,
      [customer.customer_id],
    );
    expect(rows.rows.map(({ order_id: _id, ...rest }: Row) => rest)).toEqual(Array(2).fill({ ordered: '2024-12-22', due: '2025-01-21', shipped_date: null, lines: 3 }));
    expect(rows.rows.map((row: Row) => row.order_id).sort()).toEqual(orders.map((order: Row) => order.order_id).sort());
    expect(await ledgerCounts(northwind.pool, tag)).toMatchObject({ customers: 1, orders: 2, order_details: 6, products: 6 });
  });

  test('When params would create more rows than MAX_ROWS_PER_REQUEST, then 400 names graph and nothing is written', async () => {
    const tag = uniqueTag('too-many');
    const res = await http(northwind.app).post('/scenarios/customer-with-open-orders').send({ tag, params: { orders: 10, lines: 10 } }).expect(400);

    expect(res.body.errors).toEqual([{ path: 'graph', message: expect.stringContaining('MAX_ROWS_PER_REQUEST') }]);
    expect(await ledgerCounts(northwind.pool, tag)).toEqual({});
  });
});
