import { Writable } from 'node:stream';
import { createApp } from '../../../src/app';
import { createLogger } from '../../../src/logger';
import { countRowsByTag, totalOf } from '../../support/database';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import { tableTotals } from './support/fuzz';

// POST /cleanup and a renamed table affect the whole database: a cluster of its own.
const own = useOwnCluster();
beforeAll(async () => {
  await http(own.app).post('/scenarios/user-with-orders').send({ tag: 'hostile-kept', params: { orders: 2 } }).expect(201);
});
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

/** A JSON text whose `__proto__` key is a real own key on the wire (an object literal would set the prototype instead). */
const raw = (text: string): string => text;

describe('Prototype keys in request bodies', () => {
  test.each([
    ['__proto__ holding all', raw('{"__proto__": {"all": true}}')],
    ['constructor.prototype holding all', raw('{"constructor": {"prototype": {"all": true}}}')],
    ['a filter whose value has a constructor key', raw('{"prefix": {"constructor": "x"}}')],
    ['__proto__ next to a real filter', raw('{"prefix": "hostile-", "__proto__": {"all": true}}')],
  ])('When POST /cleanup carries %s, then 400 and nothing is deleted', async (_case, body) => {
    const before = await tableTotals(own.pool);

    const res = await http(own.app).post('/cleanup').set('Content-Type', 'application/json').send(body);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await tableTotals(own.pool)).toEqual(before);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  });

  test.each([
    ['__proto__ at the root', raw('{"tag": "hostile-a", "__proto__": {"tag": "hostile-kept"}}')],
    ['__proto__ in params', raw('{"tag": "hostile-b", "params": {"__proto__": {"orders": 100}}}')],
    ['constructor in overrides', raw('{"tag": "hostile-c", "overrides": {"constructor": {"prototype": {"polluted": true}}}}')],
    ['valueOf at the root', raw('{"tag": "hostile-d", "valueOf": 1}')],
    ['toString in params', raw('{"tag": "hostile-e", "params": {"toString": 3}}')],
  ])('When POST /scenarios/user-with-orders carries %s, then 400 and no row is written', async (_case, body) => {
    const before = await tableTotals(own.pool);

    const res = await http(own.app).post('/scenarios/user-with-orders').set('Content-Type', 'application/json').send(body);

    expect([res.status, res.body.type]).toEqual([400, 'urn:testapi:problem:validation']);
    expect(await tableTotals(own.pool)).toEqual(before);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('Malformed URLs', () => {
  test.each(['/tags/%E0%A4%A', '/scenarios/%zz', '/tags/%C0%AF'])('When GET or POST %s, then a 400 problem, not a 500', async (path) => {
    const res = path.startsWith('/tags') ? await http(own.app).get(path) : await http(own.app).post(path).send({});

    expect([res.status, res.body.type]).toEqual([400, expect.stringMatching(/malformed-url|validation/)]);
  });
});

describe('Unexpected database errors', () => {
  test('When a query fails for a reason nobody planned (a missing table), then a 500 problem that names nothing internal, and the log holds the cause under the request id', async () => {
    const lines: string[] = [];
    const logger = createLogger('error', new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString('utf8')); done(); } }));
    const app = createApp({ config: own.config, db: own.db, logger, metrics: own.metrics });
    await own.pool.query('ALTER TABLE addresses RENAME TO addresses_moved_away');
    let res;
    try {
      res = await http(app).post('/scenarios/user').send({ tag: 'hostile-500', params: { addresses: 2 } }).set('X-Request-Id', 'forced-500-check');
    } finally {
      await own.pool.query('ALTER TABLE addresses_moved_away RENAME TO addresses');
    }

    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      type: 'urn:testapi:problem:internal',
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred; the request id identifies it in the service log.',
      instance: '/scenarios/user',
      requestId: 'forced-500-check',
    });
    expect(res.text).not.toMatch(/addresses|relation|INSERT|SELECT|\/work\/|node_modules|postgres(ql)?:\/\/|\bat /);
    const logged = lines.find((line) => line.includes('forced-500-check') && line.includes('request failed'));
    expect(logged).toMatch(/addresses/);
    expect(logged).not.toMatch(/postgres(ql)?:\/\/[^"]*:[^"]*@/);
    expect(totalOf(await countRowsByTag('hostile-500', own.pool))).toBe(0);
  });
});
