import type { Pool } from 'pg';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { until } from '../../support/until';
import { ledgerCounts, tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * The core promise, in every case the hostile review found (issue 23): a
 * cleanup deletes exactly the rows the tag created. A key the application
 * freed and took again, a reference committed while the delete waits, an
 * inheriting table sharing keys, a table outside the target schemas whose
 * name joins to the same text: none of those rows is deleted or changed, and
 * the tag's rows that are no longer there are reported as `missing`.
 */
const trust = useTargetApp('trust', { TESTAPI_TARGET_SCHEMAS: 'public,app' });

async function rowsOf(pool: Pool, sql: string, params: unknown[] = []): Promise<unknown[]> {
  return (await pool.query(sql, params)).rows;
}

async function provision(tag: string, graph: Record<string, unknown>, seed?: number): Promise<Record<string, Array<Record<string, unknown>>>> {
  const res = await http(trust.app)
    .post('/graphs')
    .send({ tag, graph, ...(seed === undefined ? {} : { seed }) })
    .expect(201);
  return res.body.records;
}

describe('Cleanup deletes a row only when it is the row the tag created', () => {
  test('When the application deletes a provisioned customer and inserts its own with the same key, then DELETE keeps the application row and reports the tag row missing', async () => {
    const tag = uniqueTag('reuse-a');
    const records = await provision(tag, { customer: [{ count: 1 }] });
    const id = records.customer![0]!.id as number;
    await trust.pool.query('DELETE FROM customer WHERE id = $1', [id]);
    await trust.pool.query(`INSERT INTO customer (id, name, email, tier) VALUES ($1, 'Application Customer', 'app@example.com', 'gold')`, [id]);
    const before = await tableChecksums(trust.pool);

    const res = await http(trust.app).delete(`/tags/${tag}`).expect(200);

    expect(res.body).toMatchObject({ deleted: {}, missing: { customer: 1 }, total: 0 });
    expect(await tableChecksums(trust.pool)).toEqual(before);
    expect(await rowsOf(trust.pool, 'SELECT name, tier FROM customer WHERE id = $1', [id])).toEqual([{ name: 'Application Customer', tier: 'gold' }]);
    expect(await ledgerCounts(trust.pool, tag)).toEqual({});
  });

  test('When the application merely updates a provisioned customer, then DELETE still deletes it as the tag row', async () => {
    const tag = uniqueTag('updated');
    const records = await provision(tag, { customer: [{ count: 2 }] });
    const [first, second] = records.customer!.map((row) => row.id as number);
    await trust.pool.query(`UPDATE customer SET tier = 'gold' WHERE id = $1`, [first]);
    const before = await tableChecksums(trust.pool);

    const res = await http(trust.app).delete(`/tags/${tag}`).expect(200);

    expect(res.body).toMatchObject({ deleted: { customer: 2 }, total: 2 });
    expect(res.body.missing ?? {}).toEqual({});
    expect(await rowsOf(trust.pool, 'SELECT id FROM customer WHERE id = ANY($1::int[])', [[first, second]])).toEqual([]);
    const after = await tableChecksums(trust.pool);
    expect(Object.keys(after).filter((table) => after[table] !== before[table])).toEqual(['customer']);
  });

  test('When a seeded text key freed by the application is drawn again under another tag, then deleting the first tag keeps the second tag row, and ids and export agree', async () => {
    const first = uniqueTag('seed-a');
    const second = uniqueTag('seed-b');
    const a = await provision(first, { country_ref: [{ count: 1 }] }, 7);
    const code = a.country_ref![0]!.code as string;
    await trust.pool.query('DELETE FROM country_ref WHERE code = $1', [code]);
    const b = await provision(second, { country_ref: [{ count: 1 }] }, 7);
    const taken = b.country_ref![0]!.code as string;
    const before = await tableChecksums(trust.pool);

    const exported = await http(trust.app).get(`/tags/${first}/export`).expect(200);
    expect(JSON.stringify(exported.body)).not.toContain(taken);
    const res = await http(trust.app).delete(`/tags/${first}`).expect(200);

    expect(res.body).toMatchObject({ deleted: {}, missing: { country_ref: 1 }, total: 0 });
    expect(await tableChecksums(trust.pool)).toEqual(before);
    expect(await rowsOf(trust.pool, 'SELECT code FROM country_ref WHERE code = $1', [taken])).toEqual([{ code: taken }]);
    const ids = await http(trust.app).get(`/tags/${second}?include=ids`).expect(200);
    expect(JSON.stringify(ids.body)).toContain(taken);
    const removed = await http(trust.app).delete(`/tags/${second}`).expect(200);
    expect(removed.body).toMatchObject({ deleted: { country_ref: 1 } });
    expect(await rowsOf(trust.pool, 'SELECT code FROM country_ref WHERE code = $1', [taken])).toEqual([]);
  });

  test('When the application changes a provisioned row key, then DELETE leaves the row and reports it missing', async () => {
    const tag = uniqueTag('rekeyed');
    const records = await provision(tag, { customer: [{ count: 1 }] });
    const id = records.customer![0]!.id as number;
    await trust.pool.query('UPDATE customer SET id = id + 100000 WHERE id = $1', [id]);
    const before = await tableChecksums(trust.pool);

    const res = await http(trust.app).delete(`/tags/${tag}`).expect(200);

    expect(res.body).toMatchObject({ deleted: {}, missing: { customer: 1 }, total: 0 });
    expect(await tableChecksums(trust.pool)).toEqual(before);
  });
});

describe('A reference committed while the delete waits', () => {
  async function waitingForLock(pool: Pool): Promise<boolean> {
    const waiting = await pool.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%customer%'`);
    return (waiting.rowCount ?? 0) > 0;
  }

  test.each([
    ['session', 'ON DELETE CASCADE', `INSERT INTO session (customer_id, token) VALUES ($1, 'tok') RETURNING id`],
    ['note', 'ON DELETE SET NULL', `INSERT INTO note (customer_id, body) VALUES ($1, 'remember') RETURNING id`],
  ])('When a %s row (%s) referencing a tag customer commits while DELETE waits, then the answer is 409 and the row is unchanged', async (table, _action, insert) => {
    const tag = uniqueTag(`late-${table}`);
    const records = await provision(tag, { customer: [{ count: 1 }] });
    const id = records.customer![0]!.id as number;
    const writer = await trust.pool.connect();
    try {
      await writer.query('BEGIN');
      const inserted = await writer.query<{ id: number }>(insert, [id]);
      const deleting = http(trust.app).delete(`/tags/${tag}`).then((res) => res);
      await until('the delete waits for the insert', () => waitingForLock(trust.pool));
      await writer.query('COMMIT');

      const res = await deleting;

      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ type: 'urn:testapi:problem:tag-referenced', table });
      expect(await rowsOf(trust.pool, `SELECT customer_id FROM ${table} WHERE id = $1`, [inserted.rows[0]!.id])).toEqual([{ customer_id: id }]);
      expect(await rowsOf(trust.pool, 'SELECT id FROM customer WHERE id = $1', [id])).toEqual([{ id }]);
    } finally {
      writer.release();
    }
  });
});

