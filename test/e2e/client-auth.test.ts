import { createTestApi, TestApiError } from '@testapi/client';
import { runCli, type CliRun } from '../support/cli';
import { contractFetch } from '../support/contract-fetch';
import { closeTestPool, countRowsByTag, uniqueTag } from '../support/database';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const API_KEY = 'client-e2e-key-0123456789abcdef';

let server: ServerProcess;

beforeAll(async () => {
  // HOST pinned to loopback: with a key the service would otherwise bind every interface.
  server = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL!, TESTAPI_API_KEY: API_KEY, HOST: '127.0.0.1' });
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await closeTestPool();
});

function testapi(args: string[], env: Record<string, string>): Promise<CliRun> {
  return runCli(args, { TESTAPI_URL: server.url, ...env });
}

describe('@testapi/client with TESTAPI_API_KEY set on the service', () => {
  test('When the client is given the key, then it provisions and cleans up as usual', async () => {
    const api = createTestApi({ baseUrl: server.url, apiKey: API_KEY, fetch: contractFetch() });
    const tag = uniqueTag('client-auth');

    const result = await api.provision('catalog', { tag, params: { products: 2 } });
    const deleted = await api.cleanup(tag);

    expect(result.counts.products).toBe(2);
    expect(deleted.total).toBe(2);
    expect((await countRowsByTag(tag)).products).toBe(0);
  });

  test.each([
    ['no key', undefined],
    ['a wrong key', 'not-the-key-0123456789abcdef'],
  ])('When the client has %s, then every named method throws a 401 TestApiError and nothing is written', async (_label, apiKey) => {
    const api = createTestApi({ baseUrl: server.url, ...(apiKey ? { apiKey } : {}), fetch: contractFetch() });
    const tag = uniqueTag('client-noauth');

    const failure = await api.provision('catalog', { tag, params: { products: 1 } }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TestApiError);
    expect(failure).toMatchObject({ status: 401, problem: { status: 401, title: 'Unauthorized' } });
    expect((failure as Error).message).toMatch(/^Unauthorized: .+\(HTTP 401\)$/);
    await expect(api.tags()).rejects.toMatchObject({ status: 401 });
    expect((await countRowsByTag(tag)).products).toBe(0);
  });

  test('When the CLI runs with and without TESTAPI_API_KEY, then it succeeds with it and exits 1 with the 401 problem without it', async () => {
    const withKey = await testapi(['scenarios'], { TESTAPI_API_KEY: API_KEY });
    const withoutKey = await testapi(['scenarios'], {});

    expect(withKey.code).toBe(0);
    expect(withKey.stdout).toMatch(/^user \(v\d+\)/m);
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.stderr).toMatch(/^testapi: Unauthorized: .+\(HTTP 401\)\n$/);
  });
});
