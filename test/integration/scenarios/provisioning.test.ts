import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { describeScenarios } from '../../../src/provisioning/scenario-schemas';
import { SCENARIOS } from '../../../src/scenarios/registry';
import { expectCountsInDatabase, tagExpiry } from './scenario-helpers';

const testApp = useTestApp({ DB_POOL_SIZE: '8' });

/** Drops what differs between two runs by design: ids, tags, timestamps of the run, and unique values. */
function businessFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(businessFields);
  if (typeof value !== 'object' || value === null) return value;
  const ignored = new Set(['id', 'testTag', 'createdAt', 'userId', 'orderId', 'productId', 'organizationId', 'email', 'sku', 'number', 'trackingNumber']);
  return Object.fromEntries(Object.entries(value).filter(([key]) => !ignored.has(key)).map(([key, field]) => [key, businessFields(field)]));
}

describe('POST /scenarios/{name}: tags, seeds and concurrency', () => {
  test.each(SCENARIOS.filter((recipe) => recipe.name !== 'bulk-orders').map((recipe) => [recipe.name]))(
    'When %s is provisioned twice with one seed under two tags, then the business fields are identical',
    async (scenario) => {
      const params = scenario === 'user-with-orders' ? { orders: 4, status: 'delivered' } : {};

      const a = await http(testApp.app).post(`/scenarios/${scenario}`).send({ tag: uniqueTag('det'), seed: 1234, params }).expect(201);
      const b = await http(testApp.app).post(`/scenarios/${scenario}`).send({ tag: uniqueTag('det'), seed: 1234, params }).expect(201);

      expect(businessFields(b.body.data)).toEqual(businessFields(a.body.data));
      expect(b.body.counts).toEqual(a.body.counts);
      const c = await http(testApp.app).post(`/scenarios/${scenario}`).send({ tag: uniqueTag('det'), seed: 4321, params }).expect(201);
      expect(businessFields(c.body.data)).not.toEqual(businessFields(a.body.data));
    },
  );

  test('When bulk-orders runs twice with one seed, then the counts per table are identical', async () => {
    const body = { seed: 99, params: { users: 30, ordersPerUser: 3, itemsPerOrder: 2, products: 7 } };

    const a = await http(testApp.app).post('/scenarios/bulk-orders').send({ ...body, tag: uniqueTag('det') }).expect(201);
    const b = await http(testApp.app).post('/scenarios/bulk-orders').send({ ...body, tag: uniqueTag('det') }).expect(201);

    expect(b.body.counts).toEqual(a.body.counts);
    const statuses = await testPool().query(
      `SELECT test_tag, string_agg(status, ',' ORDER BY number) AS statuses FROM orders WHERE test_tag = ANY($1) GROUP BY test_tag`,
      [[a.body.tag, b.body.tag]],
    );
    expect(statuses.rows[0].statuses).toBe(statuses.rows[1].statuses);
  });

  test('When a tag is provisioned again with a shorter ttl, then its expiry is kept; with a longer one, extended', async () => {
    const tag = uniqueTag('ttl');
    const first = await http(testApp.app).post('/scenarios/user').send({ tag, ttlSeconds: 3600 }).expect(201);
    const initial = await tagExpiry(tag);

    const shorter = await http(testApp.app).post('/scenarios/user').send({ tag, ttlSeconds: 60 }).expect(201);
    expect(await tagExpiry(tag)).toEqual(initial);
    expect(shorter.body.expiresAt).toBe(first.body.expiresAt);

    const longer = await http(testApp.app).post('/scenarios/user').send({ tag, ttlSeconds: 7200 }).expect(201);
    const extended = await tagExpiry(tag);
    expect(extended!.getTime()).toBeGreaterThan(initial!.getTime() + 3_000_000);
    expect(new Date(longer.body.expiresAt).getTime()).toBe(Math.floor(extended!.getTime()));
  });

  test('When no ttlSeconds is given, then the tag lives DEFAULT_TAG_TTL_SECONDS', async () => {
    const tag = uniqueTag('ttl');

    const res = await http(testApp.app).post('/scenarios/user').send({ tag }).expect(201);

    const lifetime = new Date(res.body.expiresAt).getTime() - new Date(res.body.data.user.createdAt).getTime();
    expect(Math.round(lifetime / 1000)).toBe(testApp.config.defaultTagTtlSeconds);
  });

  test('When 50 requests run at once under 50 tags, then all succeed with exact counts', async () => {
    const tags = Array.from({ length: 50 }, () => uniqueTag('par'));

    const responses = await Promise.all(
      tags.map((tag, index) =>
        http(testApp.app)
          .post(index % 2 ? '/scenarios/user-with-orders' : '/scenarios/organization')
          .send({ tag, seed: index }),
      ),
    );

    expect(responses.map((res) => res.status)).toEqual(tags.map(() => 201));
    for (const [index, tag] of tags.entries()) expect(await countRowsByTag(tag)).toEqual(responses[index]!.body.counts);
  });

  test('When provisioned, then the rows-provisioned metric counts them per scenario and table', async () => {
    const tag = uniqueTag('metric');

    await http(testApp.app).post('/scenarios/catalog').send({ tag, params: { products: 3 } }).expect(201);

    const metric = await testApp.metrics.registry.getSingleMetric('testapi_rows_provisioned_total')!.get();
    const products = metric.values.find((value) => value.labels.scenario === 'catalog' && value.labels.table === 'products');
    expect(products?.value).toBeGreaterThanOrEqual(3);
  });
});

describe('GET /scenarios', () => {
  test('When listed, then every scenario comes with its description, version and the schemas that validate it', async () => {
    const res = await http(testApp.app).get('/scenarios').expect(200);

    expect(res.body.scenarios.map((scenario: { name: string }) => scenario.name)).toEqual(SCENARIOS.map((recipe) => recipe.name));
    expect(res.body.scenarios).toEqual(JSON.parse(JSON.stringify(describeScenarios(SCENARIOS))));
    const userWithOrders = res.body.scenarios.find((scenario: { name: string }) => scenario.name === 'user-with-orders');
    expect(userWithOrders.paramsSchema.properties.orders).toEqual({ type: 'integer', minimum: 1, maximum: 100, default: 3 });
    expect(userWithOrders.overridesSchema.properties.user.properties.email).toEqual({ type: 'string', format: 'email' });
    expect(userWithOrders.overridesSchema.additionalProperties).toBe(false);
  });
});

describe('POST /scenarios/{name}: rows in PostgreSQL', () => {
  test('When any scenario is provisioned, then every row it created carries the tag', async () => {
    const tag = uniqueTag('tagged');

    const res = await http(testApp.app).post('/scenarios/organization').send({ tag, params: { members: 3 } }).expect(201);

    const ids = [res.body.data.owner.user.id, ...res.body.data.members.map((member: { user: { id: string } }) => member.user.id)];
    const tagged = await testPool().query('SELECT DISTINCT test_tag FROM users WHERE id = ANY($1)', [ids]);
    expect(tagged.rows).toEqual([{ test_tag: tag }]);
    await expectCountsInDatabase(tag, res.body.counts);
  });
});
