import { http } from '../support/http';
import { useOwnCluster } from '../support/own-cluster';

// Stops PostgreSQL: runs on a cluster of its own, never the shared one.
const own = useOwnCluster({ env: { DB_CONNECT_TIMEOUT_MS: '1000' }, pool: 0 });

describe('GET /ready when the database goes away and returns', () => {
  test('When PostgreSQL stops, then /ready is 503 and /health stays 200; when it returns, /ready is 200 again', async () => {
    await http(own.app).get('/ready').expect(200);

    await own.cluster.stop();
    const down = await http(own.app).get('/ready').expect(503);
    expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(down.body).toMatchObject({ status: 503, title: 'Not ready' });
    await http(own.app).get('/health').expect(200);

    await own.cluster.start();
    await http(own.app).get('/ready').expect(200);
  });
});
