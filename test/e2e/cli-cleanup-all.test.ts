import { execFile } from 'node:child_process';
import path from 'node:path';
import { createTestApi } from '@testapi/client';
import { assertionPool } from '../support/database';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { startOwnCluster } from '../support/own-cluster';

// `cleanup --all` empties a whole environment: it runs against a private
// cluster so the test files beside it keep their data.
const packageDir = path.dirname(require.resolve('@testapi/client/package.json'));
const BIN = path.join(packageDir, (require('@testapi/client/package.json') as { bin: { testapi: string } }).bin.testapi);

let cluster: Awaited<ReturnType<typeof startOwnCluster>>;
let server: ServerProcess;

function testapi(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', TESTAPI_URL: server.url }, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  cluster = await startOwnCluster();
  server = await startServerProcess({ DATABASE_URL: cluster.url });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await cluster?.destroy();
});

describe('testapi cleanup --all', () => {
  test('When run alone, then every registered tag and its rows are deleted, and the summary names them', async () => {
    const api = createTestApi({ baseUrl: server.url });
    await api.provision('user', { tag: 'all-a', params: { addresses: 1 } });
    await api.provision('catalog', { tag: 'all-b', params: { products: 2 } });

    const run = await testapi(['cleanup', '--all']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Deleted 4 rows across 2 tags \(users 1, addresses 1, products 2\)\n {2}all-[ab]\n {2}all-[ab]\n$/);
    const pool = assertionPool(cluster.url, 1);
    try {
      const left = await pool.query(`SELECT (SELECT count(*) FROM test_tags)::int AS tags, (SELECT count(*) FROM users)::int + (SELECT count(*) FROM products)::int AS rows`);
      expect(left.rows).toEqual([{ tags: 0, rows: 0 }]);
    } finally {
      await pool.end();
    }
  });
});
