import request from 'supertest';
import { useTestApp } from '../../support/app';
import { assertMatchesContract } from '../../support/contract';
import { testPool } from '../../support/database';
import { uniqueMappingName } from '../pact/pact-helpers';

const testApp = useTestApp();

/** `[[[...0...]]]`, `depth` arrays deep, as raw text: JSON.stringify itself would overflow on the way. */
const deepArray = (depth: number): string => `${'['.repeat(depth)}0${']'.repeat(depth)}`;

async function putRaw(url: string, body: string): Promise<request.Response> {
  const res = await request(testApp.app).put(url).set('Content-Type', 'application/json').send(body);
  assertMatchesContract({ method: 'put', url, status: res.status, contentType: res.headers['content-type'], body: res.body });
  return res;
}

describe('JSON bodies nested beyond any real value', () => {
  test('When a Pact mapping holds a 100,000-deep array in a graph state\'s set, then the answer is a 400 naming the body and its depth limit, and no mapping is stored', async () => {
    const name = uniqueMappingName('deep');
    const body = `{"ttlSeconds":600,"states":{"deep":{"graph":{"users":[{"set":{"last_name":${deepArray(100_000)}}}]}}}}`;

    const res = await putRaw(`/pact/mappings/${name}`, body);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ path: 'body', message: expect.stringContaining('deeper than 512 levels') }]);
    const stored = await testPool().query('SELECT 1 FROM testapi_pact_mappings WHERE name = $1', [name]);
    expect(stored.rowCount).toBe(0);
  });
});
