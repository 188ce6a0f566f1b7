import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';

// A pool of one connection that the test holds: every request waits for it. Connecting gets a
// short bound, waiting for a busy pool a longer one: the two must not be confused (a queue of
// requests behind a busy pool answered "database not reachable" after DB_CONNECT_TIMEOUT_MS).
const CONNECT_TIMEOUT_MS = 300;
const patient = useTestApp({ DB_POOL_SIZE: '1', DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS), DB_POOL_WAIT_MS: '20000' });
const impatient = useTestApp({ DB_POOL_SIZE: '1', DB_CONNECT_TIMEOUT_MS: '5000', DB_POOL_WAIT_MS: '300' });

/** Borrows the app's only connection until `release` is called. */
async function holdOnlyConnection(pool: typeof patient.db.pool): Promise<() => void> {
  const held = await pool.connect();
  return () => held.release();
}

async function tagRegistered(tag: string): Promise<boolean> {
  const result = await testPool().query('SELECT 1 FROM test_tags WHERE tag = $1', [tag]);
  return result.rowCount === 1;
}

describe('Waiting for a pool connection is bounded by DB_POOL_WAIT_MS, not by the connect timeout', () => {
  test('When the only connection is busy for several times DB_CONNECT_TIMEOUT_MS, then a request waits for it and provisions its graph', async () => {
    const tag = uniqueTag('poolwait');
    const release = await holdOnlyConnection(patient.db.pool);
    const answer = http(patient.app).post('/scenarios/user').send({ tag });
    // Released only once the request is surely queued behind the held connection, well past the connect bound.
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        release();
        resolve();
      }, CONNECT_TIMEOUT_MS * 4),
    );
    const res = await answer;
    await released;

    expect(res.status).toBe(201);
    expect(res.body.tag).toBe(tag);
    expect(totalOf(await countRowsByTag(tag))).toBeGreaterThan(0);
  });

  test('When the only connection stays busy past DB_POOL_WAIT_MS, then the answer is a 503 saying the service is busy (not that the database is unreachable), with Retry-After, and nothing is written', async () => {
    const tag = uniqueTag('poolbusy');
    const release = await holdOnlyConnection(impatient.db.pool);
    try {
      const res = await http(impatient.app).post('/scenarios/user').send({ tag });

      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body.detail).toContain('DB_POOL_WAIT_MS');
      expect(res.body.detail).not.toContain('not reachable');
    } finally {
      release();
    }
    expect(await tagRegistered(tag)).toBe(false);
    expect(totalOf(await countRowsByTag(tag))).toBe(0);
  });
});
