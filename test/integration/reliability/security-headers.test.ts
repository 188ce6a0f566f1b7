import request from 'supertest';
import { buildTestApp, type TestApp } from '../../support/app';
import { closeTestPool, countRowsByTag, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await buildTestApp({ BODY_LIMIT_BYTES: '2048' });
});
afterAll(async () => {
  await testApp?.close();
  await closeTestPool();
});

function directives(csp: string | undefined): Map<string, string> {
  return new Map((csp ?? '').split(';').map((part) => {
    const [name = '', ...values] = part.trim().split(/\s+/);
    return [name, values.join(' ')] as [string, string];
  }));
}

describe('Security headers (helmet)', () => {
  test('When any endpoint answers, then helmet headers are set and nothing advertises Express', async () => {
    const res = await http(testApp.app).get('/health').expect(200);

    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('object-src')).toBe("'none'");
  });

  test('When a problem is returned, then it carries the same headers', async () => {
    const res = await http(testApp.app).get('/no-such-route').expect(404);

    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  test('When the service runs over plain HTTP, then neither HSTS nor upgrade-insecure-requests would lock browsers out of /docs', async () => {
    const res = await http(testApp.app).get('/health').expect(200);

    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});

describe('GET /docs under the content security policy', () => {
  test('When a browser opens /docs, then it is sent to the HTML page, whose every script and stylesheet loads from self with no inline script', async () => {
    // Both answers are checked against the contract (GET /docs); the page's assets below are not in it.
    const redirect = await http(testApp.app).get('/docs').expect(301);
    // Relative, so a proxy that serves testapi under a path prefix keeps it.
    expect(redirect.headers.location).toBe('docs/');
    const page = await http(testApp.app).get('/docs/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('swagger-ui');

    // script-src 'self' forbids inline scripts: the page must have none.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      expect(attributes).toMatch(/src=/);
      expect(body.trim()).toBe('');
    }
    const assets = [...page.text.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((match) => match[1]);
    expect(assets).toEqual(expect.arrayContaining(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'swagger-ui-init.js']));
    for (const asset of assets) {
      const res = await request(testApp.app).get(`/docs/${asset}`).expect(200);
      const expected = asset.endsWith('.js') ? /javascript/ : asset.endsWith('.css') ? /text\/css/ : /image\/png/;
      expect([asset, res.headers['content-type']]).toEqual([asset, expect.stringMatching(expected)]);
    }
    const init = await request(testApp.app).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('"title": "testapi"');
  });
});

describe('Request body limits', () => {
  test('When the JSON body exceeds BODY_LIMIT_BYTES, then a 413 problem and nothing is written under its tag', async () => {
    const tag = uniqueTag('limit');
    const body = { tag, params: { orders: 1 }, overrides: { user: { firstName: 'x'.repeat(4096) } } };

    const res = await http(testApp.app).post('/scenarios/user-with-orders').send(body).expect(413);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:testapi:problem:payload-too-large', status: 413, title: 'Payload too large' });
    expect(res.body.detail).toContain('2048');
    expect(totalOf(await countRowsByTag(tag))).toBe(0);
  });

  test('When the body is under the limit, then it is parsed and reaches the route', async () => {
    const res = await http(testApp.app).post('/scenarios/no-such-scenario').send({ padding: 'x'.repeat(1900) }).expect(404);

    expect(res.body.detail).toMatch(/no-such-scenario/);
  });
});
