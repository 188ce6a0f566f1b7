import { BULK_LOCK_CLASS } from '../../../src/provisioning/bulk-slots';
import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, totalOf } from '../../support/database';
import { http } from '../../support/http';
import { ordersMapping, pactRows, uniqueMappingName } from './pact-helpers';

const testApp = useTestApp({ MAX_CONCURRENT_BULK: '1' });
const API = (mapping: string, session = 's1'): string => `/pact/provider-states?mapping=${mapping}&session=${session}`;

async function withMapping(body: Record<string, unknown> = ordersMapping()): Promise<string> {
  const name = uniqueMappingName('ps');
  await http(testApp.app).put(`/pact/mappings/${name}`).send(body).expect(201);
  return name;
}

function setup(mapping: string, params: Record<string, unknown>, state = 'a user with orders') {
  return http(testApp.app).post(API(mapping)).send({ state, params, action: 'setup' });
}

describe('POST /pact/provider-states', () => {
  test('When a state is set up, then 200 answers the inject values of rows that exist under the tag in X-Testapi-Tag, kept for the mapping TTL', async () => {
    const mapping = await withMapping(ordersMapping(900));

    const res = await setup(mapping, { orders: 2 }).expect(200);

    const tag = res.headers['x-testapi-tag'];
    expect(tag).toMatch(new RegExp(`^pact\\.${mapping}\\.s1\\.[0-9a-f]{10}$`));
    expect(Object.keys(res.body).sort()).toEqual(['orderId', 'userEmail', 'userId']);
    const order = await testPool().query('SELECT user_id, status, test_tag FROM orders WHERE id = $1', [res.body.orderId]);
    expect(order.rows[0]).toEqual({ user_id: res.body.userId, status: 'shipped', test_tag: tag });
    const user = await testPool().query('SELECT email FROM users WHERE id = $1', [res.body.userId]);
    expect(user.rows[0].email).toBe(res.body.userEmail);
    expect((await countRowsByTag(tag)).orders).toBe(2);
    const lease = await testPool().query<{ seconds: number }>('SELECT extract(epoch FROM expires_at - now())::int AS seconds FROM test_tags WHERE tag = $1', [tag]);
    expect(lease.rows[0]!.seconds).toBeGreaterThan(880);
    expect(lease.rows[0]!.seconds).toBeLessThanOrEqual(900);
  });

  test('When the same setup runs twice, then the second replaces the first graph (same tag, same counts, the first ids gone)', async () => {
    const mapping = await withMapping();

    const first = await setup(mapping, { orders: 3 }).expect(200);
    const countsAfterFirst = await countRowsByTag(first.headers['x-testapi-tag']);
    const second = await setup(mapping, { orders: 3 }).expect(200);

    expect(second.headers['x-testapi-tag']).toBe(first.headers['x-testapi-tag']);
    expect(second.body.orderId).not.toBe(first.body.orderId);
    expect(await countRowsByTag(second.headers['x-testapi-tag'])).toEqual(countsAfterFirst);
    expect((await testPool().query('SELECT 1 FROM orders WHERE id = $1', [first.body.orderId])).rowCount).toBe(0);
  });

  test('When the same setup arrives twice at once (a verifier retrying a slow answer), then they take turns and one graph remains', async () => {
    const mapping = await withMapping();

    const [a, b] = await Promise.all([setup(mapping, { orders: 2 }).expect(200), setup(mapping, { orders: 2 }).expect(200)]);

    expect(a.headers['x-testapi-tag']).toBe(b.headers['x-testapi-tag']);
    expect(await pactRows(`pact.${mapping}.`)).toEqual({ [a.headers['x-testapi-tag']]: { users: 1, orders: 2 } });
    const survivors = await testPool().query('SELECT id FROM orders WHERE id = ANY($1::uuid[])', [[a.body.orderId, b.body.orderId]]);
    expect(survivors.rowCount).toBe(1);
  });

  test('When setups differ in params or session, then each gets its own tag and neither touches the other', async () => {
    const mapping = await withMapping();

    const one = await setup(mapping, { orders: 1 }).expect(200);
    const two = await setup(mapping, { orders: 2 }).expect(200);
    const otherSession = await http(testApp.app).post(API(mapping, 's2')).send({ state: 'a user with orders', params: { orders: 1 }, action: 'setup' }).expect(200);

    expect(new Set([one, two, otherSession].map((res) => res.headers['x-testapi-tag'])).size).toBe(3);
    expect(await pactRows(`pact.${mapping}.`)).toEqual({
      [one.headers['x-testapi-tag']]: { users: 1, orders: 1 },
      [two.headers['x-testapi-tag']]: { users: 1, orders: 2 },
      [otherSession.headers['x-testapi-tag']]: { users: 1, orders: 1 },
    });
  });

  test('When the state comes in query mode, then params arrive as JSON text and give the same tag as body mode', async () => {
    const mapping = await withMapping();

    const query = await http(testApp.app).post(`${API(mapping)}&state=a%20user%20with%20orders&action=setup&orders=2`).expect(200);
    const body = await setup(mapping, { orders: 2 }).expect(200);

    expect(query.headers['x-testapi-tag']).toBe(body.headers['x-testapi-tag']);
    expect((await countRowsByTag(body.headers['x-testapi-tag'])).orders).toBe(2);
  });

  test('When a state is torn down, then its rows and registration go and 200 {} answers, also when nothing is left', async () => {
    const mapping = await withMapping();
    const { headers } = await setup(mapping, { orders: 1 }).expect(200);

    const first = await http(testApp.app).post(API(mapping)).send({ state: 'a user with orders', params: { orders: 1 }, action: 'teardown' }).expect(200);
    const again = await http(testApp.app).post(`${API(mapping)}&state=a%20user%20with%20orders&action=teardown&orders=1`).expect(200);

    expect(first.body).toEqual({});
    expect(again.body).toEqual({});
    expect(totalOf(await countRowsByTag(headers['x-testapi-tag']))).toBe(0);
    expect((await testPool().query('SELECT 1 FROM test_tags WHERE tag = $1', [headers['x-testapi-tag']])).rowCount).toBe(0);
  });

  test('When the state is "" or maps to no scenario, then 200 {} and nothing is written', async () => {
    const mapping = await withMapping();

    const empty = await http(testApp.app).post(API(mapping)).send({ state: '', params: {}, action: 'setup' }).expect(200);
    const none = await setup(mapping, {}, 'no orders exist').expect(200);

    expect(empty.body).toEqual({});
    expect(empty.headers['x-testapi-tag']).toBeUndefined();
    expect(none.body).toEqual({});
    expect(totalOf(await countRowsByTag(none.headers['x-testapi-tag']))).toBe(0);
  });

  test('When the mapping or the state is unknown, then 422 and nothing is written; with unknownStates ignore, 200 {}', async () => {
    const mapping = await withMapping();
    const ignoring = await withMapping({ ...ordersMapping(), unknownStates: 'ignore' });

    const noMapping = await http(testApp.app).post(API('never-stored')).send({ state: 'a user with orders', params: {}, action: 'setup' }).expect(422);
    const noState = await setup(mapping, {}, 'a user with debts').expect(422);
    const ignored = await setup(ignoring, {}, 'a user with debts').expect(200);

    expect(noMapping.body).toMatchObject({ status: 422, title: 'Unknown Pact mapping' });
    expect(noState.body).toMatchObject({ status: 422, title: 'Unknown provider state' });
    expect(noState.body.detail).toContain('"a user with orders"');
    expect(ignored.body).toEqual({});
    expect(await pactRows(`pact.${mapping}.`)).toEqual({});
    expect(await pactRows(`pact.${ignoring}.`)).toEqual({});
  });

  test('When params or the request are invalid, then 400 names them and nothing is written', async () => {
    const mapping = await withMapping();

    const tooMany = await setup(mapping, { orders: 1000 }).expect(400);
    const notNumber = await http(testApp.app).post(`${API(mapping)}&state=a%20user%20with%20orders&orders=many`).expect(400);
    const noSession = await http(testApp.app).post(`/pact/provider-states?mapping=${mapping}`).send({ state: 'x' }).expect(400);
    const badAction = await http(testApp.app).post(API(mapping)).send({ state: 'a user with orders', action: 'explode' }).expect(400);

    expect(tooMany.body.errors).toEqual([expect.objectContaining({ path: 'params.orders' })]);
    expect(notNumber.body.errors).toEqual([expect.objectContaining({ path: 'params.orders' })]);
    expect(noSession.body.errors).toEqual([expect.objectContaining({ path: 'session' })]);
    expect(badAction.body.errors).toEqual([expect.objectContaining({ path: 'action' })]);
    expect(await pactRows(`pact.${mapping}.`)).toEqual({});
  });

  test('When a run never tears down, then its tags expire after the mapping TTL and the expired cleanup (as the sweeper) removes them', async () => {
    const mapping = await withMapping(ordersMapping(1));
    const { headers } = await setup(mapping, { orders: 1 }).expect(200);
    const tag = headers['x-testapi-tag'];
    for (let waited = 0; waited < 3_000; waited += 100) {
      const expired = await testPool().query('SELECT 1 FROM test_tags WHERE tag = $1 AND expires_at <= now()', [tag]);
      if (expired.rowCount === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const res = await http(testApp.app).post('/cleanup').send({ expired: true, prefix: `pact.${mapping}.` }).expect(200);

    expect(res.body.tags).toEqual([tag]);
    expect(totalOf(await countRowsByTag(tag))).toBe(0);
  });

  test('When every bulk slot is taken, then a bulk state answers 429 with Retry-After and writes nothing', async () => {
    const mapping = await withMapping({ states: { 'many orders': { scenario: 'bulk-orders', params: { users: 1, ordersPerUser: 1 } } } });
    const holder = await testPool().connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::int, 0)', [BULK_LOCK_CLASS]);

      const res = await setup(mapping, {}, 'many orders').expect(429);

      expect(res.headers['retry-after']).toBe('2');
      expect(await pactRows(`pact.${mapping}.`)).toEqual({});
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1::int, 0)', [BULK_LOCK_CLASS]);
      holder.release();
    }
  });
});
