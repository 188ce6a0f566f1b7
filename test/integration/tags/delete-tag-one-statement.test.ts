import type { PoolClient } from 'pg';
import { emptyCounts, totalOf as totalOfCounts } from '../../../src/db/tables';
import { countRowsByTag, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import { insertGraph, registerTag } from '../../support/sql-fixtures';

// Own cluster: the test installs a trigger that would disturb every other suite's deletes.
const own = useOwnCluster({ env: { LOCK_TIMEOUT_MS: '100' } });

function textOf(config: unknown): string {
  return typeof config === 'string' ? config : (config as { text: string }).text;
}

/** The statements the app sends on its pool, through pool.query or a checked-out client, while `work` runs (the bench's HTTP DELETE is this). */
async function statementsSentBy(work: () => Promise<unknown>): Promise<string[]> {
  const pool = own.db.pool;
  const sent: string[] = [];
  const connect = pool.connect.bind(pool) as (callback?: unknown) => Promise<PoolClient>;
  const poolQuery = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const connectSpy = jest.spyOn(pool, 'connect').mockImplementation(((callback?: unknown) => {
    // pool.query checks out its connection with a callback: its statement is recorded by the query spy below.
    if (typeof callback === 'function') return connect(callback);
    return connect().then((client) => {
      const query = client.query;
      client.query = ((config: unknown, ...rest: unknown[]) => {
        sent.push(textOf(config));
        return (query as (...args: unknown[]) => unknown).call(client, config, ...rest);
      }) as typeof client.query;
      const release = client.release;
      client.release = ((error?: Error | boolean) => {
        client.query = query;
        client.release = release;
        return release.call(client, error);
      }) as typeof client.release;
      return client;
    });
  }) as never);
  const querySpy = jest.spyOn(pool, 'query').mockImplementation(((config: unknown, ...rest: unknown[]) => {
    sent.push(textOf(config));
    return poolQuery(config, ...rest);
  }) as never);
  try {
    await work();
  } finally {
    connectSpy.mockRestore();
    querySpy.mockRestore();
  }
  return sent;
}

describe('DELETE /tags/{tag} of one tag (lock, delete and leftover probe in one statement)', () => {
  test('When a small tag is deleted, then its rows and registration go, with the counts per table', async () => {
    const tag = uniqueTag('one');
    await registerTag(tag, {}, own.pool);
    const graph = await insertGraph(tag, { orders: 2 }, own.pool);

    const res = await http(own.app).delete(`/tags/${tag}`).expect(200);

    expect(res.body).toEqual({ tag, deleted: graph.counts, total: Object.values(graph.counts).reduce((a, b) => a + b, 0) });
    expect(await countRowsByTag(tag, own.pool)).toEqual(emptyCounts());
    expect((await own.pool.query('SELECT 1 FROM test_tags WHERE tag = $1', [tag])).rowCount).toBe(0);
  });

  test('When a row of the tag appears while it is deleted, then 500 cleanup-incomplete names the table and nothing is deleted', async () => {
    const tag = uniqueTag('leak');
    await registerTag(tag, {}, own.pool);
    const graph = await insertGraph(tag, { orders: 1 }, own.pool);
    // A writer that bypasses the tag lock: every deleted payment of this tag brings a new user under it.
    await own.pool.query(`CREATE FUNCTION leak_user() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO users (test_tag, email, first_name, last_name, role, status)
        VALUES (OLD.test_tag, 'leak-' || gen_random_uuid() || '@example.test', 'Lea', 'King', 'customer', 'active');
        RETURN OLD;
      END $$`);
    await own.pool.query(`CREATE TRIGGER leak_user AFTER DELETE ON payments FOR EACH ROW WHEN (OLD.test_tag = '${tag}') EXECUTE FUNCTION leak_user()`);
    try {
      const res = await http(own.app).delete(`/tags/${tag}`).expect(500);

      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe('urn:testapi:problem:cleanup-incomplete');
      expect(res.body.detail).toContain('users: 1');
      expect(res.body.remaining[tag]).toEqual({ ...emptyCounts(), users: 1 });
      // Rolled back: every row is still there, and the tag still registered.
      expect(await countRowsByTag(tag, own.pool)).toEqual(graph.counts);
      expect((await own.pool.query('SELECT 1 FROM test_tags WHERE tag = $1', [tag])).rowCount).toBe(1);
    } finally {
      await own.pool.query('DROP TRIGGER leak_user ON payments');
      await own.pool.query('DROP FUNCTION leak_user()');
    }
  });

  test('When a small tag is deleted, then it takes one round trip: one statement, its own transaction (no BEGIN, no COMMIT)', async () => {
    const tag = uniqueTag('trips');
    await registerTag(tag, {}, own.pool);
    await insertGraph(tag, { orders: 1 }, own.pool);

    const sent = await statementsSentBy(() => http(own.app).delete(`/tags/${tag}`).expect(200));

    expect(sent).toEqual(['SELECT table_name, n FROM testapi_remove_tag($1)']);
    expect(await countRowsByTag(tag, own.pool)).toEqual(emptyCounts());
    expect((await own.pool.query('SELECT 1 FROM test_tags WHERE tag = $1', [tag])).rowCount).toBe(0);
  });

  test('When DELETEs of a tag fail because another transaction holds it, then each gets 409 and the connections they ran on stay in the pool (no reconnect per failure)', async () => {
    const tag = uniqueTag('held');
    await registerTag(tag, {}, own.pool);
    await insertGraph(tag, { orders: 1 }, own.pool);
    const backends = async (): Promise<number[]> =>
      (await own.pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'testapi' ORDER BY pid`)).rows.map((row) => row.pid);
    await http(own.app).delete(`/tags/${uniqueTag('warm')}`).expect(200);
    const before = await backends();
    const holder = await own.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM test_tags WHERE tag = $1 FOR UPDATE', [tag]);
      for (let i = 0; i < 3; i += 1) {
        const res = await http(own.app).delete(`/tags/${tag}`).expect(409);
        expect(res.body.type).toBe('urn:testapi:problem:in-progress');
      }
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }

    expect(before.length).toBeGreaterThan(0);
    expect(await backends()).toEqual(before);
    // Nothing was deleted by the refused attempts; the next DELETE removes the tag.
    expect(totalOfCounts(await countRowsByTag(tag, own.pool))).toBeGreaterThan(0);
    await http(own.app).delete(`/tags/${tag}`).expect(200);
    expect(await countRowsByTag(tag, own.pool)).toEqual(emptyCounts());
  });

  test('When the function is installed, then it plans its statements per call (EXECUTE) and leaves the plan cache mode alone (it would reach the foreign-key checks)', async () => {
    const fn = await own.pool.query<{ proconfig: string[] | null; src: string }>(`SELECT proconfig, prosrc AS src FROM pg_proc WHERE proname = 'testapi_remove_tag'`);

    expect(fn.rows).toHaveLength(1);
    expect(fn.rows[0]!.proconfig).toBeNull();
    expect(fn.rows[0]!.src).toContain('RETURN QUERY EXECUTE');
  });
});
