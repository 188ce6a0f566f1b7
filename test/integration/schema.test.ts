import 'reflect-metadata';
import { createDataSource } from '../../src/db/data-source';
import { closeTestPool, databaseUrl, testPool } from '../support/database';

const DOMAIN_TABLES = ['organizations', 'users', 'memberships', 'addresses', 'products', 'orders', 'order_items', 'payments', 'shipments'];

afterAll(closeTestPool);

describe('The schema after migrations', () => {
  test('When migrated, then exactly the specified public tables exist, internal ones prefixed testapi_', async () => {
    const result = await testPool().query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const tables = result.rows.map((row) => row.table_name);

    expect(tables.filter((name) => !name.startsWith('testapi_')).sort()).toEqual([...DOMAIN_TABLES, 'test_tags'].sort());
    expect(tables).toEqual(expect.arrayContaining(['testapi_migrations', 'testapi_idempotency_keys']));
  });

  test('When inspected, then every domain table has a NOT NULL, indexed test_tag', async () => {
    for (const table of DOMAIN_TABLES) {
      const column = await testPool().query(
        `SELECT is_nullable, data_type FROM information_schema.columns WHERE table_name = $1 AND column_name = 'test_tag'`,
        [table],
      );
      const index = await testPool().query(`SELECT indexdef FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE '%(test_tag)%'`, [table]);

      expect({ table, column: column.rows[0] }).toEqual({ table, column: { is_nullable: 'NO', data_type: 'text' } });
      expect({ table, indexes: index.rowCount }).toEqual({ table, indexes: 1 });
    }
  });

  test('When inspected, then every foreign key column leads an index', async () => {
    const foreignKeys = await testPool().query<{ table_name: string; column_name: string }>(`
      SELECT kcu.table_name, kcu.column_name
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name
      WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`);
    expect(foreignKeys.rowCount).toBe(8);

    for (const { table_name, column_name } of foreignKeys.rows) {
      const leading = await testPool().query(`SELECT 1 FROM pg_indexes WHERE tablename = $1 AND indexdef ~ $2`, [
        table_name,
        `USING btree \\(${column_name}[,)]`,
      ]);
      expect({ fk: `${table_name}.${column_name}`, indexed: leading.rowCount! > 0 }).toEqual({ fk: `${table_name}.${column_name}`, indexed: true });
    }
  });

  test('When inspected, then the columns other tools rely on exist with integer money', async () => {
    const expected: Array<[string, string, string]> = [
      ['orders', 'status', 'text'],
      ['orders', 'total_cents', 'integer'],
      ['order_items', 'quantity', 'integer'],
      ['order_items', 'unit_price_cents', 'integer'],
      ['payments', 'status', 'text'],
      ['payments', 'amount_cents', 'integer'],
      ['shipments', 'tracking_number', 'text'],
      ['test_tags', 'tag', 'text'],
      ['test_tags', 'expires_at', 'timestamp with time zone'],
      ['test_tags', 'created_at', 'timestamp with time zone'],
      ['test_tags', 'labels', 'jsonb'],
    ];
    for (const [table, column, type] of expected) {
      const result = await testPool().query(`SELECT data_type FROM information_schema.columns WHERE table_name = $1 AND column_name = $2`, [table, column]);
      expect({ column: `${table}.${column}`, type: result.rows[0]?.data_type }).toEqual({ column: `${table}.${column}`, type });
    }
  });

  test('When a status outside its enum or a duplicate email is written, then PostgreSQL rejects it', async () => {
    await expect(
      testPool().query(`INSERT INTO users (test_tag, email, first_name, last_name, role, status) VALUES ('schema-check', 'x@example.com', 'a', 'b', 'pirate', 'active')`),
    ).rejects.toMatchObject({ code: '23514' });
    const email = `dup-${Date.now()}@example.com`;
    const insert = `INSERT INTO users (test_tag, email, first_name, last_name, role, status) VALUES ('schema-check', $1, 'a', 'b', 'customer', 'active')`;
    const client = await testPool().connect();
    try {
      await client.query('BEGIN');
      await client.query(insert, [email]);
      await expect(client.query(insert, [email])).rejects.toMatchObject({ code: '23505' });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  test('When the entities are compared with the migrated database, then there is no drift (migration:generate --check)', async () => {
    const dataSource = createDataSource({ url: databaseUrl(), poolSize: 1, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000 });
    await dataSource.initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();

      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
