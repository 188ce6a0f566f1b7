import { useTestApp } from '../support/app';
import { contractViolations, openApiDocument } from '../support/contract';
import { http } from '../support/http';

/**
 * GET /docs and GET /docs/ are in openapi.yaml like every other route: these
 * answers go through http(), which checks each against the contract. With a
 * key set, they must still answer without one (`security: []`).
 */
const KEY = 'docs-suite-key-0123456789abcdef';
const testApp = useTestApp({ TESTAPI_API_KEY: KEY });

type Json = Record<string, any>;
const docs = (openApiDocument() as Json).paths['/docs'].get as Json;

describe('GET /docs', () => {
  test('When asked for without the trailing slash and without a key, then a 301 to the relative docs/ that the contract declares', async () => {
    const res = await http(testApp.app).get('/docs').expect(301);

    expect(res.headers.location).toBe('docs/');
    // The checker reads bodies, not headers: the Location is compared with its declared schema here.
    expect(docs.responses['301'].headers.Location.schema).toEqual({ type: 'string', const: res.headers.location });
    expect(docs.security).toEqual([]);
  });

  test('When asked for as /docs/ without a key, then the Swagger UI page as text/html', async () => {
    const res = await http(testApp.app).get('/docs/').expect(200);

    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<title>testapi docs</title>');
    expect(res.text).toContain('swagger-ui-bundle.js');
  });

  test('When a /docs answer drifted from the contract, then the check names it (the check is not vacuous)', () => {
    const asJson = contractViolations({ method: 'GET', url: '/docs/', status: 200, contentType: 'application/json', body: {} });
    const found = contractViolations({ method: 'GET', url: '/docs', status: 302, contentType: 'text/plain', body: 'Found. Redirecting to docs/' });

    expect(asJson).toEqual([expect.stringContaining('content type application/json is not documented')]);
    // Only the 301 is a redirect: any other status falls to `default`, a problem+json document.
    expect(found).toEqual([expect.stringContaining('content type text/plain is not documented')]);
  });
});
