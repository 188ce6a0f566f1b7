import 'reflect-metadata';
import { AppError } from '../../../src/errors';
import { parseCleanupRequest } from '../../../src/tags/cleanup-request';

function problemOf(body: unknown): AppError {
  try {
    parseCleanupRequest(body);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be rejected`);
}

describe('parseCleanupRequest', () => {
  test.each([
    [{ expired: true }, { expired: true }],
    [{ olderThanSeconds: 1 }, { olderThanSeconds: 1 }],
    [{ prefix: 'ci-' }, { prefix: 'ci-' }],
    [{ expired: true, olderThanSeconds: 7200, prefix: 'ci-' }, { expired: true, olderThanSeconds: 7200, prefix: 'ci-' }],
    [{ all: true }, { all: true }],
  ])('When the body is %j, then the selection is %j', (body, selection) => {
    expect(parseCleanupRequest(body)).toEqual(selection);
  });

  test.each([
    ['{}', {}, 'body'],
    ['expired false', { expired: false }, 'expired'],
    ['expired "true"', { expired: 'true' }, 'expired'],
    ['all 1', { all: 1 }, 'all'],
    ['all with expired', { all: true, expired: true }, 'all'],
    ['empty prefix', { prefix: '' }, 'prefix'],
    ['prefix too long', { prefix: 'p'.repeat(65) }, 'prefix'],
    ['prefix a number', { prefix: 5 }, 'prefix'],
    ['olderThanSeconds fractional', { olderThanSeconds: 1.5 }, 'olderThanSeconds'],
    ['olderThanSeconds 0 (everything, without saying all)', { olderThanSeconds: 0 }, 'olderThanSeconds'],
    ['olderThanSeconds too large', { olderThanSeconds: 315_360_001 }, 'olderThanSeconds'],
    ['unknown filter', { tag: 'x' }, 'tag'],
    ['prefix with NUL', { prefix: 'ci-\u0000' }, 'prefix'],
    ['__proto__ smuggling all', JSON.parse('{"__proto__": {"all": true}}'), '__proto__'],
    ['null', null, 'body'],
    ['a string', 'all', 'body'],
  ])('When the body is %s, then a 400 naming %s', (_case, body, path) => {
    const problem = problemOf(body);

    expect(problem.status).toBe(400);
    expect(problem.errors?.map((error) => error.path)).toContain(path);
    for (const error of problem.errors ?? []) expect(error.message.length).toBeGreaterThan(5);
  });

  test('When an unknown filter sits beside a valid one, then it is still refused', () => {
    const problem = problemOf({ expired: true, olderThan: 60 });

    expect(problem.errors).toEqual([{ path: 'olderThan', message: expect.stringContaining('property olderThan should not exist') }]);
  });
});
