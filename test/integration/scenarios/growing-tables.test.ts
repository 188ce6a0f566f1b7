import { Client, type Pool } from 'pg';
import { countRowsByTag, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import { until } from '../../support/until';

// Own cluster: the test empties and vacuums the shop's parent tables, which
// would make every other suite's writes check their foreign keys by scanning.
const own = useOwnCluster();

/** The parent tables a user-with-orders graph's foreign keys point at. */
const PARENTS = ['users', 'orders', 'products'] as const;

interface TableStats {
  seqScans: number;
  inserted: number;
}

async function statsOf(pool: Pool, table: string): Promise<TableStats> {
  const { rows } = await pool.query<{ seq_scan: string; n_tup_ins: string }>('SELECT seq_scan, n_tup_ins FROM pg_stat_user_tables WHERE relname = $1', [table]);
  return { seqScans: Number(rows[0]!.seq_scan), inserted: Number(rows[0]!.n_tup_ins) };
}

/**
 * Backends publish their statistics when idle, at most every 10 s unless
 * asked: ask every connection of the app's pool to publish now.
 */
async function publishStatsOf(pool: Pool): Promise<void> {
  const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
  try {
    await Promise.all(clients.map((client) => client.query('SELECT pg_stat_force_next_flush()')));
  } finally {
    for (const client of clients) client.release();
  }
}

/**
 * The state autovacuum leaves after a large cleanup: the tables held many
 * rows, lost them all and were vacuumed (statistics "0 rows"). Filled by
 * SQL (a few thousand rows in each parent, under a tag of their own), so the
 * test does not need minutes of provisioning; deleted through the service.
 */
async function fillEmptyAndVacuum(pool: Pool): Promise<void> {
  const tag = uniqueTag('before');
  await pool.query("INSERT INTO test_tags (tag, expires_at) VALUES ($1, now() + interval '1 hour')", [tag]);
  await pool.query(
    `INSERT INTO users (test_tag, email, first_name, last_name, role, status)
     SELECT $1, 'fill.' || n || '.' || $1 || '@example.test', 'Ada', 'Fill', 'customer', 'active' FROM generate_series(1, 5000) n`,
    [tag],
  );
  await pool.query(
    `INSERT INTO orders (test_tag, user_id, number, status, total_cents, currency, placed_at)
     SELECT $1, id, 'FILL-' || id, 'pending', 0, 'EUR', now() FROM users WHERE test_tag = $1`,
    [tag],
  );
  await pool.query(`INSERT INTO products (test_tag, sku, name, category, price_cents, stock) SELECT $1, 'FILL-' || n || '-' || $1, 'Fill', 'widgets', 100, 1 FROM generate_series(1, 5000) n`, [tag]);
  // Every tag of this cluster, including an earlier test's: the tables must end up empty.
  await http(own.app).post('/cleanup').send({ all: true }).expect(200);
  await pool.query('VACUUM (ANALYZE) users, orders, products, order_items, payments, shipments');
  const { rows } = await pool.query<{ relname: string; reltuples: number; live: number }>(
    `SELECT c.relname, c.reltuples, s.n_live_tup::int AS live FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = ANY($1) AND c.relkind = 'r'`,
    [[...PARENTS]],
  );
  // Precondition of the trap: PostgreSQL believes the parents are empty.
  expect(rows.map((row) => ({ relname: row.relname, reltuples: Number(row.reltuples) }))).toEqual(
    expect.arrayContaining(PARENTS.map((relname) => ({ relname, reltuples: 0 }))),
  );
}

describe('Provisioning into tables that were emptied and vacuumed', () => {
  test('When small graphs are written after a large cleanup and VACUUM, then their foreign keys are checked through indexes: no sequential scan of the parents they fill', async () => {
    await fillEmptyAndVacuum(own.pool);
    const before = Object.fromEntries(await Promise.all(PARENTS.map(async (table) => [table, await statsOf(own.pool, table)] as const)));
    const tags = Array.from({ length: 20 }, () => uniqueTag('grow'));

    for (const tag of tags) await http(own.app).post('/scenarios/user-with-orders').send({ tag, params: { orders: 3, itemsPerOrder: 2 } }).expect(201);

    // Statistics reach the shared view when the service's backends go idle: wait for the inserts to show, then read the scans.
    await publishStatsOf(own.db.pool);
    const after = await until('the inserts of the 20 requests show in pg_stat_user_tables', async () => {
      const stats = Object.fromEntries(await Promise.all(PARENTS.map(async (table) => [table, await statsOf(own.pool, table)] as const)));
      return stats.orders!.inserted - before.orders!.inserted >= 60 && stats.users!.inserted - before.users!.inserted >= 20 ? stats : undefined;
    });
    for (const table of PARENTS) expect({ table, seqScans: after[table]!.seqScans - before[table]!.seqScans }).toEqual({ table, seqScans: 0 });
    // Every graph is complete, in the database (read last: these reads may scan).
    for (const tag of tags) expect(await countRowsByTag(tag, own.pool)).toMatchObject({ users: 1, orders: 3, order_items: 6, payments: 3 });
  });

  test('When a session with PostgreSQL default settings (not the service\'s) inserts a child row into the same state, then its foreign-key check also goes through the index: the tables keep their pages, nothing depends on a session setting', async () => {
    await fillEmptyAndVacuum(own.pool);
    const tag = uniqueTag('control');
    const control = new Client({ connectionString: own.url });
    await control.connect();
    try {
      await control.query("INSERT INTO test_tags (tag, expires_at) VALUES ($1, now() + interval '1 hour')", [tag]);
      const user = await control.query<{ id: string }>(
        `INSERT INTO users (test_tag, email, first_name, last_name, role, status) VALUES ($1, 'control.' || gen_random_uuid() || '@example.test', 'Ada', 'Test', 'customer', 'active') RETURNING id`,
        [tag],
      );
      const before = await statsOf(own.pool, 'users');
      const ordersBefore = await statsOf(own.pool, 'orders');

      await control.query(
        `INSERT INTO orders (test_tag, user_id, number, status, total_cents, currency, placed_at) VALUES ($1, $2, 'CTRL-' || gen_random_uuid(), 'pending', 0, 'EUR', now())`,
        [tag, user.rows[0]!.id],
      );
      await control.query('SELECT pg_stat_force_next_flush()');
      await control.query('SELECT 1');

      const after = await until('the control insert shows in pg_stat_user_tables', async () => {
        const orders = await statsOf(own.pool, 'orders');
        return orders.inserted > ordersBefore.inserted ? statsOf(own.pool, 'users') : undefined;
      });
      expect(after.seqScans - before.seqScans).toBe(0);
    } finally {
      await control.query('DELETE FROM orders WHERE test_tag = $1', [tag]);
      await control.query('DELETE FROM users WHERE test_tag = $1', [tag]);
      await control.query('DELETE FROM test_tags WHERE tag = $1', [tag]);
      await control.end();
    }
  });
});
