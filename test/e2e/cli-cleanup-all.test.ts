import { createTestApi } from '@testapi/client';
import { runCli, type CliRun } from '../support/cli';
import { useOwnCluster } from '../support/own-cluster';

// `cleanup --all` empties a whole environment: it runs against a private
// cluster so the test files beside it keep their data.

const own = useOwnCluster({ server: true, pool: 1 });

function testapi(args: string[]): Promise<CliRun> {
  return runCli(args, { TESTAPI_URL: own.server.url });
}

describe('testapi cleanup --all', () => {
  test('When run alone, then every registered tag and its rows are deleted, and the summary names them', async () => {
    const api = createTestApi({ baseUrl: own.server.url });
    await api.provision('user', { tag: 'all-a', params: { addresses: 1 } });
    await api.provision('catalog', { tag: 'all-b', params: { products: 2 } });

    const run = await testapi(['cleanup', '--all']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Deleted 4 rows across 2 tags \(users 1, addresses 1, products 2\)\n {2}all-[ab]\n {2}all-[ab]\n$/);
    const left = await own.pool.query(`SELECT (SELECT count(*) FROM test_tags)::int AS tags, (SELECT count(*) FROM users)::int + (SELECT count(*) FROM products)::int AS rows`);
    expect(left.rows).toEqual([{ tags: 0, rows: 0 }]);
  });
});
