import { DOMAIN_TABLES_DELETE_ORDER, emptyCounts } from '../../../src/db/tables';
import { countRowsByTag, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import { insertGraph, insertOrder, registerTag } from '../../support/sql-fixtures';

/**
 * Cleanups that select across the whole database (expired, all,
 * olderThanSeconds alone), and bodies that a broken validation could turn
 * into "delete everything": on a private cluster, never the shared one.
 */
const own = useOwnCluster({ pool: 3 });

/**
 * Arrange for the tests that assert exactly what a database-wide selection
 * picks: they start from an empty database (the cluster is this file's
 * alone), whatever ran before them.
 */
async function startFromEmptyDatabase(): Promise<void> {
  await own.pool.query(`TRUNCATE test_tags, testapi_idempotency_keys, ${DOMAIN_TABLES_DELETE_ORDER.join(', ')}`);
}

async function registeredTags(): Promise<string[]> {
  const result = await own.pool.query<{ tag: string }>('SELECT tag FROM test_tags ORDER BY tag');
  return result.rows.map((row) => row.tag);
}

async function rowsInDatabase(): Promise<number> {
  const result = await own.pool.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM users) + (SELECT count(*) FROM memberships)
          + (SELECT count(*) FROM addresses) + (SELECT count(*) FROM products) + (SELECT count(*) FROM orders)
          + (SELECT count(*) FROM order_items) + (SELECT count(*) FROM payments) + (SELECT count(*) FROM shipments) AS n`,
  );
  return Number(result.rows[0]!.n);
}

describe('POST /cleanup (whole database)', () => {
  test('When {expired: true}, then every expired registered tag goes with its rows; live and unregistered tags stay', async () => {
    await startFromEmptyDatabase();
    const [expiredA, expiredB, live, loose] = [uniqueTag('exp'), uniqueTag('exp'), uniqueTag('live'), uniqueTag('loose')];
    await registerTag(expiredA, { expiresInSeconds: -3600 }, own.pool);
    await registerTag(expiredB, { expiresInSeconds: -1 }, own.pool);
    await registerTag(live, {}, own.pool);
    const graphs = [await insertGraph(expiredA, { orders: 2 }, own.pool), await insertGraph(expiredB, {}, own.pool)];
    const liveGraph = await insertGraph(live, {}, own.pool);
    const looseGraph = await insertGraph(loose, {}, own.pool);

    const res = await http(own.app).post('/cleanup').send({ expired: true }).expect(200);

    expect(res.body.tags).toEqual([expiredA, expiredB].sort());
    expect(res.body.total).toBe(graphs.reduce((sum, graph) => sum + totalOf(graph.counts), 0));
    expect(await countRowsByTag(expiredA, own.pool)).toEqual(emptyCounts());
    expect(await countRowsByTag(expiredB, own.pool)).toEqual(emptyCounts());
    expect(await countRowsByTag(live, own.pool)).toEqual(liveGraph.counts);
    expect(await countRowsByTag(loose, own.pool)).toEqual(looseGraph.counts);
    expect(await registeredTags()).toContain(live);
  });

  test('When {olderThanSeconds: N} alone, then tags created more than N seconds ago go, newer ones stay', async () => {
    const [old, young] = [uniqueTag('old'), uniqueTag('young')];
    await registerTag(old, { createdSecondsAgo: 600 }, own.pool);
    await registerTag(young, { createdSecondsAgo: 10 }, own.pool);

    const res = await http(own.app).post('/cleanup').send({ olderThanSeconds: 300 }).expect(200);

    expect(res.body.tags).toContain(old);
    expect(res.body.tags).not.toContain(young);
    expect(await registeredTags()).toContain(young);
  });

  test('When {prefix: "%"}, then it matches literally: nothing is deleted', async () => {
    const tag = uniqueTag('pct');
    await registerTag(tag, {}, own.pool);
    await insertGraph(tag, {}, own.pool);
    const before = [await registeredTags(), await rowsInDatabase()];

    const res = await http(own.app).post('/cleanup').send({ prefix: '%' }).expect(200);

    expect(res.body).toEqual({ tags: [], deleted: emptyCounts(), total: 0, removed: [], kept: [] });
    expect([await registeredTags(), await rowsInDatabase()]).toEqual(before);
  });

  test('When an expired tag is referenced by a live tag, then {expired: true} deletes the other expired tag and keeps the referenced one, naming the live tag', async () => {
    await startFromEmptyDatabase();
    const [referenced, other, live] = [uniqueTag('exp'), uniqueTag('exp'), uniqueTag('live')];
    await registerTag(referenced, { expiresInSeconds: -60 }, own.pool);
    await registerTag(other, { expiresInSeconds: -60 }, own.pool);
    await registerTag(live, {}, own.pool);
    const graph = await insertGraph(referenced, {}, own.pool);
    const otherGraph = await insertGraph(other, {}, own.pool);
    await insertOrder(live, graph.ids.userId, graph.ids.productId, own.pool);

    const res = await http(own.app).post('/cleanup').send({ expired: true }).expect(200);

    expect(res.body.tags).toEqual([other]);
    expect(res.body.removed).toEqual([{ tag: other, deleted: otherGraph.counts, total: totalOf(otherGraph.counts) }]);
    expect(res.body.kept).toEqual([{ tag: referenced, references: expect.arrayContaining([expect.objectContaining({ table: 'orders', referencedTable: 'users', rows: 1, referencingTag: live })]) }]);
    expect(await registeredTags()).toEqual([live, referenced].sort());
    expect(await countRowsByTag(referenced, own.pool)).toEqual(graph.counts);
    expect(totalOf(await countRowsByTag(other, own.pool))).toBe(0);
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
    await registerTag(tag, {}, own.pool);
    await insertGraph(tag, {}, own.pool);
    const before = [await registeredTags(), await rowsInDatabase()];

    const res = await http(own.app).post('/cleanup').send(body as object).expect(400);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.any(String), message: expect.any(String) })]));
    expect([await registeredTags(), await rowsInDatabase()]).toEqual(before);
  });

  test('When there is no body at all, then a 400 problem and nothing is deleted', async () => {
    const before = await registeredTags();

    const res = await http(own.app).post('/cleanup').expect(400);

    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body' })]);
    expect(await registeredTags()).toEqual(before);
  });

  test('When {all: true}, then every registered tag goes with its rows, and rows of unregistered tags stay', async () => {
    const [one, two, loose] = [uniqueTag('all'), uniqueTag('all'), uniqueTag('loose')];
    await registerTag(one, {}, own.pool);
    await registerTag(two, { expiresInSeconds: -5 }, own.pool);
    await insertGraph(one, {}, own.pool);
    await insertGraph(two, { orders: 2 }, own.pool);
    const looseGraph = await insertGraph(loose, {}, own.pool);
    const registeredBefore = await registeredTags();

    const res = await http(own.app).post('/cleanup').send({ all: true }).expect(200);

    expect([...res.body.tags].sort()).toEqual(registeredBefore);
    expect(res.body.kept).toEqual([]);
    expect(await registeredTags()).toEqual([]);
    expect(await countRowsByTag(one, own.pool)).toEqual(emptyCounts());
    expect(await countRowsByTag(two, own.pool)).toEqual(emptyCounts());
    expect(await countRowsByTag(loose, own.pool)).toEqual(looseGraph.counts);
  });
});
