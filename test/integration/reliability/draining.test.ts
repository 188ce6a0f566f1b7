import { markDraining } from '../../../src/app';
import { buildTestApp, type TestApp } from '../../support/app';
import { countRowsByTag, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await buildTestApp();
  markDraining(testApp.app);
});
afterAll(async () => {
  await testApp?.close();
});

describe('Requests arriving while the service drains (after SIGTERM)', () => {
  test('When a request arrives on a kept-alive connection during shutdown, then a 503 problem with Retry-After closes the connection and nothing is written', async () => {
    const tag = uniqueTag('drain');

    const res = await http(testApp.app).post('/scenarios/user').send({ tag });

    expect(res.status).toBe(503);
    expect(res.headers.connection).toBe('close');
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ type: 'urn:testapi:problem:shutting-down', status: 503 });
    expect(totalOf(await countRowsByTag(tag))).toBe(0);
  });

  test('When /ready is probed during shutdown, then it says 503 so load balancers stop routing here', async () => {
    await http(testApp.app).get('/ready').expect(503);
  });
});
