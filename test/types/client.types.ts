// Compile-time tests of @testapi/client: correct use compiles, and each misuse
// below fails to compile on exactly the line after its @ts-expect-error (an
// unused directive is itself an error, so these tests can fail).
import { createTestApi, TestApiError, type ScenarioName, type ScenarioParams, type ScenarioResult } from '@testapi/client';
import { useTestApi } from '@testapi/client/jest';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

const api = createTestApi({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'a-key-of-sixteen-chars', fetch });

// The scenario names are the literal /scenarios/<name> paths of openapi.yaml, without the /scenarios/{name}
// catch-all: the ones used below are among them, and the name type is a closed set of literals, not any string.
// (No full list here: a scenario added to openapi.yaml needs no edit of this file.)
type Includes<Union, Member> = [Member] extends [Union] ? true : false;
assertType<Includes<ScenarioName, 'user' | 'user-with-orders' | 'organization' | 'catalog' | 'bulk-orders'>>();
assertType<Equal<Includes<ScenarioName, '{name}'>, false>>();
assertType<Equal<Includes<ScenarioName, string>, false>>();
assertType<Equal<ScenarioParams<'catalog'>, { products?: number }>>();

export async function correctUse(): Promise<void> {
  const withOrders = await api.provision('user-with-orders', { tag: 'checkout-7', seed: 42, ttlSeconds: 600, params: { orders: 5, status: 'shipped' } });
  assertType<Equal<typeof withOrders.scenario, 'user-with-orders'>>();
  const firstItem: string | undefined = withOrders.data.orders[0]?.items[0]?.productId;
  const orderCount: number = withOrders.counts.orders;

  const user = await api.provision('user', { params: { role: 'admin', addresses: 2 }, overrides: { user: { email: 'ana@example.com' } } }, { idempotencyKey: 'k-1' });
  const email: string = user.data.user.email;
  const organization: ScenarioResult<'organization'> = await api.provision('organization');
  const members: number = organization.data.members.length;
  await api.provision('bulk-orders', { params: { users: 10, ordersPerUser: 2 } });

  const detail = await api.tag('checkout-7', { includeIds: true });
  const orderIds: string[] | undefined = detail.ids?.orders;
  const page = await api.tags({ prefix: 'checkout-', limit: 10 });
  const next: string | null = page.nextCursor;
  const deleted: number = (await api.cleanup('checkout-7')).deleted.orders;
  await api.cleanupWhere({ prefix: 'ci-', olderThanSeconds: 7200 });
  await api.cleanupWhere({ expired: true });
  await api.cleanupWhere({ all: true });
  const names: string[] = (await api.scenarios()).scenarios.map((scenario) => scenario.name);

  const { data, error } = await api.raw.POST('/scenarios/catalog', { body: { params: { products: 3 } } });
  const skus: string[] | undefined = data?.data.products.map((product) => product.sku);
  const problemTitle: string | undefined = error?.title;

  try {
    await api.provision('catalog', { params: { products: 1 } });
  } catch (caught) {
    if (caught instanceof TestApiError) {
      const status: number = caught.status;
      const fields: string[] = caught.fieldErrors.map((field) => field.path);
      void [status, fields, caught.problem?.detail];
    }
  }
  void [firstItem, orderCount, email, members, orderIds, next, deleted, names, skus, problemTitle];
}

export async function misuse(): Promise<void> {
  // @ts-expect-error unknown scenario name
  await api.provision('user-with-order');
  // @ts-expect-error the /scenarios/{name} catch-all is not a scenario
  await api.provision('{name}');
  // @ts-expect-error wrong param type: orders is a number
  await api.provision('user-with-orders', { params: { orders: '5' } });
  // @ts-expect-error unknown param name
  await api.provision('user-with-orders', { params: { order: 5 } });
  // @ts-expect-error a param of another scenario
  await api.provision('user', { params: { orders: 5 } });
  // @ts-expect-error a value outside the param's enum
  await api.provision('user', { params: { role: 'root' } });
  // @ts-expect-error unknown top-level field
  await api.provision('catalog', { tags: 'x' });
  // @ts-expect-error the result is typed per scenario: a user has no orders
  void (await api.provision('user')).data.orders;
  // @ts-expect-error cleanupWhere takes only the documented filters
  await api.cleanupWhere({ olderThan: 60 });
  // @ts-expect-error createTestApi needs a baseUrl
  createTestApi({ apiKey: 'k' });
}

const testData = useTestApi({ prefix: 'types' });
export async function jestHelper(): Promise<void> {
  const tag: string = testData.tag;
  const result = await testData.provision('user-with-orders', { seed: 1, params: { orders: 2 } });
  const orders: number = result.data.orders.length;
  // @ts-expect-error the helper owns the tag
  await testData.provision('user', { tag: 'another-tag' });
  // @ts-expect-error params are typed through the helper too
  await testData.provision('catalog', { params: { products: 'many' } });
  void [tag, orders];
}
