import { isPublicPath } from '../../../src/http/auth';

describe('isPublicPath', () => {
  test.each(['/health', '/ready', '/openapi.yaml', '/docs', '/docs/', '/docs/swagger-ui.css', '/Health', '/ready/', '/', '/page/0123abcd/main.js'])(
    'When the path is %s, then no key is needed',
    (path) => {
      expect(isPublicPath(path)).toBe(true);
    },
  );

  test.each([
    '/metrics',
    '/tags',
    '/cleanup',
    '/scenarios/user',
    '/healthz',
    '/docsx',
    '/openapi.json',
    '//health',
    '//',
    '/docs/../metrics',
    '/docs/%2e%2e/metrics',
    '/docs/./x',
    '/health/../cleanup',
    '/page/../tags',
    '/page/%2e%2e/metrics',
    '/pages',
    '/page',
  ])('When the path is %s, then a key is required', (path) => {
    expect(isPublicPath(path)).toBe(false);
  });
});
