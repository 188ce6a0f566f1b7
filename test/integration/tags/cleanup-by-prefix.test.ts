import { emptyCounts } from '../../../src/db/tables';
import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { insertGraph, insertOrder, registerTag } from '../../support/sql-fixtures';

/**
 * Cleanups narrowed by a prefix unique to each test, so they are safe on the
 * shared database. Global cleanups live in cleanup-global.test.ts (own cluster).
 */
const testApp = useTestApp();

async function registered(tags: string[]): Promise<string[]> {
  const result = await testPool().query<{ tag: string }>('SELECT tag FROM test_tags WHERE tag = ANY($1) ORDER BY tag', [tags]);
  return result.rows.map((row) => row.tag);
}

describe('POST /cleanup (by prefix)', () => {
  test('When {prefix}, then its registered tags and their rows go; an unregistered tag with the same prefix and other tags stay', async () => {
    const prefix = uniqueTag('ci');
    const [one, two, loose, other] = [`${prefix}-1`, `${prefix}-2`, `${prefix}-loose`, uniqueTag('other')];
    await registerTag(one);
    await registerTag(two);
    await registerTag(other);
    const [g1, g2] = [await insertGraph(one, { orders: 2 }), await insertGraph(two)];
    await insertGraph(loose);
    await insertGraph(other);
    const [looseBefore, otherBefore] = [await countRowsByTag(loose), await countRowsByTag(other)];

    const res = await http(testApp.app).post('/cleanup').send({ prefix }).expect(200);

    const expected = emptyCounts();
    for (const graph of [g1, g2]) for (const [table, n] of Object.entries(graph.counts)) expected[table as keyof typeof expected] += n;
    expect(res.body).toEqual({
      tags: [one, two],
      deleted: expected,
      total: totalOf(expected),
      removed: [
        { tag: one, deleted: g1.counts, total: totalOf(g1.counts) },
        { tag: two, deleted: g2.counts, total: totalOf(g2.counts) },
      ],
      kept: [],
    });
    expect(await countRowsByTag(one)).toEqual(emptyCounts());
    expect(await countRowsByTag(two)).toEqual(emptyCounts());
    expect(await countRowsByTag(loose)).toEqual(looseBefore);
    expect(await countRowsByTag(other)).toEqual(otherBefore);
    expect(await registered([one, two, other])).toEqual([other]);
  });

  test('When {prefix, olderThanSeconds}, then only tags matching both go', async () => {
    const prefix = uniqueTag('ci');
    const [old, fresh] = [`${prefix}-old`, `${prefix}-fresh`];
    await registerTag(old, { createdSecondsAgo: 7200 });
    await registerTag(fresh);
    await insertGraph(old);
    const freshGraph = await insertGraph(fresh);

    const res = await http(testApp.app).post('/cleanup').send({ prefix, olderThanSeconds: 3600 }).expect(200);

    expect(res.body.tags).toEqual([old]);
    expect(await countRowsByTag(old)).toEqual(emptyCounts());
    expect(await countRowsByTag(fresh)).toEqual(freshGraph.counts);
  });

  test('When {prefix, expired: true}, then only expired tags with the prefix go', async () => {
    const prefix = uniqueTag('ci');
    const [gone, live] = [`${prefix}-gone`, `${prefix}-live`];
    await registerTag(gone, { expiresInSeconds: -60 });
    await registerTag(live);
    await insertGraph(gone);

    const res = await http(testApp.app).post('/cleanup').send({ prefix, expired: true }).expect(200);

    expect(res.body.tags).toEqual([gone]);
    expect(await registered([gone, live])).toEqual([live]);
  });

  test('When the prefix holds "_", then it matches literally, not as a LIKE wildcard', async () => {
    const base = uniqueTag('lit');
    await registerTag(`${base}_1`);
    await registerTag(`${base}x1`);

    const res = await http(testApp.app).post('/cleanup').send({ prefix: `${base}_` }).expect(200);

    expect(res.body.tags).toEqual([`${base}_1`]);
    expect(await registered([`${base}_1`, `${base}x1`])).toEqual([`${base}x1`]);
  });

  test('When nothing matches, then 200 with no tags and total 0', async () => {
    const res = await http(testApp.app).post('/cleanup').send({ prefix: uniqueTag('none') }).expect(200);

    expect(res.body).toEqual({ tags: [], deleted: emptyCounts(), total: 0, removed: [], kept: [] });
  });

  test('When a row of a tag outside the selection references a selected tag, then 200: the other selected tag goes, the referenced one is kept and named with its reference, and its rows are untouched', async () => {
    const prefix = uniqueTag('ci');
    const [referenced, bystander, outsider] = [`${prefix}-a`, `${prefix}-b`, uniqueTag('outsider')];
    await registerTag(referenced);
    await registerTag(bystander);
    await registerTag(outsider);
    const graph = await insertGraph(referenced);
    const bystanderGraph = await insertGraph(bystander);
    await insertOrder(outsider, graph.ids.userId, graph.ids.productId);

    const res = await http(testApp.app).post('/cleanup').send({ prefix }).expect(200);

    expect(res.body).toEqual({
      tags: [bystander],
      deleted: bystanderGraph.counts,
      total: totalOf(bystanderGraph.counts),
      removed: [{ tag: bystander, deleted: bystanderGraph.counts, total: totalOf(bystanderGraph.counts) }],
      kept: [
        {
          tag: referenced,
          references: [
            { table: 'order_items', constraint: 'fk_order_items_product', referencedTable: 'products', rows: 1, referencingTag: outsider },
            { table: 'orders', constraint: 'fk_orders_user', referencedTable: 'users', rows: 1, referencingTag: outsider },
          ],
        },
      ],
    });
    expect(await countRowsByTag(referenced)).toEqual(graph.counts);
    expect(totalOf(await countRowsByTag(bystander))).toBe(0);
    expect(await registered([referenced, bystander])).toEqual([referenced]);
  });

  test('When the referencing tag is selected too, then both go in one cleanup (the referencing one first)', async () => {
    const prefix = uniqueTag('ci');
    const [referenced, referencing] = [`${prefix}-a`, `${prefix}-b`];
    await registerTag(referenced);
    await registerTag(referencing);
    const graph = await insertGraph(referenced);
    await insertOrder(referencing, graph.ids.userId, graph.ids.productId);

    const res = await http(testApp.app).post('/cleanup').send({ prefix }).expect(200);

    expect(res.body.tags).toEqual([referencing, referenced]);
    expect(res.body.kept).toEqual([]);
    expect(await registered([referenced, referencing])).toEqual([]);
    expect(res.body.total).toBe(totalOf(graph.counts) + 4);
  });
});
