import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, totalOf } from '../../support/database';
import { http } from '../../support/http';
import { storedMapping, uniqueMappingName } from './pact-helpers';

/** The shop mode: a state mapped to a graph of the shop's tables, provisioned by the graph engine. */
const testApp = useTestApp();
const API = (mapping: string): string => `/pact/provider-states?mapping=${mapping}&session=g1`;

const GRAPH_STATE = {
  graph: { users: [{ as: 'buyer', set: { last_name: '{{params.lastName}}' }, orders: [{ count: '{{params.orders}}', set: { status: 'shipped' } }] }] },
  params: { orders: { param: 'orders', default: 1 }, lastName: 'Pact' },
  inject: { userId: 'buyer[0].id', orderId: 'orders[1].id', lastName: 'users[0].last_name' },
};

async function withGraphMapping(): Promise<string> {
  const name = uniqueMappingName('graph');
  await http(testApp.app).put(`/pact/mappings/${name}`).send({ ttlSeconds: 600, states: { 'a user with shipped orders': GRAPH_STATE } }).expect(201);
  return name;
}

function setup(mapping: string, params: Record<string, unknown>, action = 'setup') {
  return http(testApp.app).post(API(mapping)).send({ state: 'a user with shipped orders', params, action });
}

describe('POST /pact/provider-states with a state mapped to a graph (shop)', () => {
  test('When a graph state is set up twice, then the inject values name rows under the tag, the second setup replaces the first with the same counts, and teardown leaves nothing', async () => {
    const mapping = await withGraphMapping();
    expect((await storedMapping(mapping))?.definition.states).toEqual({ 'a user with shipped orders': GRAPH_STATE });

    const first = await setup(mapping, { orders: 3 }).expect(200);

    const tag = first.headers['x-testapi-tag'];
    expect(Object.keys(first.body).sort()).toEqual(['lastName', 'orderId', 'userId']);
    expect(first.body.lastName).toBe('Pact');
    const order = await testPool().query('SELECT user_id, status, test_tag FROM orders WHERE id = $1', [first.body.orderId]);
    expect(order.rows[0]).toEqual({ user_id: first.body.userId, status: 'shipped', test_tag: tag });
    const countsAfterFirst = await countRowsByTag(tag);
    expect(countsAfterFirst).toMatchObject({ users: 1, orders: 3 });

    const second = await setup(mapping, { orders: 3 }).expect(200);

    expect(second.headers['x-testapi-tag']).toBe(tag);
    expect(await countRowsByTag(tag)).toEqual(countsAfterFirst);
    expect((await testPool().query('SELECT 1 FROM users WHERE id = $1', [first.body.userId])).rowCount).toBe(0);

    await setup(mapping, { orders: 3 }, 'teardown').expect(200, {});
    expect(totalOf(await countRowsByTag(tag))).toBe(0);
    expect((await testPool().query('SELECT 1 FROM test_tags WHERE tag = $1', [tag])).rowCount).toBe(0);
  });

  test('When a graph state comes in query mode, then its param arrives as JSON text, fits the integer template and gives the tag of body mode', async () => {
    const mapping = await withGraphMapping();

    const query = await http(testApp.app)
      .post(`${API(mapping)}&state=${encodeURIComponent('a user with shipped orders')}&action=setup&orders=2`)
      .expect(200);
    const body = await setup(mapping, { orders: 2 }).expect(200);

    expect(query.headers['x-testapi-tag']).toBe(body.headers['x-testapi-tag']);
    expect(await countRowsByTag(body.headers['x-testapi-tag'])).toMatchObject({ users: 1, orders: 2 });
  });

  test('When the params make the graph smaller than an inject path needs, then 400 names it and the previous graph stays', async () => {
    const mapping = await withGraphMapping();
    const before = await setup(mapping, { orders: 2 }).expect(200);
    const other = await setup(mapping, { orders: 1 }).expect(400);

    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(other.body.errors).toEqual([{ path: 'params', message: expect.stringContaining('orders[1]') }]);
    expect(totalOf(await countRowsByTag(before.headers['x-testapi-tag']))).toBe(3);
    const tags = await testPool().query('SELECT count(*)::int AS n FROM test_tags WHERE starts_with(tag, $1)', [`pact.${mapping}.`]);
    expect(tags.rows[0].n).toBe(1);
  });

  test('When a state param does not fit the type of its default, then 400 names params.orders and nothing is written', async () => {
    const mapping = await withGraphMapping();

    const res = await setup(mapping, { orders: 'many' }).expect(400);

    expect(res.body.errors).toEqual([{ path: 'params.orders', message: expect.stringContaining('params.orders') }]);
    const tags = await testPool().query('SELECT count(*)::int AS n FROM test_tags WHERE starts_with(tag, $1)', [`pact.${mapping}.`]);
    expect(tags.rows[0].n).toBe(0);
  });

  test('When graph mappings break the graph engine’s rules or name paths the graph lacks, then 400 names each path and nothing is stored', async () => {
    const name = uniqueMappingName('badgraph');
    const state = (graph: unknown, inject: Record<string, unknown> = {}, params: Record<string, unknown> = {}) => ({ graph, inject, params });

    const res = await http(testApp.app)
      .put(`/pact/mappings/${name}`)
      .send({
        states: {
          'unknown table': state({ teapots: [{}] }),
          'unknown column': state({ users: [{ set: { wings: 2 } }] }),
          'unknown alias': state({ users: [{ as: 'buyer' }] }, { userId: 'seller[0].id', email: 'buyer[0].wings', whole: 'buyer.id' }),
          'a param without a default': state({ users: [{ count: '{{params.n}}' }] }, {}, { n: { param: 'n' } }),
          'an undeclared template param': state({ users: [{ count: '{{params.n}}' }] }),
          'both': { scenario: 'user', graph: { users: [{}] } },
        },
      })
      .expect(400);

    expect(res.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(
      [
        'states["both"]',
        'states["unknown table"].graph.teapots',
        'states["unknown column"].graph.users[0].set.wings',
        'states["unknown alias"].inject.userId',
        'states["unknown alias"].inject.email',
        'states["unknown alias"].inject.whole',
        'states["a param without a default"].params.n',
        'states["an undeclared template param"].graph.users[0].count',
      ].sort(),
    );
    expect(await storedMapping(name)).toBeUndefined();
  });
});
