import { useTestApp } from '../../support/app';
import { countRowsByTag } from '../../support/database';
import { http } from '../../support/http';
import { ordersMapping, uniqueMappingName } from './pact-helpers';

const KEY = 'pact-auth-key-0123456789abcdef';
const testApp = useTestApp({ TESTAPI_API_KEY: KEY });

describe('X-Testapi-Key: the key in a header of its own, for verifiers that send the provider\'s Authorization too', () => {
  test('When the key comes as X-Testapi-Key next to the provider\'s own Authorization, then the state is set up', async () => {
    const mapping = uniqueMappingName('auth');
    await http(testApp.app).put(`/pact/mappings/${mapping}`).set('X-Testapi-Key', KEY).send(ordersMapping()).expect(201);

    const res = await http(testApp.app)
      .post(`/pact/provider-states?mapping=${mapping}&session=s1`)
      .set('Authorization', 'Bearer the-providers-own-token')
      .set('X-Testapi-Key', KEY)
      .send({ state: 'a user with orders', params: {}, action: 'setup' })
      .expect(200);

    expect((await countRowsByTag(res.headers['x-testapi-tag'])).orders).toBe(1);
  });

  test('When X-Testapi-Key is wrong, then 401 even with a valid bearer key, and nothing is written', async () => {
    const mapping = uniqueMappingName('auth');
    await http(testApp.app).put(`/pact/mappings/${mapping}`).set('Authorization', `Bearer ${KEY}`).send(ordersMapping()).expect(201);

    const wrong = await http(testApp.app)
      .post(`/pact/provider-states?mapping=${mapping}&session=s1`)
      .set('Authorization', `Bearer ${KEY}`)
      .set('X-Testapi-Key', 'not-the-key-0123456789abcdef')
      .send({ state: 'a user with orders', params: {}, action: 'setup' })
      .expect(401);
    const none = await http(testApp.app).post(`/pact/provider-states?mapping=${mapping}&session=s1`).send({ state: 'a user with orders', params: {}, action: 'setup' }).expect(401);

    expect(wrong.body).toMatchObject({ status: 401 });
    expect(none.body.detail).toContain('X-Testapi-Key');
    const tags = await http(testApp.app).get(`/tags?prefix=pact.${mapping}.`).set('X-Testapi-Key', KEY).expect(200);
    expect(tags.body.tags).toEqual([]);
  });
});
