import type { Express } from 'express';
import request, { type Test } from 'supertest';
import { assertMatchesContract, contractOf, type Contract } from './contract';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * supertest, with every response checked against openapi.yaml (or the
 * `contract` given, e.g. a deployment's live document): a test that sees a
 * response drifting from the contract fails, whatever it asserts.
 */
export function http(app: Express | string, contract?: Contract): Record<Method, (url: string) => Test> {
  const check = contract?.assertMatchesContract ?? assertMatchesContract;
  const agent = request(app);
  const wrap =
    (method: Method) =>
    (url: string): Test => {
      const test = agent[method](url);
      test.expect((res) => {
        check({
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

/** The app's live document (GET /openapi.json, itself checked against openapi.yaml) as a contract to check other answers by. */
export async function liveContract(app: Express | string): Promise<Contract> {
  const res = await http(app).get('/openapi.json').expect(200);
  return contractOf(res.body as Record<string, unknown>, 'the live document (GET /openapi.json)');
}