describe('Inheritance: a statement on a parent never reaches its children', () => {
  test('When an inheriting capital shares a key with the tag city, then export holds only the city and DELETE deletes only the city', async () => {
    const tag = uniqueTag('inherit');
    const next = (await trust.pool.query<{ id: number }>(`SELECT nextval('city_id_seq')::int + 1 AS id`)).rows[0]!.id;
    await trust.pool.query(`INSERT INTO capital (id, name, country) VALUES ($1, 'Application capital', 'Nowhere')`, [next]);
    const records = await provision(tag, { city: [{ count: 1 }] });
    expect(records.city![0]!.id).toBe(next);
    const before = await tableChecksums(trust.pool);

    const exported = await http(trust.app).get(`/tags/${tag}/export`).expect(200);
    expect(JSON.stringify(exported.body)).not.toContain('Application capital');
    const res = await http(trust.app).delete(`/tags/${tag}`).expect(200);

    expect(res.body).toMatchObject({ deleted: { city: 1 }, total: 1 });
    expect(await rowsOf(trust.pool, 'SELECT name FROM ONLY capital WHERE id = $1', [next])).toEqual([{ name: 'Application capital' }]);
    expect(await rowsOf(trust.pool, 'SELECT id FROM ONLY city WHERE id = $1', [next])).toEqual([]);
    const after = await tableChecksums(trust.pool);
    expect(after.capital).toBe(before.capital);
  });

  test('When an import rewrites a self-reference, then an inheriting subnode with the same key is not changed', async () => {
    const source = uniqueTag('nodes-src');
    await provision(source, { node: [{ as: 'root', count: 1 }, { count: 1, connect: { parent_id: { ref: 'root' } } }] });
    const snapshot = await http(trust.app).get(`/tags/${source}/export`).expect(200);
    const next = (await trust.pool.query<{ id: number }>(`SELECT last_value::int AS id FROM node_id_seq`)).rows[0]!.id;
    // Rows of the application in the inheriting table, on every key the import can take next.
    await trust.pool.query(`INSERT INTO subnode (id, parent_id, label, extra) SELECT g, NULL, 'application subnode', 'x' FROM generate_series($1::int + 1, $1::int + 4) g`, [next]);
    const before = await tableChecksums(trust.pool);

    const target = uniqueTag('nodes-copy');
    await http(trust.app).post(`/tags/${target}/import`).send(snapshot.body).expect(201);

    const after = await tableChecksums(trust.pool);
    expect(after.subnode).toBe(before.subnode);
    await http(trust.app).delete(`/tags/${target}`).expect(200);
    await http(trust.app).delete(`/tags/${source}`).expect(200);
    expect(await rowsOf(trust.pool, `SELECT count(*)::int AS n FROM ONLY subnode WHERE label = 'application subnode' AND parent_id IS NULL`)).toEqual([{ n: 4 }]);
  });
});

describe('Tables are told apart by schema and name, never by joined text', () => {
  test('When a table outside the target schemas joins to the same text as a target table, then DELETE deletes the target row only', async () => {
    const tag = uniqueTag('dots');
    const records = await provision(tag, { 'app.x.y': [{ count: 1, set: { id: 2 } }] });
    expect(records['app.x.y']?.[0] ?? Object.values(records)[0]![0]).toMatchObject({ id: 2 });
    const outside = await rowsOf(trust.pool, 'SELECT id, label FROM "app.x".y ORDER BY id');

    const res = await http(trust.app).delete(`/tags/${tag}`).expect(200);

    expect(res.body.total).toBe(1);
    expect(await rowsOf(trust.pool, 'SELECT id FROM app."x.y" WHERE id = 2')).toEqual([]);
    expect(await rowsOf(trust.pool, 'SELECT id, label FROM "app.x".y ORDER BY id')).toEqual(outside);
  });
});
