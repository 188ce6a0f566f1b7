import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { expectCountsInDatabase, expectNothingWritten } from './scenario-helpers';

const testApp = useTestApp();

describe('POST /scenarios/{name} with Idempotency-Key', () => {
  test('When a request is retried with the same key and body, then the first response is replayed and nothing more is written', async () => {
    const tag = uniqueTag('idem');
    const key = `key-${tag}`;
    const body = { tag, params: { orders: 2 } };
    const first = await http(testApp.app).post('/scenarios/user-with-orders').set('Idempotency-Key', key).send(body).expect(201);
    const before = await countRowsByTag(tag);

    const retry = await http(testApp.app).post('/scenarios/user-with-orders').set('Idempotency-Key', key).send(body).expect(201);

    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await countRowsByTag(tag)).toEqual(before);
    await expectCountsInDatabase(tag, first.body.counts);
  });

  test('When the retry has the same body with keys in another order and no seed, then it still replays (canonical JSON), seed included', async () => {
    const tag = uniqueTag('idem');
    const key = `key-${tag}`;
    const first = await http(testApp.app)
      .post('/scenarios/user')
      .set('Idempotency-Key', key)
      .send({ tag, params: { role: 'admin', addresses: 2 } })
      .expect(201);

    const retry = await http(testApp.app)
      .post('/scenarios/user')
      .set('Idempotency-Key', key)
      .send({ params: { addresses: 2, role: 'admin' }, tag })
      .expect(201);

    expect(retry.body.seed).toBe(first.body.seed);
    expect(retry.body.data.user.id).toBe(first.body.data.user.id);
    expect(totalOf(await countRowsByTag(tag))).toBe(3);
  });

  test('When the same key comes with another body, then 409 and nothing is written', async () => {
    const tag = uniqueTag('idem');
    const key = `key-${tag}`;
    await http(testApp.app).post('/scenarios/user').set('Idempotency-Key', key).send({ tag }).expect(201);
    const otherTag = uniqueTag('idem');

    const res = await http(testApp.app).post('/scenarios/user').set('Idempotency-Key', key).send({ tag: otherTag }).expect(409);

    expect(res.body.errors[0].path).toBe('Idempotency-Key');
    await expectNothingWritten(otherTag);
    expect(totalOf(await countRowsByTag(tag))).toBe(2);
  });

  test('When the same key comes with another scenario, then 409', async () => {
    const tag = uniqueTag('idem');
    const key = `key-${tag}`;
    await http(testApp.app).post('/scenarios/user').set('Idempotency-Key', key).send({ tag }).expect(201);

    await http(testApp.app).post('/scenarios/catalog').set('Idempotency-Key', key).send({ tag }).expect(409);

    expect((await countRowsByTag(tag)).products).toBe(0);
  });

  test('When two identical requests race with one key, then the graph is created once and both get the same response', async () => {
    const tag = uniqueTag('race');
    const key = `key-${tag}`;
    const body = { tag, params: { orders: 20, itemsPerOrder: 5 } };

    const [a, b] = await Promise.all([
      http(testApp.app).post('/scenarios/user-with-orders').set('Idempotency-Key', key).send(body),
      http(testApp.app).post('/scenarios/user-with-orders').set('Idempotency-Key', key).send(body),
    ]);

    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toEqual(b.body);
    expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']].filter(Boolean)).toEqual(['true']);
    await expectCountsInDatabase(tag, a.body.counts);
  });

  test('When the key is stored, then it expires with the tag and keeps the response', async () => {
    const tag = uniqueTag('idem');
    const key = `key-${tag}`;
    const res = await http(testApp.app).post('/scenarios/user').set('Idempotency-Key', key).send({ tag, ttlSeconds: 600 }).expect(201);

    const stored = await testPool().query(
      'SELECT k.tag, k.status_code, k.expires_at = t.expires_at AS same_expiry, k.response FROM testapi_idempotency_keys k JOIN test_tags t ON t.tag = k.tag WHERE k.key = $1',
      [key],
    );
    expect(stored.rows[0]).toMatchObject({ tag, status_code: 201, same_expiry: true });
    expect(stored.rows[0].response).toEqual(res.body);
  });

  test('When a key has expired, then it is taken over by a new request as if it never existed', async () => {
    const tag = uniqueTag('idem');
    const key = `key-${tag}`;
    await http(testApp.app).post('/scenarios/user').set('Idempotency-Key', key).send({ tag }).expect(201);
    await testPool().query(`UPDATE testapi_idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);

    const res = await http(testApp.app).post('/scenarios/catalog').set('Idempotency-Key', key).send({ tag, params: { products: 2 } }).expect(201);

    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect((await countRowsByTag(tag)).products).toBe(2);
  });

  test('When a request fails inside the transaction, then its key is not kept and a corrected retry may use it', async () => {
    const email = `dup.${uniqueTag('mail')}@example.com`;
    await http(testApp.app).post('/scenarios/user').send({ overrides: { user: { email } } }).expect(201);
    const tag = uniqueTag('idem');
    const key = `key-${tag}`;

    await http(testApp.app).post('/scenarios/user').set('Idempotency-Key', key).send({ tag, overrides: { user: { email } } }).expect(409);

    await expectNothingWritten(tag, key);
  });
});
