import type { Pool } from 'pg';
import { emptyCounts } from '../../../src/db/tables';
import { countRowsByTag, totalOf } from '../../support/database';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import { insertGraph, registerTag } from '../../support/sql-fixtures';

// Own cluster: the planner's choice follows the whole database's statistics, and a one-connection pool puts every request on one backend.
const own = useOwnCluster({ env: { DB_POOL_SIZE: '1' } });

const PAGES = 5;
const TAGS_PER_PAGE = 200;

/** `count` registered tags `<prefix>0000`..., each with a user, a product, an order and its item, written in bulk. */
async function insertTags(pool: Pool, prefix: string, count: number): Promise<void> {
  await pool.query(
    `WITH t AS (SELECT $1 || lpad(i::text, 4, '0') AS tag FROM generate_series(0, $2 - 1) AS i),
     reg AS (INSERT INTO test_tags (tag, expires_at) SELECT tag, now() + interval '1 hour' FROM t),
     u AS (INSERT INTO users (test_tag, email, first_name, last_name, role, status)
           SELECT tag, tag || '@example.com', 'Ada', 'Fixture', 'customer', 'active' FROM t RETURNING id, test_tag),
     p AS (INSERT INTO products (test_tag, sku, name, category, price_cents, stock)
           SELECT tag, 'SKU-' || tag, 'Fixture Widget', 'widgets', 1250, 10 FROM t RETURNING id, test_tag),
     o AS (INSERT INTO orders (test_tag, user_id, number, status, total_cents, currency, placed_at)
           SELECT test_tag, id, 'N-' || test_tag, 'paid', 1250, 'USD', now() FROM u RETURNING id, test_tag)
     INSERT INTO order_items (test_tag, order_id, product_id, quantity, unit_price_cents)
     SELECT o.test_tag, o.id, p.id, 1, 1250 FROM o JOIN p USING (test_tag)`,
    [prefix, count],
  );
}

describe('POST /cleanup plans its statements for the tags it is given', () => {
  test('When cleanups of 200 tags each ran on a connection first, then a later cleanup of one small tag there is planned for that tag (no generic plan cached for the delete or the count)', async () => {
    for (let page = 0; page < PAGES; page += 1) await insertTags(own.pool, `page${page}-`, TAGS_PER_PAGE);
    const small = 'small-one';
    await registerTag(small, {}, own.pool);
    const graph = await insertGraph(small, { orders: 2 }, own.pool);
    await own.pool.query('ANALYZE');

    // Five executions, each costed for 200 tags: more than the planner's generic estimate for an array parameter (ten tags).
    for (let page = 0; page < PAGES; page += 1) {
      const res = await http(own.app).post('/cleanup').send({ prefix: `page${page}-` }).expect(200);
      expect(res.body.tags).toHaveLength(TAGS_PER_PAGE);
      expect(res.body.total).toBe(TAGS_PER_PAGE * 4);
    }
    const res = await http(own.app).post('/cleanup').send({ prefix: small }).expect(200);

    expect(res.body).toEqual({
      tags: [small],
      deleted: graph.counts,
      total: totalOf(graph.counts),
      removed: [{ tag: small, deleted: graph.counts, total: totalOf(graph.counts) }],
      kept: [],
    });
    expect(await countRowsByTag(small, own.pool)).toEqual(emptyCounts());
    // The pool's one connection served every request above: what PostgreSQL cached on it is what the next cleanup would run.
    const connection = await own.db.pool.connect();
    try {
      const generic = await connection.query('SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE generic_plans > 0 ORDER BY name');
      expect(generic.rows).toEqual([]);
    } finally {
      connection.release();
    }
  });
});
