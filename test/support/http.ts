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
  const check = (contract ?? (typeof app === 'string' ? undefined : registered.get(app)))?.assertMatchesContract ?? assertMatchesContract;
  const agent = request(app);
  const wrap =
    (method: Method) =>
    (url: string): Test => {
      const test = agent[method](url);
      test.expect((res) => {
        // A reloaded model makes a registered live document stale: openapi.yaml checks this app from now on.
        if (method === 'post' && /^\/schema\/reload\/?$/.test(url) && res.status === 200 && typeof app !== 'string') registered.delete(app);
        check({
          method,
          url,
          requestBody: sentBody(test),
          status: res.status,
          contentType: res.headers['content-type'],
          body: res.body,
        });
      });
      return withBodyOnStatusMismatch(test);
    };
  return { get: wrap('get'), post: wrap('post'), put: wrap('put'), patch: wrap('patch'), delete: wrap('delete') };
}

/**
 * `.expect(status)` that names what came back instead: a failure reads
 * "expected 200, got 503 service-unavailable: <detail>", not only the two
 * statuses, so a flaky run's log says which problem it was.
 */
function withBodyOnStatusMismatch(test: Test): Test {
  const expect = test.expect.bind(test) as (...args: unknown[]) => Test;
  test.expect = ((...args: unknown[]) => {
    const [status] = args;
    if (args.length !== 1 || typeof status !== 'number') return expect(...args);
    return expect((res: { status: number; body: unknown; text?: string }) => {
      if (res.status === status) return;
      const body = res.body as { type?: unknown; detail?: unknown } | undefined;
      const said = typeof body?.type === 'string' ? `${body.type}: ${String(body.detail ?? '')}` : (res.text ?? '').slice(0, 500);
      throw new Error(`expected ${status}, got ${res.status} ${said}`);
    });
  }) as Test['expect'];
  return test;
}

const registered = new WeakMap<Express, Contract>();

/**
 * From now on, `http(app)` checks this app's answers against `contract` (its live document: a target
 * schema's apps register theirs once built, see useTargetApp). An explicit `http(app, contract)` wins.
 * A POST /schema/reload through `http(app)` ends it (the document describes the old model); register
 * `await liveContract(app)` again to check against the new one.
 */
export function useContractFor(app: Express, contract: Contract): void {
  registered.set(app, contract);
}

/** The app's live document (GET /openapi.json, itself checked against openapi.yaml) as a contract to check other answers by. */
export async function liveContract(app: Express | string, apiKey?: string): Promise<Contract> {
  const pending = http(app).get('/openapi.json');
  const res = await (apiKey ? pending.set('Authorization', `Bearer ${apiKey}`) : pending).expect(200);
  const contract = contractOf(res.body as Record<string, unknown>, 'the live document (GET /openapi.json)');
  // Compile the checks of POST /graphs (request and 201 answer) now, in beforeAll: compiled lazily at the first
  // answer, they took about a second of this process's event loop (the app's too, under supertest) while the rest
  // of a parallel burst was connecting, and pg's connect timers ran out under load (round 18 and 19's 'timeout expired').
  if (contract.findOperation('POST', '/graphs')) {
    contract.contractViolations({ method: 'POST', url: '/graphs', status: 201, contentType: 'application/json', body: {}, requestBody: {} });
  }
  return contract;
}

/** What the request carried: a body sent as JSON text (`.send(JSON.stringify(x))`) is checked as the value it encodes. */
function sentBody(test: Test): unknown {
  const data = (test as unknown as { _data?: unknown })._data;
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}
