import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { ledgerCounts } from '../schema-target/support/target-checks';
import { useTargetApp } from '../schema-target/support/target-app';

/**
 * A table keyed by (id, logdate), as a table partitioned by date has to be
 * (issue 26, item 7): an export imported under a new tag gets fresh ids from
 * the sequence and keeps each row's date, instead of a random text for the
 * date column (which PostgreSQL refused: 422).
 */
const target = useTargetApp('conduit', {}, {
  prepare: async (pool) => {
    await pool.query(`
      CREATE TABLE measurement (id serial, logdate date NOT NULL, reading integer NOT NULL, PRIMARY KEY (id, logdate)) PARTITION BY RANGE (logdate);
      CREATE TABLE measurement_all PARTITION OF measurement FOR VALUES FROM ('1900-01-01') TO ('2200-01-01');
      CREATE TABLE daily (day date PRIMARY KEY, note text NOT NULL);`);
  },
});

interface Snapshot {
  tables: Record<string, { columns: string[]; rows: unknown[][] }>;
}

describe('Export and import of date-keyed tables', () => {
  test('When rows keyed (id, logdate) are exported and imported under a new tag, then they get new ids and keep their dates, and the originals are unchanged', async () => {
    const original = uniqueTag('date-key');
    const copy = uniqueTag('date-key-copy');
    const made = await http(target.app).post('/graphs').send({ tag: original, seed: 3, graph: { measurement: [{ count: 3, set: { logdate: '2026-03-01' } }] } });
    expect([made.status, made.body.errors]).toEqual([201, undefined]);
    const before = await target.pool.query<{ id: number; logdate: string; reading: number }>('SELECT id, logdate::text AS logdate, reading FROM measurement ORDER BY id');
    const snapshot = (await http(target.app).get(`/tags/${original}/export`).expect(200)).body as Snapshot;

    const res = await http(target.app).post(`/tags/${copy}/import`).send(snapshot);

    expect(res.status).toBe(201);
    const after = await target.pool.query<{ id: number; logdate: string; reading: number }>('SELECT id, logdate::text AS logdate, reading FROM measurement ORDER BY id');
    expect(after.rows.slice(0, before.rows.length)).toEqual(before.rows);
    const imported = after.rows.slice(before.rows.length);
    expect(imported).toHaveLength(3);
    expect(imported.map((row) => [row.logdate, row.reading])).toEqual(before.rows.map((row) => [row.logdate, row.reading]));
    expect(Math.min(...imported.map((row) => row.id))).toBeGreaterThan(Math.max(...before.rows.map((row) => row.id)));
    expect(await ledgerCounts(target.pool, copy)).toEqual({ measurement: 3 });
    await http(target.app).delete(`/tags/${copy}`).expect(200);
    await http(target.app).delete(`/tags/${original}`).expect(200);
  });

  test('When a table keyed by a date alone is exported and imported, then the copy gets days no row has and the originals stay', async () => {
    const original = uniqueTag('date-only-key');
    await http(target.app)
      .post('/graphs')
      .send({ tag: original, seed: 4, graph: { daily: [{ set: { day: '2026-03-01' } }, { set: { day: '2026-03-02' } }] } })
      .expect(201);
    const snapshot = (await http(target.app).get(`/tags/${original}/export`).expect(200)).body as Snapshot;
    const count = async (): Promise<number> => (await target.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM daily')).rows[0]!.n;
    const rows = await count();
    const copy = uniqueTag('date-only-copy');

    const res = await http(target.app).post(`/tags/${copy}/import`).send(snapshot);

    // Fresh dates are drawn where none is taken: a copy gets new days, like a copy of a text key gets new texts.
    expect(res.status).toBe(201);
    expect(await count()).toBe(rows + 2);
    await http(target.app).delete(`/tags/${copy}`).expect(200);
    await http(target.app).delete(`/tags/${original}`).expect(200);
    expect(await count()).toBe(rows - 2);
  });
});
