import { createSweeper } from '../../../src/tags/sweeper';
import { createLogger } from '../../../src/logger';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';

// Sweeps delete expired tags database-wide and PostgreSQL is stopped: a cluster of its own.
const own = useOwnCluster({ env: { DB_CONNECT_TIMEOUT_MS: '500' }, pool: 0 });

function sample(text: string, line: RegExp): number | undefined {
  const found = text.split('\n').find((candidate) => line.test(candidate));
  return found === undefined ? undefined : Number(found.split(' ').at(-1));
}

describe('Sweeper metrics at GET /metrics', () => {
  test('When the sweeper removes an expired tag and later fails on a stopped database, then runs are counted by outcome and the swept rows by table', async () => {
    const sweeper = createSweeper({ pool: own.db.pool, logger: createLogger('silent'), metrics: own.metrics, intervalSeconds: 0 });
    await http(own.app).post('/scenarios/user').send({ tag: 'sweep-metrics', ttlSeconds: 1, params: { addresses: 2 } }).expect(201);
    await own.db.pool.query(`UPDATE test_tags SET expires_at = now() - interval '1 minute' WHERE tag = 'sweep-metrics'`);

    const swept = await sweeper.sweepOnce();
    await own.cluster.stop();
    const failed = await sweeper.sweepOnce();
    await own.cluster.start();
    const metrics = (await http(own.app).get('/metrics').expect(200)).text;

    expect([swept.status, swept.tags, failed.status]).toEqual(['swept', ['sweep-metrics'], 'failed']);
    expect(sample(metrics, /^testapi_sweeper_runs_total\{outcome="ok"\}/)).toBe(1);
    expect(sample(metrics, /^testapi_sweeper_runs_total\{outcome="failed"\}/)).toBe(1);
    expect(sample(metrics, /^testapi_rows_deleted_total\{table="addresses"\}/)).toBe(2);
    expect(sample(metrics, /^testapi_rows_deleted_total\{table="users"\}/)).toBe(1);
  });
});
