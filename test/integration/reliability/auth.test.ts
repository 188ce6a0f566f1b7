import request from 'supertest';
import { buildTestApp, type TestApp } from '../../support/app';
import { closeTestPool, countRowsByTag, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';

const KEY = 'suite-key-0123456789abcdef';
const NEXT_KEY = 'rotated-key-fedcba9876543210';

let secured: TestApp;
let open: TestApp;

beforeAll(async () => {
  secured = await buildTestApp({ TESTAPI_API_KEY: `${KEY},${NEXT_KEY}` });
  open = await buildTestApp();
});
afterAll(async () => {
  await secured?.close();
  await open?.close();
  await closeTestPool();
});

const bearer = (key: string): string => `Bearer ${key}`;

describe('Authentication with TESTAPI_API_KEY', () => {
  test.each(['/health', '/ready', '/openapi.yaml'])('When GET %s without a key, then it answers 200 (probes and the contract are public)', async (path) => {
    await http(secured.app).get(path).expect(200);
  });

  test('When GET /docs without a key, then the docs page and its assets load', async () => {
    // The page is in the contract (GET /docs); its Swagger UI assets are not: plain supertest for those.
    const page = await http(secured.app).get('/docs/').expect(200);
    const asset = await request(secured.app).get('/docs/swagger-ui-init.js').expect(200);

    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  test('When GET /metrics without a key, then a 401 problem with WWW-Authenticate: Bearer', async () => {
    const res = await http(secured.app).get('/metrics').expect(401);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="testapi"/);
    expect(res.body).toMatchObject({ type: 'urn:testapi:problem:unauthorized', title: 'Unauthorized', status: 401, instance: '/metrics' });
  });

  test.each([
    ['a wrong key', bearer('wrong-key-0123456789abcdef')],
    ['a prefix of the key', bearer(KEY.slice(0, -1))],
    ['the key with a suffix', bearer(`${KEY}x`)],
    ['both keys joined', bearer(`${KEY},${NEXT_KEY}`)],
    ['the key without the scheme', KEY],
    ['the key as Basic credentials', `Basic ${Buffer.from(`x:${KEY}`).toString('base64')}`],
    ['an empty bearer', 'Bearer '],
  ])('When the request carries %s, then 401 and the key is not echoed', async (_case, authorization) => {
    const res = await http(secured.app).get('/metrics').set('Authorization', authorization).expect(401);

    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(JSON.stringify(res.body) + JSON.stringify(res.headers)).not.toContain(KEY);
  });

  test.each([KEY, NEXT_KEY])('When the request carries configured key %#, then it is accepted (rotation)', async (key) => {
    const res = await http(secured.app).get('/metrics').set('Authorization', bearer(key)).expect(200);

    expect(res.text).toContain('testapi_http_requests_total');
  });

  test('When the scheme is written in lower case, then the key is still accepted (RFC 7235: schemes are case-insensitive)', async () => {
    await http(secured.app).get('/metrics').set('Authorization', `bearer ${KEY}`).expect(200);
  });

  test('When an unknown route is called without a key, then 401 (routes are not revealed); with a key, 404', async () => {
    const anonymous = await http(secured.app).get('/admin/secret-route').expect(401);
    const known = await http(secured.app).get('/admin/secret-route').set('Authorization', bearer(KEY)).expect(404);

    expect(anonymous.body.detail).not.toContain('secret-route');
    expect(known.body.detail).toContain('/admin/secret-route');
  });

  test.each([
    ['get', '/scenarios'],
    ['post', '/scenarios/user'],
    ['post', '/scenarios/user-with-orders'],
    ['post', '/scenarios/bulk-orders'],
    ['get', '/tags'],
    ['get', '/tags/some-tag'],
    ['delete', '/tags/some-tag'],
    ['post', '/cleanup'],
    ['get', '/METRICS'],
    ['get', '/health/../metrics'],
  ] as const)('When %s %s is called without a key, then 401 and nothing is written', async (method, path) => {
    const tag = uniqueTag('auth');

    const res = await http(secured.app)[method](path).send({ tag, all: true }).expect(401);

    expect(res.body.status).toBe(401);
    expect(totalOf(await countRowsByTag(tag))).toBe(0);
  });

  test('When TESTAPI_API_KEY is unset, then /metrics answers without a key', async () => {
    await http(open.app).get('/metrics').expect(200);
  });
});
