import { countRowsByTag } from '../../support/database';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import { ordersMapping } from './pact-helpers';

// Stops PostgreSQL: runs on a cluster of its own, never the shared one.
const own = useOwnCluster({ env: { DB_CONNECT_TIMEOUT_MS: '1000' } });
const SETUP = { state: 'a user with orders', params: { orders: 2 }, action: 'setup' };

describe('POST /pact/provider-states while the database is away', () => {
  test('When PostgreSQL is down, then setup answers 503 with Retry-After (which verifiers retry); once it is back, the retry leaves exactly one graph', async () => {
    await http(own.app).put('/pact/mappings/down').send(ordersMapping()).expect(201);
    const before = await http(own.app).post('/pact/provider-states?mapping=down&session=s1').send(SETUP).expect(200);

    await own.cluster.stop();
    const down = await http(own.app).post('/pact/provider-states?mapping=down&session=s1').send(SETUP).expect(503);
    await own.cluster.start();
    const after = await http(own.app).post('/pact/provider-states?mapping=down&session=s1').send(SETUP).expect(200);

    expect(down.headers['retry-after']).toBeDefined();
    expect(down.body).toMatchObject({ status: 503 });
    expect(after.headers['x-testapi-tag']).toBe(before.headers['x-testapi-tag']);
    expect(await countRowsByTag(after.headers['x-testapi-tag'], own.pool)).toMatchObject({ users: 1, orders: 2 });
  });
});
