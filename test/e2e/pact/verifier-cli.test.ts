import { execFile } from 'node:child_process';
import path from 'node:path';
import { anythingUnder, PACT, PROVIDER_TOKEN, rowsByTag, runPactVerifier, STATES_FILE, TESTAPI_KEY, usePactEnvironment } from './pact-harness';

const env = usePactEnvironment();
const MAPPING = `cli-${process.pid}`;
const packageDir = path.dirname(require.resolve('@testapi/client/package.json'));
const TESTAPI_CLI = path.join(packageDir, (require('@testapi/client/package.json') as { bin: { testapi: string } }).bin.testapi);

function testapiCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TESTAPI_CLI, ...args], { env: { PATH: process.env.PATH ?? '', TESTAPI_URL: env().testapi.url, TESTAPI_API_KEY: TESTAPI_KEY }, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `pact verifier` against the provider, its state changes through the proxy in front of testapi. */
function verifyWithCli(session: string, ...flags: string[]) {
  const provider = new URL(env().provider.url);
  return runPactVerifier([
    '--file', PACT,
    '--hostname', provider.hostname,
    '--port', provider.port,
    '--state-change-url', env().proxy.stateUrl(MAPPING, session),
    '--header', `Authorization=Bearer ${PROVIDER_TOKEN}`,
    '--header', `X-Testapi-Key=${TESTAPI_KEY}`,
    ...flags,
  ]);
}

beforeAll(async () => {
  // The mapping goes in through the testapi CLI, as a CI script would store it.
  const put = await testapiCli(['pact', 'put-mapping', MAPPING, '--file', STATES_FILE]);
  expect(put).toMatchObject({ code: 0, stdout: expect.stringContaining(`pact mapping ${MAPPING}: 2 state(s)`) });
});

describe('The standalone pact verifier with testapi as its state change URL', () => {
  test('When it runs twice without teardown, then both runs pass and each state tag holds the same rows after each run (reset on setup)', async () => {
    const { pool } = env();
    const prefix = `pact.${MAPPING}.cli-repeat.`;

    const first = await verifyWithCli('cli-repeat');
    const afterFirst = await rowsByTag(pool, prefix);
    const second = await verifyWithCli('cli-repeat');
    const afterSecond = await rowsByTag(pool, prefix);

    expect([first.code, second.code]).toEqual([0, 0]);
    expect(Object.values(afterFirst)).toEqual([{ users: 1, orders: 2 }]);
    expect(afterSecond).toEqual(afterFirst);
    // What a run without teardown leaves: one graph per state, gone with the session's prefix (or by the mapping's TTL).
    const cleanup = await testapiCli(['cleanup', '--prefix', prefix]);
    expect(cleanup.code).toBe(0);
    expect(await anythingUnder(pool, prefix)).toBe(0);
  });

  test('When the state changes come as query parameters, then the verification passes and teardown leaves nothing', async () => {
    const { proxy, pool } = env();

    const run = await verifyWithCli('cli-query', '--state-change-as-query', '--state-change-teardown');

    expect(run).toMatchObject({ code: 0 });
    const posts = proxy.posts.filter((post) => post.session === 'cli-query');
    expect(posts.map((post) => [post.state, post.action, post.status])).toEqual(
      expect.arrayContaining([
        ['a user with orders', 'setup', 200],
        ['a user with orders', 'teardown', 200],
      ]),
    );
    expect(await anythingUnder(pool, `pact.${MAPPING}.cli-query.`)).toBe(0);
  });

  test('When two sessions verify at once, then both pass and each request read only rows of its own session', async () => {
    const { provider, pool } = env();
    const before = provider.requests.length;
    // The first data request of each session waits for the other's.
    provider.gather(2);

    const runs = await Promise.all([verifyWithCli('cli-a', '--state-change-teardown'), verifyWithCli('cli-b', '--state-change-teardown')]);

    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    const read = provider.requests.slice(before).filter((request) => request.tag !== undefined);
    const sessionOf = (tag: string): string => tag.split('.')[2]!;
    const bySession = { a: read.filter((request) => sessionOf(request.tag!) === 'cli-a'), b: read.filter((request) => sessionOf(request.tag!) === 'cli-b') };
    expect([bySession.a.length, bySession.b.length, read.length]).toEqual([2, 2, 4]);
    // They really ran at the same time: each session read data while the other was between its first and last read.
    const span = (requests: typeof read) => [Math.min(...requests.map((r) => r.at)), Math.max(...requests.map((r) => r.at))] as const;
    const [a, b] = [span(bySession.a), span(bySession.b)];
    expect(a[0] < b[1] && b[0] < a[1]).toBe(true);
    expect(await anythingUnder(pool, `pact.${MAPPING}.cli-`)).toBe(0);
  });
});
