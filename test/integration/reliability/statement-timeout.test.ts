import { useTestApp } from '../../support/app';
import { countRowsByTag, totalOf } from '../../support/database';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';

const testApp = useTestApp({ STATEMENT_TIMEOUT_MS: '250', DB_POOL_SIZE: '3' });
// Holding a table lock would stall every other test file: the HTTP case runs on a cluster of its own.
const own = useOwnCluster({ env: { STATEMENT_TIMEOUT_MS: '300' }, pool: 0 });

async function timed(work: () => Promise<unknown>): Promise<{ error: { code?: string } | undefined; ms: number }> {
  const started = Date.now();
  try {
    await work();
    return { error: undefined, ms: Date.now() - started };
  } catch (error) {
    return { error: error as { code?: string }, ms: Date.now() - started };
  }
}

describe('STATEMENT_TIMEOUT_MS bounds every query', () => {
  test('When a raw query through the pool runs longer, then PostgreSQL cancels it with 57014 after about the timeout', async () => {
    const { error, ms } = await timed(() => testApp.db.pool.query('SELECT pg_sleep(10)'));

    expect(error?.code).toBe('57014');
    expect(ms).toBeGreaterThanOrEqual(200);
    expect(ms).toBeLessThan(2_000);
  });

  test('When a query through TypeORM runs longer, inside a transaction too, then it is cancelled the same way', async () => {
    const viaDataSource = await timed(() => testApp.db.dataSource.query('SELECT pg_sleep(10)'));
    const inTransaction = await timed(() => testApp.db.dataSource.transaction((manager) => manager.query('SELECT pg_sleep(10)')));

    expect(viaDataSource.error?.code).toBe('57014');
    expect(inTransaction.error?.code).toBe('57014');
    expect(inTransaction.ms).toBeLessThan(2_000);
  });

  test('When every connection of the pool is opened, then each carries the statement_timeout (not only the first one)', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => testApp.db.pool.connect()));
    try {
      const settings = await Promise.all(clients.map((client) => client.query<{ statement_timeout: string }>('SHOW statement_timeout')));

      expect(settings.map((result) => result.rows[0]?.statement_timeout)).toEqual(['250ms', '250ms', '250ms']);
    } finally {
      for (const client of clients) client.release();
    }
  });

  test('When a query is cancelled, then its connection goes back to the pool healthy', async () => {
    await timed(() => testApp.db.pool.query('SELECT pg_sleep(10)'));

    const result = await testApp.db.pool.query<{ ok: number }>('SELECT 1 AS ok');

    expect(result.rows[0]?.ok).toBe(1);
  });
});

describe('POST /scenarios/{name} when a statement runs into the timeout', () => {
  test('When the insert waits on a lock longer than STATEMENT_TIMEOUT_MS, then a 503 problem with Retry-After comes after about the timeout and nothing is written', async () => {
    const blocker = await own.db.pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    let res;
    const started = Date.now();
    try {
      res = await http(own.app).post('/scenarios/user').send({ tag: 'timeout-locked', params: { addresses: 1 } });
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    const ms = Date.now() - started;

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ type: 'urn:testapi:problem:service-unavailable', status: 503 });
    expect(res.body.detail).toMatch(/cancelled/);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(3_000);
    expect(totalOf(await countRowsByTag('timeout-locked', own.db.pool))).toBe(0);
  });
});
