import { BULK_LOCK_CLASS } from '../../../src/provisioning/bulk-slots';
import { buildTestApp, useTestApp } from '../../support/app';
import { countRowsByTag, testPool, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import { expectCountsInDatabase, expectNothingWritten } from './scenario-helpers';

const testApp = useTestApp();

describe('POST /scenarios/bulk-orders', () => {
  test('When users=20,000 × 5 orders × 3 items, then the whole graph is written in one request with exact counts', async () => {
    const tag = uniqueTag('bulk');
    const started = performance.now();

    const res = await http(testApp.app)
      .post('/scenarios/bulk-orders')
      .send({ tag, seed: 20_000, params: { users: 20_000, ordersPerUser: 5, itemsPerOrder: 3 } })
      .expect(201);

    const seconds = (performance.now() - started) / 1000;
    const rows = totalOf(res.body.counts);
    // The figure the report quotes; the assertions below do not depend on it.
    console.info(`bulk-orders 20,000 × 5 × 3: ${rows} rows in ${seconds.toFixed(2)} s (${Math.round(rows / seconds)} rows/s)`);
    expect(res.body.counts).toMatchObject({ users: 20_000, orders: 100_000, order_items: 300_000, payments: 100_000, products: 50 });
    await expectCountsInDatabase(tag, res.body.counts);
    const wrongTotals = await testPool().query(
      `SELECT count(*)::int AS n FROM (
         SELECT o.id FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.test_tag = $1
         GROUP BY o.id, o.total_cents HAVING o.total_cents <> sum(i.quantity * i.unit_price_cents)) AS wrong`,
      [tag],
    );
    expect(wrongTotals.rows[0].n).toBe(0);
    const { sample } = res.body.data;
    expect(sample.userIds).toHaveLength(10);
    const sampled = await testPool().query('SELECT count(*)::int AS n FROM users WHERE test_tag = $1 AND id = ANY($2)', [tag, sample.userIds]);
    expect(sampled.rows[0].n).toBe(10);
  }, 120_000);

  test('When orders have mixed statuses, then each status has exactly the payments and shipments it implies', async () => {
    const tag = uniqueTag('bulk');

    await http(testApp.app).post('/scenarios/bulk-orders').send({ tag, params: { users: 200, ordersPerUser: 5 } }).expect(201);

    const rows = await testPool().query(
      `SELECT o.status, p.status AS payment, s.status AS shipment, count(*)::int AS n, bool_and(p.amount_cents = o.total_cents) AS paid_in_full
       FROM orders o JOIN payments p ON p.order_id = o.id LEFT JOIN shipments s ON s.order_id = o.id
       WHERE o.test_tag = $1 GROUP BY 1, 2, 3 ORDER BY 1`,
      [tag],
    );
    const expected: Record<string, [string, string | null]> = {
      cancelled: ['voided', null],
      delivered: ['captured', 'delivered'],
      paid: ['captured', null],
      pending: ['authorized', null],
      refunded: ['refunded', null],
      shipped: ['captured', 'in_transit'],
    };
    expect(rows.rows.map((row) => row.status)).toEqual(Object.keys(expected));
    for (const row of rows.rows) {
      expect([row.payment, row.shipment]).toEqual(expected[row.status]);
      expect(row.paid_in_full).toBe(true);
    }
  });

  test('When the params would exceed MAX_ROWS_PER_REQUEST, then 400 names params and nothing is written', async () => {
    const limited = await buildTestApp({ MAX_ROWS_PER_REQUEST: '1000' });
    const tag = uniqueTag('bulk');
    try {
      const res = await http(limited.app)
        .post('/scenarios/bulk-orders')
        .send({ tag, params: { users: 100, ordersPerUser: 5, itemsPerOrder: 3 } })
        .expect(400);

      expect(res.body.errors).toEqual([{ path: 'params', message: expect.stringContaining('MAX_ROWS_PER_REQUEST') }]);
      await expectNothingWritten(tag);
    } finally {
      await limited.close();
    }
  });

  test('When every bulk slot is taken (by any replica), then 429 with Retry-After and nothing is written', async () => {
    const limited = await buildTestApp({ MAX_CONCURRENT_BULK: '1' });
    const holder = await testPool().connect();
    const tag = uniqueTag('bulk');
    try {
      // Another replica's bulk request, as PostgreSQL sees it: slot 0 held by a transaction.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::int, 0)', [BULK_LOCK_CLASS]);

      const res = await http(limited.app).post('/scenarios/bulk-orders').send({ tag, params: { users: 2 } }).expect(429);

      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body).toMatchObject({ status: 429, retryAfterSeconds: Number(res.headers['retry-after']) });
      await expectNothingWritten(tag);
      // Small scenarios never count against the bulk limit.
      await http(limited.app).post('/scenarios/user').send({ tag: uniqueTag('small') }).expect(201);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    try {
      // Released at ROLLBACK: the slot is free again (another test file may hold it for a moment).
      let status = 429;
      for (let attempt = 0; attempt < 20 && status === 429; attempt += 1) {
        status = (await http(limited.app).post('/scenarios/bulk-orders').send({ tag, params: { users: 2 } })).status;
        if (status === 429) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(status).toBe(201);
    } finally {
      await limited.close();
    }
  });
});

describe('POST /scenarios/bulk-orders when a chunk fails', () => {
  // A private cluster: this test cancels statements, which must never hit another test's backend.
  const own = useOwnCluster({ pool: 1 });

  test('When a statement is cancelled after earlier chunks were written, then the whole graph is rolled back', async () => {
    const observer = own.pool;
    const tag = uniqueTag('bulk-fail');
    const request = http(own.app)
      .post('/scenarios/bulk-orders')
      .send({ tag, params: { users: 6_000, ordersPerUser: 5, itemsPerOrder: 3 } })
      .then((res) => res);
    let settled = false;
    void request.finally(() => {
      settled = true;
    });

    // Wait until the orders of at least two chunks have been written, then cancel whatever runs.
    const seen = new Set<string>();
    let cancelled = 0;
    while (!settled) {
      const activity = await observer.query<{ pid: number; query: string; query_start: Date }>(
        `SELECT pid, query, query_start FROM pg_stat_activity
         WHERE state = 'active' AND (query LIKE 'COPY %' OR query LIKE 'INSERT %') AND pid <> pg_backend_pid()`,
      );
      for (const row of activity.rows) if (row.query.includes('"orders"')) seen.add(row.query_start.toISOString());
      if (seen.size >= 2) {
        for (const row of activity.rows) cancelled += (await observer.query('SELECT pg_cancel_backend($1)', [row.pid])).rowCount ?? 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const res = await request;

    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(cancelled).toBeGreaterThan(0);
    expect(res.status).toBe(503);
    expect(res.body.detail).toMatch(/cancelled/);
    const rows = await countRowsByTag(tag, observer);
    expect(totalOf(rows)).toBe(0);
    const tags = await observer.query('SELECT 1 FROM test_tags WHERE tag = $1', [tag]);
    expect(tags.rowCount).toBe(0);
  }, 60_000);
});
