import type { Pool } from 'pg';
import { emptyCounts } from '../../../src/db/tables';
import { buildTestApp, type TestApp } from '../../support/app';
import { assertionPool, countRowsByTag, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { startOwnCluster } from '../../support/own-cluster';
import { insertGraph, insertOrder, registerTag } from '../../support/sql-fixtures';

/**
 * Cleanups that select across the whole database (expired, all,
 * olderThanSeconds alone), and bodies that a broken validation could turn
 * into "delete everything": on a private cluster, never the shared one.
 */
let cluster: Awaited<ReturnType<typeof startOwnCluster>>;
let testApp: TestApp;
let db: Pool;

beforeAll(async () => {
  cluster = await startOwnCluster();
  testApp = await buildTestApp({}, cluster.url);
  db = assertionPool(cluster.url, 3);
}, 60_000);
afterAll(async () => {
  await db?.end();
  await testApp?.close();
  await cluster?.destroy();
});

async function registeredTags(): Promise<string[]> {
  const result = await db.query<{ tag: string }>('SELECT tag FROM test_tags ORDER BY tag');
  return result.rows.map((row) => row.tag);
}

async function rowsInDatabase(): Promise<number> {
  const result = await db.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM users) + (SELECT count(*) FROM memberships)
          + (SELECT count(*) FROM addresses) + (SELECT count(*) FROM products) + (SELECT count(*) FROM orders)
          + (SELECT count(*) FROM order_items) + (SELECT count(*) FROM payments) + (SELECT count(*) FROM shipments) AS n`,
  );
  return Number(result.rows[0]!.n);
}

describe('POST /cleanup (whole database)', () => {
  test('When {expired: true}, then every expired registered tag goes with its rows; live and unregistered tags stay', async () => {
    const [expiredA, expiredB, live, loose] = [uniqueTag('exp'), uniqueTag('exp'), uniqueTag('live'), uniqueTag('loose')];
    await registerTag(expiredA, { expiresInSeconds: -3600 }, db);
    await registerTag(expiredB, { expiresInSeconds: -1 }, db);
    await registerTag(live, {}, db);
    const graphs = [await insertGraph(expiredA, { orders: 2 }, db), await insertGraph(expiredB, {}, db)];
    const liveGraph = await insertGraph(live, {}, db);
    const looseGraph = await insertGraph(loose, {}, db);

    const res = await http(testApp.app).post('/cleanup').send({ expired: true }).expect(200);

    expect(res.body.tags).toEqual([expiredA, expiredB].sort());
    expect(res.body.total).toBe(graphs.reduce((sum, graph) => sum + totalOf(graph.counts), 0));
    expect(await countRowsByTag(expiredA, db)).toEqual(emptyCounts());
    expect(await countRowsByTag(expiredB, db)).toEqual(emptyCounts());
    expect(await countRowsByTag(live, db)).toEqual(liveGraph.counts);
    expect(await countRowsByTag(loose, db)).toEqual(looseGraph.counts);
    expect(await registeredTags()).toContain(live);
  });

  test('When {olderThanSeconds: N} alone, then tags created more than N seconds ago go, newer ones stay', async () => {
    const [old, young] = [uniqueTag('old'), uniqueTag('young')];
    await registerTag(old, { createdSecondsAgo: 600 }, db);
    await registerTag(young, { createdSecondsAgo: 10 }, db);

    const res = await http(testApp.app).post('/cleanup').send({ olderThanSeconds: 300 }).expect(200);

    expect(res.body.tags).toContain(old);
    expect(res.body.tags).not.toContain(young);
    expect(await registeredTags()).toContain(young);
  });

  test('When {prefix: "%"}, then it matches literally: nothing is deleted', async () => {
    const tag = uniqueTag('pct');
    await registerTag(tag, {}, db);
    await insertGraph(tag, {}, db);
    const before = [await registeredTags(), await rowsInDatabase()];

    const res = await http(testApp.app).post('/cleanup').send({ prefix: '%' }).expect(200);

    expect(res.body).toEqual({ tags: [], deleted: emptyCounts(), total: 0 });
    expect([await registeredTags(), await rowsInDatabase()]).toEqual(before);
  });

  test('When an expired tag is referenced by a live tag, then {expired: true} is a 409 and no expired tag is deleted', async () => {
    const [referenced, other, live] = [uniqueTag('exp'), uniqueTag('exp'), uniqueTag('live')];
    await registerTag(referenced, { expiresInSeconds: -60 }, db);
    await registerTag(other, { expiresInSeconds: -60 }, db);
    await registerTag(live, {}, db);
    const graph = await insertGraph(referenced, {}, db);
    await insertGraph(other, {}, db);
    await insertOrder(live, graph.ids.userId, graph.ids.productId, db);
    const before = [await registeredTags(), await rowsInDatabase()];

    const res = await http(testApp.app).post('/cleanup').send({ expired: true }).expect(409);

    expect(res.body).toMatchObject({ tag: referenced, referencingTag: live });
    expect([await registeredTags(), await rowsInDatabase()]).toEqual(before);

    // Leave the cluster tidy for the next tests.
    await http(testApp.app).delete(`/tags/${live}`).expect(200);
    await http(testApp.app).post('/cleanup').send({ expired: true }).expect(200);
  });

  test.each([
    ['an empty object', {}],
    ['expired: false', { expired: false }],
    ['expired: null', { expired: null }],
    ['all: false', { all: false }],
    ['all combined with prefix', { all: true, prefix: 'x' }],
    ['an empty prefix', { prefix: '' }],
    ['an unknown filter', { everything: true }],
    ['olderThanSeconds as a string', { olderThanSeconds: '60' }],
    ['a negative olderThanSeconds', { olderThanSeconds: -1 }],
    ['an array', [{ all: true }]],
  ])('When the body is %s, then a 400 problem with errors[] and nothing is deleted', async (_case, body) => {
    const tag = uniqueTag('keep');
    await registerTag(tag, {}, db);
    await insertGraph(tag, {}, db);
    const before = [await registeredTags(), await rowsInDatabase()];

    const res = await http(testApp.app).post('/cleanup').send(body as object).expect(400);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.any(String), message: expect.any(String) })]));
    expect([await registeredTags(), await rowsInDatabase()]).toEqual(before);
  });

  test('When there is no body at all, then a 400 problem and nothing is deleted', async () => {
    const before = await registeredTags();

    const res = await http(testApp.app).post('/cleanup').expect(400);

    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body' })]);
    expect(await registeredTags()).toEqual(before);
  });

  // Last: it empties the registry.
  test('When {all: true}, then every registered tag goes with its rows, and rows of unregistered tags stay', async () => {
    const [one, two, loose] = [uniqueTag('all'), uniqueTag('all'), uniqueTag('loose')];
    await registerTag(one, {}, db);
    await registerTag(two, { expiresInSeconds: -5 }, db);
    await insertGraph(one, {}, db);
    await insertGraph(two, { orders: 2 }, db);
    const looseGraph = await insertGraph(loose, {}, db);
    const registeredBefore = await registeredTags();

    const res = await http(testApp.app).post('/cleanup').send({ all: true }).expect(200);

    expect(res.body.tags).toEqual(registeredBefore);
    expect(await registeredTags()).toEqual([]);
    expect(await countRowsByTag(one, db)).toEqual(emptyCounts());
    expect(await countRowsByTag(two, db)).toEqual(emptyCounts());
    expect(await countRowsByTag(loose, db)).toEqual(looseGraph.counts);
  });
});
