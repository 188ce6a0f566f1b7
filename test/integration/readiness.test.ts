import type { EmbeddedPostgres } from '../../src/db/embedded-postgres';
import { buildTestApp, type TestApp } from '../support/app';
import { http } from '../support/http';
import { startOwnCluster } from '../support/own-cluster';

// Stops PostgreSQL: runs on a cluster of its own, never the shared one.
let cluster: EmbeddedPostgres & { destroy(): Promise<void> };
let testApp: TestApp;

beforeAll(async () => {
  cluster = await startOwnCluster();
  testApp = await buildTestApp({ DB_CONNECT_TIMEOUT_MS: '1000' }, cluster.url);
});
afterAll(async () => {
  await testApp?.close();
  await cluster?.destroy();
});

describe('GET /ready when the database goes away and returns', () => {
  test('When PostgreSQL stops, then /ready is 503 and /health stays 200; when it returns, /ready is 200 again', async () => {
    await http(testApp.app).get('/ready').expect(200);

    await cluster.stop();
    const down = await http(testApp.app).get('/ready').expect(503);
    expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(down.body).toMatchObject({ status: 503, title: 'Not ready' });
    await http(testApp.app).get('/health').expect(200);

    await cluster.start();
    await http(testApp.app).get('/ready').expect(200);
  });
});
