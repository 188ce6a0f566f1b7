import { openApiDocument } from '../../support/contract';
import { useTestApp } from '../../support/app';
import { http } from '../../support/http';

const testApp = useTestApp();

describe('GET /openapi.json in the shop mode', () => {
  test('When there is no target schema, then the live document is the fixed contract, served relative to itself', async () => {
    const res = await http(testApp.app).get('/openapi.json').expect(200);

    const fixed = openApiDocument();
    expect(res.body).toEqual({ ...fixed, servers: [{ url: '.', description: expect.any(String) }] });
    const yaml = await http(testApp.app).get('/openapi.live.yaml').expect(200);
    expect(yaml.headers['content-type']).toMatch(/application\/yaml/);
    expect(yaml.text).toContain('/scenarios/user-with-orders:');
  });
});
