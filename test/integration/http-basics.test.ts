import { useTestApp } from '../support/app';
import { http } from '../support/http';

const testApp = useTestApp();

describe('HTTP basics', () => {
  test('When GET /health, then 200 without touching the database', async () => {
    const res = await http(testApp.app).get('/health').expect(200);

    expect(res.body).toEqual({ status: 'ok' });
  });

  test('When GET /ready on a migrated database, then 200', async () => {
    const res = await http(testApp.app).get('/ready').expect(200);

    expect(res.body).toEqual({ status: 'ready' });
  });

  test('When POST /nope, then a 404 problem+json naming the route', async () => {
    const res = await http(testApp.app).post('/nope').expect(404);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not found', instance: '/nope' });
    expect(res.body.detail).toContain('POST /nope');
  });

  test('When the JSON body is malformed, then a 400 problem+json, never a 500', async () => {
    const res = await http(testApp.app).post('/cleanup').set('Content-Type', 'application/json').send('{"all": tru').expect(400);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: 'Malformed JSON' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js|SyntaxError/);
  });

  test('When the caller sends X-Request-Id, then the response and the problem repeat it', async () => {
    const res = await http(testApp.app).get('/missing-route').set('X-Request-Id', 'suite-42.req-7').expect(404);

    expect(res.headers['x-request-id']).toBe('suite-42.req-7');
    expect(res.body.requestId).toBe('suite-42.req-7');
  });

  test('When the caller sends no (or an unsafe) X-Request-Id, then one is generated', async () => {
    const res = await http(testApp.app).get('/health').set('X-Request-Id', 'bad id {with} spaces').expect(200);

    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('When GET /openapi.yaml, then the contract is served', async () => {
    const res = await http(testApp.app).get('/openapi.yaml').expect(200);

    expect(res.headers['content-type']).toMatch(/yaml/);
    expect(res.text).toMatch(/^openapi: 3\.1\.0/);
  });
});
