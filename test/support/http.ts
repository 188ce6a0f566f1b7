import type { Express } from 'express';
import request, { type Test } from 'supertest';
import { assertMatchesContract } from './contract';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * supertest, with every response checked against openapi.yaml: a test that
 * sees a response drifting from the contract fails, whatever it asserts.
 */
export function http(app: Express | string): Record<Method, (url: string) => Test> {
  const agent = request(app);
  const wrap =
    (method: Method) =>
    (url: string): Test => {
      const test = agent[method](url);
      test.expect((res) => {
        assertMatchesContract({
          method,
          url,
          requestBody: (test as unknown as { _data?: unknown })._data,
          status: res.status,
          contentType: res.headers['content-type'],
          body: res.body,
        });
      });
      return test;
    };
  return { get: wrap('get'), post: wrap('post'), put: wrap('put'), patch: wrap('patch'), delete: wrap('delete') };
}
