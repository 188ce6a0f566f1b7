import type { PoolClient } from 'pg';
import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';

const LOCK_TIMEOUT_MS = 300;
const testApp = useTestApp({ DB_POOL_SIZE: '4', LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS), DB_CONNECT_TIMEOUT_MS: '3000' });

/**
 * Stands in for a long first request (a bulk provisioning with an
 * Idempotency-Key): a transaction that has claimed the key and holds the
 * tag's row, as that request does until it commits.
 */
async function holdKeyAndTag(client: PoolClient, key: string, tag: string): Promise<void> {
  await client.query('BEGIN');
  await client.query(`INSERT INTO test_tags (tag, expires_at) VALUES ($1, now() + interval '1 hour')`, [tag]);
  await client.query(
    `INSERT INTO testapi_idempotency_keys (key, tag, scenario, request_hash, created_at, expires_at) VALUES ($1, $2, 'user', 'first', now(), now() + interval '1 hour')`,
    [key, tag],
  );
}

describe('Requests never wait on a lock while holding a pool connection', () => {
  test('When 15 retries with the key of a running request and 5 DELETEs of its tag arrive, then each gets a 409 in-progress with Retry-After while the lock is still held, other callers and /ready are served, and after the first request ends a retry writes exactly one graph', async () => {
    const tag = uniqueTag('busy');
    const key = `busy-key-${tag}`;
    const holder = await testPool().connect();
    let released = false;
    const release = async (): Promise<void> => {
      if (released) return;
      released = true;
      await holder.query('ROLLBACK');
      holder.release();
    };
    await holdKeyAndTag(holder, key, tag);
    // Without lock timeouts every request below would wait for this, and be answered only once it ends:
    // end it after 15 s so the test fails (answers after the release) instead of hanging.
    const safety = setTimeout(() => void release(), 15_000);

    try {
      // Whether an answer came while the holder still held its locks: one that waited for them comes after.
      const retries = Array.from({ length: 15 }, () =>
        http(testApp.app).post('/scenarios/user').set('Idempotency-Key', key).send({ tag }).then((res) => ({ res, whileHeld: !released })),
      );
      const deletes = Array.from({ length: 5 }, () => http(testApp.app).delete(`/tags/${tag}`).then((res) => ({ res, whileHeld: !released })));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const other = uniqueTag('bystander');
      const bystander = http(testApp.app).post('/scenarios/user').send({ tag: other });
      const ready = http(testApp.app).get('/ready');

      const answers = await Promise.all([...retries, ...deletes]);
      const [bystanderRes, readyRes] = await Promise.all([bystander, ready]);

      for (const { res, whileHeld } of answers) {
        expect([res.status, res.body.type, whileHeld]).toEqual([409, 'urn:testapi:problem:in-progress', true]);
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
      }
      expect(bystanderRes.status).toBe(201);
      expect(totalOf(await countRowsByTag(other))).toBeGreaterThan(0);
      expect(readyRes.status).toBe(200);
      expect(totalOf(await countRowsByTag(tag))).toBe(0);
    } finally {
      clearTimeout(safety);
      await release();
    }

    // The first request is gone (rolled back): the retry now owns the key and writes one graph.
    const retry = await http(testApp.app).post('/scenarios/user').set('Idempotency-Key', key).send({ tag }).expect(201);
    const again = await http(testApp.app).post('/scenarios/user').set('Idempotency-Key', key).send({ tag }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await countRowsByTag(tag)).toEqual(retry.body.counts);
  });
});
