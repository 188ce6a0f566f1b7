import { DOMAIN_TABLES_DELETE_ORDER, emptyCounts, type TableCounts } from '../../../src/db/tables';
import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { insertGraph, insertIdempotencyKey, insertOrder, registerTag } from '../../support/sql-fixtures';

const testApp = useTestApp();

async function isRegistered(tag: string): Promise<boolean> {
  const result = await testPool().query('SELECT 1 FROM test_tags WHERE tag = $1', [tag]);
  return result.rowCount === 1;
}

describe('DELETE /tags/{tag}', () => {
  test('When a registered tag owns rows, then exactly its rows, registration and idempotency records go', async () => {
    const tag = uniqueTag('del');
    await registerTag(tag);
    const graph = await insertGraph(tag, { orders: 2 });
    await insertIdempotencyKey(tag);

    const res = await http(testApp.app).delete(`/tags/${tag}`).expect(200);

    expect(res.body).toEqual({ tag, deleted: graph.counts, total: totalOf(graph.counts) });
    expect(await countRowsByTag(tag)).toEqual(emptyCounts());
    expect(await isRegistered(tag)).toBe(false);
    const keys = await testPool().query('SELECT 1 FROM testapi_idempotency_keys WHERE tag = $1', [tag]);
    expect(keys.rowCount).toBe(0);
  });

  test('When A holds three scenarios, B two and C rows inserted by SQL only, then deleting A removes exactly its rows, B and C stay, and a second delete returns 0', async () => {
    const [a, b, c] = [uniqueTag('a'), uniqueTag('b'), uniqueTag('c')];
    const provision = async (tag: string, scenario: string, params: object): Promise<TableCounts> =>
      (await http(testApp.app).post(`/scenarios/${scenario}`).send({ tag, params }).expect(201)).body.counts;
    const aCounts = [
      await provision(a, 'user-with-orders', { orders: 3, itemsPerOrder: 2 }),
      await provision(a, 'organization', { members: 3 }),
      await provision(a, 'catalog', { products: 4 }),
    ];
    await provision(b, 'user-with-orders', { orders: 2 });
    await provision(b, 'user', {});
    await insertGraph(c, { orders: 2 });
    const aExpected = emptyCounts();
    for (const counts of aCounts) for (const table of DOMAIN_TABLES_DELETE_ORDER) aExpected[table] += counts[table];
    expect(await countRowsByTag(a)).toEqual(aExpected);
    const [bBefore, cBefore] = [await countRowsByTag(b), await countRowsByTag(c)];

    const first = await http(testApp.app).delete(`/tags/${a}`).expect(200);
    const second = await http(testApp.app).delete(`/tags/${a}`).expect(200);

    expect(first.body).toEqual({ tag: a, deleted: aExpected, total: totalOf(aExpected) });
    expect(await countRowsByTag(a)).toEqual(emptyCounts());
    expect(await isRegistered(a)).toBe(false);
    expect(await countRowsByTag(b)).toEqual(bBefore);
    expect(totalOf(bBefore)).toBeGreaterThan(0);
    expect(await isRegistered(b)).toBe(true);
    expect(await countRowsByTag(c)).toEqual(cBefore);
    expect(second.body).toEqual({ tag: a, deleted: emptyCounts(), total: 0 });
  });

  test('When the tag was never registered or used, then 200 with total 0 and no registration is left behind', async () => {
    const tag = uniqueTag('never');

    const res = await http(testApp.app).delete(`/tags/${tag}`).expect(200);

    expect(res.body).toEqual({ tag, deleted: emptyCounts(), total: 0 });
    expect(await isRegistered(tag)).toBe(false);
  });

  test('When rows carry an unregistered tag (inserted by another tool), then an explicit DELETE removes them', async () => {
    const tag = uniqueTag('foreign');
    const graph = await insertGraph(tag);

    const res = await http(testApp.app).delete(`/tags/${tag}`).expect(200);

    expect(res.body.total).toBe(totalOf(graph.counts));
    expect(await countRowsByTag(tag)).toEqual(emptyCounts());
  });

  test('When rows of another tag reference the tag, then 409 naming the table and the referencing tag, and nothing is deleted', async () => {
    const [owner, borrower] = [uniqueTag('owner'), uniqueTag('borrower')];
    await registerTag(owner);
    await registerTag(borrower);
    const graph = await insertGraph(owner);
    await insertOrder(borrower, graph.ids.userId, graph.ids.productId);
    const before = await countRowsByTag(owner);

    const res = await http(testApp.app).delete(`/tags/${owner}`).expect(409);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, tag: owner, referencingTag: borrower });
    expect(['orders', 'order_items']).toContain(res.body.table);
    expect(res.body.detail).toContain(borrower);
    expect(res.body.detail).toContain(res.body.table);
    expect(await countRowsByTag(owner)).toEqual(before);
    expect(await isRegistered(owner)).toBe(true);
  });

  test('When the referencing tag is deleted first, then the referenced tag deletes cleanly', async () => {
    const [owner, borrower] = [uniqueTag('owner'), uniqueTag('borrower')];
    const graph = await insertGraph(owner);
    await insertOrder(borrower, graph.ids.userId, graph.ids.productId);

    await http(testApp.app).delete(`/tags/${borrower}`).expect(200);
    const res = await http(testApp.app).delete(`/tags/${owner}`).expect(200);

    expect(res.body.total).toBe(totalOf(graph.counts));
  });

  test('When the same tag is deleted by eight requests at once, then none fails and the totals add up to its rows exactly once', async () => {
    const tag = uniqueTag('race');
    await registerTag(tag);
    const graph = await insertGraph(tag, { orders: 4 });

    const responses = await Promise.all(Array.from({ length: 8 }, () => http(testApp.app).delete(`/tags/${tag}`)));

    expect(responses.map((res) => res.status)).toEqual(Array(8).fill(200));
    expect(responses.reduce((sum, res) => sum + res.body.total, 0)).toBe(totalOf(graph.counts));
    expect(await countRowsByTag(tag)).toEqual(emptyCounts());
    expect(await isRegistered(tag)).toBe(false);
  });

  test('When a tag is deleted, then the rows-deleted metric counts its rows per table', async () => {
    const tag = uniqueTag('metric');
    await insertGraph(tag);
    const before = await testApp.metrics.registry.getSingleMetricAsString('testapi_rows_deleted_total');

    await http(testApp.app).delete(`/tags/${tag}`).expect(200);

    const after = await testApp.metrics.registry.getSingleMetricAsString('testapi_rows_deleted_total');
    const usersCount = (text: string): number => Number(/testapi_rows_deleted_total\{table="users"\} (\d+)/.exec(text)?.[1] ?? 0);
    expect(usersCount(after) - usersCount(before)).toBe(1);
  });

  test.each([
    ['has a space', 'bad%20tag'],
    ['starts with a dash', '-leading'],
    ['holds a percent sign', 'fifty%25off'],
    ['holds an encoded slash', 'a%2Fb'],
    ['is longer than 64 characters', 'x'.repeat(65)],
  ])('When the tag %s, then a 400 problem naming tag', async (_case, tag) => {
    const res = await http(testApp.app).delete(`/tags/${tag}`).expect(400);

    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'tag' })]);
  });
});
