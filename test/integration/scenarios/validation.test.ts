import { useTestApp } from '../../support/app';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { expectNothingWritten } from './scenario-helpers';

const testApp = useTestApp();

describe('POST /scenarios/{name} validation', () => {
  test.each([
    ['an unknown top-level field', 'user', { colour: 'red' }, ['colour']],
    ['an unknown param', 'user-with-orders', { params: { orders: 2, color: 'red' } }, ['params.color']],
    ['an unknown override field', 'user', { overrides: { user: { nickname: 'x' } } }, ['overrides.user.nickname']],
    ['an unknown override root', 'user', { overrides: { account: {} } }, ['overrides.account']],
    ['overrides on a scenario without any', 'bulk-orders', { params: { users: 1 }, overrides: { user: {} } }, ['overrides.user']],
    ['a bad tag', 'user', { tag: '-starts-with-dash' }, ['tag']],
    ['a tag over 64 characters', 'user', { tag: `a${'b'.repeat(64)}` }, ['tag']],
    ['a non-string tag', 'user', { tag: 42 }, ['tag']],
    ['a negative seed', 'user', { seed: -1 }, ['seed']],
    ['a seed over 2^31-1', 'user', { seed: 2_147_483_648 }, ['seed']],
    ['a fractional seed', 'user', { seed: 1.5 }, ['seed']],
    ['a string seed', 'user', { seed: '42' }, ['seed']],
    ['ttlSeconds 0', 'user', { ttlSeconds: 0 }, ['ttlSeconds']],
    ['ttlSeconds over 30 days', 'user', { ttlSeconds: 2_592_001 }, ['ttlSeconds']],
    ['orders over the bound', 'user-with-orders', { params: { orders: 101 } }, ['params.orders']],
    ['orders under the bound', 'user-with-orders', { params: { orders: 0 } }, ['params.orders']],
    ['itemsPerOrder as a string', 'user-with-orders', { params: { itemsPerOrder: '2' } }, ['params.itemsPerOrder']],
    ['a status outside the enum', 'user-with-orders', { params: { status: 'lost' } }, ['params.status']],
    ['a null param', 'user', { params: { addresses: null } }, ['params.addresses']],
    ['addresses over 5', 'user', { params: { addresses: 6 } }, ['params.addresses']],
    ['a role outside the enum', 'user', { params: { role: 'root' } }, ['params.role']],
    ['members over 200', 'organization', { params: { members: 201 } }, ['params.members']],
    ['products over 10,000', 'catalog', { params: { products: 10_001 } }, ['params.products']],
    ['a negative price override', 'catalog', { overrides: { product: { priceCents: -1 } } }, ['overrides.product.priceCents']],
    ['users over 100,000', 'bulk-orders', { params: { users: 100_001 } }, ['params.users']],
    ['ordersPerUser over 50', 'bulk-orders', { params: { ordersPerUser: 51 } }, ['params.ordersPerUser']],
    ['a real-looking e-mail domain', 'user', { overrides: { user: { email: 'ana@gmail.com' } } }, ['overrides.user.email']],
    ['a malformed e-mail', 'user', { overrides: { user: { email: 'not-an-email' } } }, ['overrides.user.email']],
    ['an owner e-mail on a real domain', 'organization', { overrides: { owner: { email: 'boss@acme.com' } } }, ['overrides.owner.email']],
    ['an organization domain that is not reserved', 'organization', { overrides: { organization: { domain: 'acme.com' } } }, ['overrides.organization.domain']],
    ['an empty first name', 'user', { overrides: { user: { firstName: '' } } }, ['overrides.user.firstName']],
    ['params as an array', 'user', { params: [1, 2] }, ['params']],
    ['overrides.user as a string', 'user', { overrides: { user: 'ana' } }, ['overrides.user']],
    ['an Object.prototype name as a param', 'user', { params: { toString: 'x' } }, ['params.toString']],
    ['valueOf as an override field', 'user', { overrides: { user: { valueOf: 1 } } }, ['overrides.user.valueOf']],
    ['a NUL character', 'user', { overrides: { user: { firstName: 'A\u0000na' } } }, ['overrides.user.firstName']],
    ['several faults at once', 'user-with-orders', { seed: -5, params: { orders: 500, status: 'x' } }, ['seed', 'params.orders', 'params.status']],
  ])('When the body has %s, then 400 names the field and nothing is written', async (_case, scenario, body, paths) => {
    const tag = uniqueTag('invalid');
    const sent = { tag, ...(body as Record<string, unknown>) };

    const res = await http(testApp.app).post(`/scenarios/${scenario}`).set('Idempotency-Key', `key-${tag}`).send(sent).expect(400);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: 'Invalid request' });
    expect(res.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([...paths].sort());
    for (const error of res.body.errors) expect(error.message).toContain(error.path);
    await expectNothingWritten(sent.tag as string, `key-${tag}`);
  });

  test('When fields have the wrong type, then each message names its path and the type, not a bound', async () => {
    const res = await http(testApp.app)
      .post('/scenarios/user-with-orders')
      .send({ seed: '42', params: { itemsPerOrder: '2', orders: 500 }, extra: true })
      .expect(400);

    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'seed', message: 'seed must be an integer number' },
        { path: 'params.itemsPerOrder', message: 'params.itemsPerOrder must be an integer number' },
        { path: 'params.orders', message: 'params.orders must not be greater than 100' },
        { path: 'extra', message: 'extra is not a known field (allowed: tag, seed, ttlSeconds, params, overrides)' },
      ]),
    );
    expect(res.body.errors).toHaveLength(4);
  });

  test('When a body carries __proto__ or constructor keys, then 400 and no prototype is touched', async () => {
    const tag = uniqueTag('proto');
    const body = `{"tag":"${tag}","params":{"__proto__":{"addresses":5},"constructor":{"prototype":{"polluted":true}}}}`;

    const res = await http(testApp.app).post('/scenarios/user').set('Content-Type', 'application/json').send(body).expect(400);

    expect(res.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['params.__proto__', 'params.constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).addresses).toBeUndefined();
    await expectNothingWritten(tag);
  });

  test('When the body is a JSON array, then 400 says the body must be an object', async () => {
    const res = await http(testApp.app).post('/scenarios/user').send([{ tag: 'x' }]).expect(400);

    expect(res.body.errors).toEqual([{ path: 'body', message: 'body must be a JSON object' }]);
  });

  test('When the body is not JSON, then 415 and nothing is provisioned with defaults', async () => {
    const res = await http(testApp.app).post('/scenarios/user').set('Content-Type', 'text/plain').send('tag=abc').expect(415);

    expect(res.body.status).toBe(415);
  });

  test('When the scenario is unknown, then 404 lists the known ones', async () => {
    const res = await http(testApp.app).post('/scenarios/no-such-thing').send({}).expect(404);

    expect(res.body.detail).toContain('user-with-orders');
  });

  test('When the Idempotency-Key is longer than 255 characters, then 400 names it', async () => {
    const tag = uniqueTag('key');

    const res = await http(testApp.app).post('/scenarios/user').set('Idempotency-Key', 'k'.repeat(256)).send({ tag }).expect(400);

    expect(res.body.errors[0].path).toBe('Idempotency-Key');
    await expectNothingWritten(tag);
  });
});
