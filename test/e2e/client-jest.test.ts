import { useTestApi } from '@testapi/client/jest';
import { closeTestPool, countRowsByTag, testPool } from '../support/database';
import { contractFetch } from '../support/contract-fetch';
import { startServerProcess, type ServerProcess } from '../support/server-process';

// A consumer's suite isolated in two lines: the helper reads TESTAPI_URL at
// its first call, which the beforeAll below sets to the built service.
const testData = useTestApi({ prefix: 'client-jest', fetch: contractFetch() });

let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL! });
  process.env.TESTAPI_URL = server.url;
}, 30_000);

// Registered after the helper's afterAll, so it runs after it (Jest runs a
// block's afterAll hooks in declaration order): the tag must be empty by now.
afterAll(async () => {
  try {
    const left = await countRowsByTag(testData.tag);
    const registered = await testPool().query(`SELECT count(*)::int AS n FROM test_tags WHERE tag = $1`, [testData.tag]);
    expect({ rows: Object.values(left).reduce((sum, n) => sum + n, 0), registered: registered.rows[0].n }).toEqual({ rows: 0, registered: 0 });
  } finally {
    delete process.env.TESTAPI_URL;
    await server?.stop();
    await closeTestPool();
  }
});

describe('useTestApi (@testapi/client/jest)', () => {
  test('When a test file uses it, then its tag is <prefix>-<worker id>-<8 random characters>', () => {
    expect(testData.tag).toMatch(new RegExp(`^client-jest-${process.env.JEST_WORKER_ID}-[a-z0-9]{8}$`));
  });

  test('When two scenarios are provisioned through it, then both land under the file tag', async () => {
    const user = await testData.provision('user', { seed: 3, params: { addresses: 1 } });
    const catalog = await testData.provision('catalog', { params: { products: 2 } });

    expect([user.tag, catalog.tag]).toEqual([testData.tag, testData.tag]);
    expect(await countRowsByTag(testData.tag)).toMatchObject({ users: 1, addresses: 1, products: 2 });
    const detail = await testData.api.tag(testData.tag);
    expect(detail.total).toBe(4);
  });
});
