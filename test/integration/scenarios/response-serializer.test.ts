import { randomUUID } from 'node:crypto';
import { SCENARIOS } from '../../../src/scenarios/registry';
import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, uniqueTag } from '../../support/database';
import { http } from '../../support/http';

const testApp = useTestApp();

/** Small parameters for the bulk scenario; the others' defaults are small already. */
const PARAMS: Record<string, object> = { 'bulk-orders': { users: 2, ordersPerUser: 1, itemsPerOrder: 1 } };

describe('POST /scenarios/{name} answers through the serializer compiled from openapi.yaml', () => {
  test.each(SCENARIOS.map((recipe) => recipe.name))('When %s is provisioned, then the body holds every field of the reply the service stored, and the rows exist', async (name) => {
    const tag = uniqueTag('fjs');
    const key = randomUUID();

    const res = await http(testApp.app).post(`/scenarios/${name}`).set('Idempotency-Key', key).send({ tag, seed: 7, params: PARAMS[name] ?? {} }).expect(201);

    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    // The stored reply is the reply object as JSON.stringify writes it: nothing may be missing or different in the answer.
    const stored = await testPool().query<{ response: unknown }>('SELECT response FROM testapi_idempotency_keys WHERE key = $1', [key]);
    expect(JSON.parse(res.text)).toEqual(stored.rows[0]!.response);
    expect(res.body.counts).toEqual(await countRowsByTag(tag));
    expect(Object.values(res.body.counts as Record<string, number>).some((n) => n > 0)).toBe(true);
  });
});
