import { createFixtureDatabase, dropDatabase } from '../../fixtures/schemas/fixtures';
import { buildTestApp, type TestApp } from '../../support/app';
import { assertionPool, databaseUrl, uniqueTag } from '../../support/database';
import { http, liveContract, useContractFor } from '../../support/http';
import { ledgerCounts, tableChecksums } from './support/target-checks';

/**
 * Cleanup on the database as it is later, not as it was at provisioning: a
 * session setting changed in between (DateStyle here) must not change which
 * row a recorded key names, and a tag too large for one statement is deleted
 * in batches from the tables it really has (issue 23, cases 5 and 6).
 */
const TARGET = { TESTAPI_TARGET_SCHEMAS: 'public,app', DB_POOL_SIZE: '4' };

async function targetApp(url: string, env: Record<string, string> = {}): Promise<TestApp> {
  const built = await buildTestApp({ ...TARGET, ...env }, url, { migrate: true });
  useContractFor(built.app, await liveContract(built.app, built.config.apiKeys[0]));
  return built;
}

describe('Ledger keys do not depend on session settings', () => {
  let url: string;
  beforeAll(async () => {
    url = await createFixtureDatabase(databaseUrl(), 'trust');
  }, 60_000);
  afterAll(async () => {
    await dropDatabase(databaseUrl(), url);
  });

  test('When a date key is provisioned under DateStyle SQL, DMY and deleted under the default, then the tag row goes and the application row of the swapped date stays', async () => {
    const admin = assertionPool(url, 1);
    const database = new URL(url).pathname.slice(1);
    try {
      await admin.query(`ALTER DATABASE ${database} SET DateStyle = 'SQL, DMY'`);
      const tag = uniqueTag('datestyle');
      const provisioning = await targetApp(url);
      try {
        await http(provisioning.app)
          .post('/graphs')
          .send({ tag, graph: { daily: [{ count: 1, set: { day: '2030-02-01', amount: 1 } }] } })
          .expect(201);
      } finally {
        await provisioning.close();
      }
      await admin.query(`ALTER DATABASE ${database} RESET DateStyle`);
      const cleaning = await targetApp(url);
      try {
        const res = await http(cleaning.app).delete(`/tags/${tag}`).expect(200);

        expect(res.body).toMatchObject({ deleted: { daily: 1 }, total: 1 });
      } finally {
        await cleaning.close();
      }
      const left = await admin.query<{ day: string; amount: number }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, amount FROM daily ORDER BY day`);
      expect(left.rows).toEqual([{ day: '2030-01-02', amount: 7 }]);
    } finally {
      await admin.end();
    }
  });
});

describe('A tag too large for one statement', () => {
  let url: string;
  let built: TestApp;
  beforeAll(async () => {
    url = await createFixtureDatabase(databaseUrl(), 'trust');
    // Each delete of an employee costs the application's trigger 2 ms: 1,500 rows cannot go within 1 s in one statement.
    built = await targetApp(url, { STATEMENT_TIMEOUT_MS: '1000', DELETE_BATCH_ROWS: '200' });
  }, 60_000);
  afterAll(async () => {
    await built.close();
    await dropDatabase(databaseUrl(), url);
  });

  test('When a 1,500-row employee tag is deleted with a 1 s statement timeout, then it goes in batches from its own table and nothing else changes', async () => {
    const pool = assertionPool(url, 1);
    try {
      const tag = uniqueTag('large');
      await http(built.app)
        .post('/graphs')
        .send({ tag, graph: { employee: [{ count: 1500 }] } })
        .expect(201);
      const bystander = uniqueTag('large-bystander');
      await http(built.app)
        .post('/graphs')
        .send({ tag: bystander, graph: { employee: [{ count: 3 }] } })
        .expect(201);
      const before = await tableChecksums(pool);

      const res = await http(built.app).delete(`/tags/${tag}`).expect(200);

      expect(res.body).toMatchObject({ deleted: { employee: 1500 }, total: 1500 });
      expect(await ledgerCounts(pool, tag)).toEqual({});
      expect(await ledgerCounts(pool, bystander)).toEqual({ employee: 3 });
      const count = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM employee');
      expect(count.rows[0]!.n).toBe(3);
      const after = await tableChecksums(pool);
      expect(Object.keys(after).filter((table) => after[table] !== before[table])).toEqual(['employee']);
    } finally {
      await pool.end();
    }
  }, 60_000);
});
