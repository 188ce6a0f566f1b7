import { Verifier } from '@pact-foundation/pact';
import { anythingUnder, PACT, PROVIDER_TOKEN, statesMapping, TESTAPI_KEY, UNKNOWN_STATE_PACT, usePactEnvironment } from './pact-harness';

process.env.PACT_DO_NOT_TRACK = 'true';
const env = usePactEnvironment();
const MAPPING = `js-${process.pid}`;

function verify(pactFile: string, session: string): Promise<unknown> {
  return new Verifier({
    provider: 'orders-api',
    providerBaseUrl: env().provider.url,
    pactUrls: [pactFile],
    // The option pact-js reads (`stateChangeUrl` would be ignored without a word).
    providerStatesSetupUrl: env().proxy.stateUrl(MAPPING, session),
    // Sent to the provider and to the state URL alike: testapi reads its own header and ignores Authorization.
    customProviderHeaders: { Authorization: `Bearer ${PROVIDER_TOKEN}`, 'X-Testapi-Key': TESTAPI_KEY },
    logLevel: 'error',
  }).verifyProvider();
}

beforeAll(async () => {
  await env().api.pact.putMapping(MAPPING, statesMapping());
});

describe('The pact-js Verifier with testapi as its provider-state URL', () => {
  test('When the pact is verified, then it passes, each injected id existed under its state tag during the request, and teardown leaves nothing', async () => {
    const { proxy, provider, pool } = env();
    const requestsBefore = provider.requests.length;

    await verify(PACT, 'js-main');

    const requests = provider.requests.slice(requestsBefore);
    const withData = requests.filter((request) => request.path !== '/health' && !request.path.endsWith('dead'));
    expect(withData.map((request) => [request.status, request.tag?.startsWith(`pact.${MAPPING}.js-main.`)])).toEqual([
      [200, true],
      [200, true],
    ]);
    const posts = proxy.posts.filter((post) => post.session === 'js-main');
    // Setup and teardown for each interaction, the stateless one included (with "").
    expect(posts.map((post) => [post.state, post.action, post.status])).toEqual(
      expect.arrayContaining([
        ['a user with orders', 'setup', 200],
        ['a user with orders', 'teardown', 200],
        ['no orders exist', 'setup', 200],
        ['', 'setup', 200],
      ]),
    );
    expect(await anythingUnder(pool, `pact.${MAPPING}.js-main.`)).toBe(0);
    expect(env().testapi.logs().join('\n')).not.toContain(TESTAPI_KEY);
  });

  test('When a pact names a state the mapping lacks, then the verification fails after exactly one state POST (a 422 is never retried)', async () => {
    const { proxy, pool } = env();

    await expect(verify(UNKNOWN_STATE_PACT, 'js-unknown')).rejects.toThrow();

    expect(proxy.posts.filter((post) => post.session === 'js-unknown').map((post) => [post.state, post.action, post.status])).toEqual([['a user with debts', 'setup', 422]]);
    expect(await anythingUnder(pool, `pact.${MAPPING}.js-unknown.`)).toBe(0);
  });

  test('When the first state POST meets a transient 503, then the verifier retries it and the verification passes', async () => {
    const { proxy, pool } = env();
    proxy.failNext(1);

    await verify(PACT, 'js-retry');

    const posts = proxy.posts.filter((post) => post.session === 'js-retry');
    expect(posts.slice(0, 2).map((post) => [post.state, post.action, post.status])).toEqual([
      ['a user with orders', 'setup', 503],
      ['a user with orders', 'setup', 200],
    ]);
    expect(await anythingUnder(pool, `pact.${MAPPING}.js-retry.`)).toBe(0);
  });
});
