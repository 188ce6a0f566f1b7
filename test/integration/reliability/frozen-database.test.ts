import { countRowsByTag, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import { freezeCluster } from './support/freeze';

// Freezes PostgreSQL (SIGSTOP): a cluster of its own, never the shared one.
const STATEMENT_TIMEOUT_MS = 1_000;
const READY_TIMEOUT_MS = 500;
let thaw: (() => void) | undefined;
// Declared first, so it runs first: a frozen cluster could not be stopped.
afterAll(() => thaw?.());
const own = useOwnCluster({
  env: { STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), READY_TIMEOUT_MS: String(READY_TIMEOUT_MS), DB_CONNECT_TIMEOUT_MS: '1000' },
  pool: 1,
});

const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
};

describe('A frozen database (postmaster and backends stopped with SIGSTOP)', () => {
  test('When PostgreSQL stops answering, then /ready is 503 within READY_TIMEOUT_MS and a request is a 503 shortly after STATEMENT_TIMEOUT_MS; the graph is whole or absent and both recover after the thaw', async () => {
    const tag = uniqueTag('frozen');
    // Warm connections: the frozen request must hit an open connection, not only a new one.
    const warm = await http(own.app).post('/scenarios/user').send({ tag: uniqueTag('frozen-warm') }).expect(201);
    await http(own.app).get('/ready').expect(200);

    thaw = freezeCluster(own.cluster.dataDir);
    // Without a client-side bound these would wait for the thaw: end the freeze after 10 s so the test fails instead of hanging.
    const safety = setTimeout(() => thaw?.(), 10_000);
    const ready = await timed(() => http(own.app).get('/ready'));
    const provision = await timed(() => http(own.app).post('/scenarios/user').send({ tag }));
    thaw();
    clearTimeout(safety);

    expect(ready.value.status).toBe(503);
    expect(ready.value.body).toMatchObject({ status: 503, title: 'Not ready' });
    expect(ready.ms).toBeLessThan(READY_TIMEOUT_MS + 700);
    expect(provision.value.status).toBe(503);
    expect(provision.value.body).toMatchObject({ status: 503, type: 'urn:testapi:problem:service-unavailable' });
    // Honest about the one thing a frozen database leaves open: the statement it already received.
    expect(provision.value.body.detail).toMatch(/stopped answering.*Idempotency-Key/);
    expect(provision.value.headers['retry-after']).toMatch(/^\d+$/);
    // statement timeout + the 2 s client margin, plus slack for a loaded machine.
    expect(provision.ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 2_000 + 1_500);

    // After the thaw: ready again; the request that gave up left its whole graph or nothing (a statement
    // the frozen backend had already received still runs when it thaws); new work succeeds.
    await http(own.app).get('/ready').expect(200);
    const after = await countRowsByTag(tag, own.pool);
    expect(totalOf(after) === 0 ? 'none' : after).toEqual(totalOf(after) === 0 ? 'none' : warm.body.counts);
    const again = uniqueTag('frozen-after');
    await http(own.app).post('/scenarios/user').send({ tag: again }).expect(201);
    expect(await countRowsByTag(again, own.pool)).toEqual(warm.body.counts);
  }, 40_000);
});
