import { buildTestApp, type TestApp } from '../../support/app';
import { closeTestPool, uniqueTag } from '../../support/database';
import { http } from '../../support/http';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await buildTestApp({ DB_POOL_SIZE: '4' });
});
afterAll(async () => {
  await testApp?.close();
  await closeTestPool();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, one sample per line. */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]));
      return { name: match[1] as string, labels, value: Number(match[3]) };
    });
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))?.value;
}

async function scrape(): Promise<Sample[]> {
  const res = await http(testApp.app).get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return parse(res.text);
}

describe('GET /metrics', () => {
  test('When requests were served, then they are counted by route pattern and status, with a latency histogram', async () => {
    await http(testApp.app).get('/health').expect(200);
    await http(testApp.app).get('/health').expect(200);

    const samples = await scrape();

    expect(valueOf(samples, 'testapi_http_requests_total', { method: 'GET', route: '/health', status: '200' })).toBe(2);
    expect(valueOf(samples, 'testapi_http_request_duration_seconds_count', { method: 'GET', route: '/health' })).toBe(2);
    expect(valueOf(samples, 'testapi_http_request_duration_seconds_bucket', { method: 'GET', route: '/health', le: '+Inf' })).toBe(2);
  });

  test('When 300 distinct unknown URLs are requested, then they share one series (no cardinality explosion)', async () => {
    for (let i = 0; i < 300; i += 1) await http(testApp.app).get(`/nowhere/${i}?q=${i}`).expect(404);

    const samples = await scrape();
    const series = samples.filter((sample) => sample.name === 'testapi_http_requests_total');

    expect(valueOf(samples, 'testapi_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(300);
    expect(series.some((sample) => sample.labels.route?.includes('nowhere'))).toBe(false);
    expect(series.length).toBeLessThan(20);
  });

  test('When the pool holds connections, then its usage is reported on scrape', async () => {
    // /ready asks a probe pool of its own, and an idle connection may be closed at any
    // time (idle timeout): every connection held through the scrape makes the count exact.
    const held = await Promise.all([1, 2, 3, 4].map(() => testApp.db.pool.connect()));
    try {
      await Promise.all(held.map((client) => client.query('SELECT 1')));

      const samples = await scrape();

      expect(valueOf(samples, 'testapi_db_pool_connections')).toBe(4);
      expect(testApp.db.pool.totalCount).toBe(4);
      expect(valueOf(samples, 'testapi_db_pool_idle_connections')).toBe(0);
      expect(valueOf(samples, 'testapi_db_pool_waiting_requests')).toBe(0);
      expect(valueOf(samples, 'testapi_db_pool_max_connections')).toBe(4);
    } finally {
      for (const client of held) client.release();
    }
  });

  test('When queries wait for a connection, then the waiting gauge shows them', async () => {
    const held = await Promise.all([1, 2, 3, 4].map(() => testApp.db.pool.connect()));
    const waiting = testApp.db.pool.query('SELECT 1');
    try {
      const samples = await scrape();

      expect(valueOf(samples, 'testapi_db_pool_waiting_requests')).toBe(1);
      expect(valueOf(samples, 'testapi_db_pool_idle_connections')).toBe(0);
    } finally {
      for (const client of held) client.release();
      await waiting;
    }
  });

  test('When a scenario is provisioned and its tag deleted over HTTP, then rows are counted by scenario and table, and routes by their pattern', async () => {
    const tags = [uniqueTag('metrics'), uniqueTag('metrics')];
    for (const tag of tags) await http(testApp.app).post('/scenarios/user-with-orders').send({ tag, params: { orders: 2, itemsPerOrder: 3 } }).expect(201);
    for (const tag of tags) await http(testApp.app).delete(`/tags/${tag}`).expect(200);

    const samples = await scrape();

    expect(valueOf(samples, 'testapi_rows_provisioned_total', { scenario: 'user-with-orders', table: 'orders' })).toBe(4);
    expect(valueOf(samples, 'testapi_rows_provisioned_total', { scenario: 'user-with-orders', table: 'order_items' })).toBe(12);
    expect(valueOf(samples, 'testapi_rows_deleted_total', { table: 'order_items' })).toBe(12);
    expect(valueOf(samples, 'testapi_http_requests_total', { method: 'POST', route: '/scenarios/:name', status: '201' })).toBe(2);
    expect(valueOf(samples, 'testapi_http_requests_total', { method: 'DELETE', route: '/tags/:tag', status: '200' })).toBe(2);
    expect(samples.some((sample) => tags.some((tag) => Object.values(sample.labels).includes(tag)))).toBe(false);
  });

  test('When the counters are called directly, then zero counts make no series and outcomes are kept apart', async () => {
    testApp.metrics.rowsProvisioned('synthetic', { users: 1, addresses: 2, orders: 0 });
    testApp.metrics.rowsDeleted({ memberships: 1 });
    testApp.metrics.sweeperRun('ok');
    testApp.metrics.sweeperRun('failed');
    testApp.metrics.sweeperRun('ok');

    const samples = await scrape();

    expect(valueOf(samples, 'testapi_rows_provisioned_total', { scenario: 'synthetic', table: 'addresses' })).toBe(2);
    expect(valueOf(samples, 'testapi_rows_provisioned_total', { scenario: 'synthetic', table: 'orders' })).toBeUndefined();
    expect(valueOf(samples, 'testapi_rows_deleted_total', { table: 'memberships' })).toBe(1);
    expect(valueOf(samples, 'testapi_sweeper_runs_total', { outcome: 'ok' })).toBe(2);
    expect(valueOf(samples, 'testapi_sweeper_runs_total', { outcome: 'failed' })).toBe(1);
  });
});
