import { emptyCounts } from '../../../src/db/tables';
import { encodeLedgerCursor } from '../../../src/tags/cursor';
import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { insertGraph, registerTag } from '../../support/sql-fixtures';

const testApp = useTestApp();

/** Every page of GET /tags?prefix=..., following nextCursor. */
async function allPages(prefix: string, limit: number): Promise<{ pages: string[][]; tags: Array<Record<string, unknown>> }> {
  const pages: string[][] = [];
  const tags: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const query: string = `/tags?prefix=${encodeURIComponent(prefix)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await http(testApp.app).get(query).expect(200);
    pages.push(res.body.tags.map((summary: { tag: string }) => summary.tag));
    tags.push(...res.body.tags);
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 20);
  return { pages, tags };
}

describe('GET /tags', () => {
  test('When tags were created at different times, then pages list them newest first with their row counts', async () => {
    const prefix = uniqueTag('list');
    const names = [1, 2, 3, 4, 5].map((n) => `${prefix}-${n}`);
    for (const [index, tag] of names.entries()) await registerTag(tag, { createdSecondsAgo: 100 - index * 10, labels: { suite: 'list' } });
    const graph = await insertGraph(names[4]!, { orders: 2 });

    const { pages, tags } = await allPages(prefix, 2);

    expect(pages).toEqual([[names[4], names[3]], [names[2], names[1]], [names[0]]]);
    expect(tags[0]).toMatchObject({ tag: names[4], labels: { suite: 'list' }, counts: graph.counts, total: totalOf(graph.counts) });
    expect(tags[1]).toMatchObject({ counts: emptyCounts(), total: 0 });
    expect(new Date(tags[0]!.createdAt as string).getTime()).toBeGreaterThan(new Date(tags[1]!.createdAt as string).getTime());
  });

  test('When several tags share one created_at to the microsecond, then paging still returns each exactly once (tag desc)', async () => {
    const prefix = uniqueTag('tie');
    const names = ['a', 'b', 'c', 'd', 'e'].map((suffix) => `${prefix}-${suffix}`);
    await testPool().query(
      `INSERT INTO test_tags (tag, created_at, expires_at) SELECT t, now(), now() + interval '1 hour' FROM unnest($1::text[]) AS t`,
      [names],
    );

    const { pages } = await allPages(prefix, 2);

    expect(pages.flat()).toEqual([...names].reverse());
  });

  test('When prefix holds "_", then it matches literally, not as a LIKE wildcard', async () => {
    const base = uniqueTag('lit');
    await registerTag(`${base}_1`);
    await registerTag(`${base}x1`);

    const res = await http(testApp.app).get(`/tags?prefix=${base}_`).expect(200);

    expect(res.body.tags.map((summary: { tag: string }) => summary.tag)).toEqual([`${base}_1`]);
    expect(res.body.nextCursor).toBeNull();
  });

  test('When prefix is "%", then no tag matches (tags cannot contain "%")', async () => {
    await registerTag(uniqueTag('pct'));

    const res = await http(testApp.app).get('/tags?prefix=%25').expect(200);

    expect(res.body).toEqual({ tags: [], nextCursor: null });
  });

  test('When rows carry a tag nobody registered, then GET /tags does not list it', async () => {
    const tag = uniqueTag('unreg');
    await insertGraph(tag);

    const res = await http(testApp.app).get(`/tags?prefix=${tag}`).expect(200);

    expect(res.body.tags).toEqual([]);
  });

  test.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    ['cursor=eyJjIjoibm9wZSJ9', 'cursor'],
    ['prefix=', 'prefix'],
    ['prefix=ci-%00', 'prefix'],
    ['prefx=ci-', 'prefx'],
  ])('When the query is %s, then a 400 problem naming %s', async (query, path) => {
    const res = await http(testApp.app).get(`/tags?${query}`).expect(400);

    expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
  });
});

describe('GET /tags/{tag}', () => {
  test('When the tag is registered, then its summary with counts per table', async () => {
    const tag = uniqueTag('one');
    await registerTag(tag, { labels: { owner: 'checkout' } });
    const graph = await insertGraph(tag, { orders: 3 });

    const res = await http(testApp.app).get(`/tags/${tag}`).expect(200);

    expect(res.body).toEqual({
      tag,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      expired: false,
      labels: { owner: 'checkout' },
      counts: graph.counts,
      total: totalOf(graph.counts),
    });
    expect(await countRowsByTag(tag)).toEqual(graph.counts);
  });

  test('When include=ids, then the ids it owns per table, as in the database', async () => {
    const tag = uniqueTag('ids');
    await registerTag(tag);
    const graph = await insertGraph(tag, { orders: 2 });

    const res = await http(testApp.app).get(`/tags/${tag}?include=ids`).expect(200);

    expect(res.body.nextCursor).toBeNull();
    expect(res.body.ids.users).toEqual([graph.ids.userId]);
    expect(res.body.ids.orders).toEqual([...graph.ids.orderIds].sort());
    const items = await testPool().query<{ id: string }>('SELECT id::text FROM order_items WHERE test_tag = $1 ORDER BY id', [tag]);
    expect(res.body.ids.order_items).toEqual(items.rows.map((row) => row.id));
  });

  test('When a table holds more than 1,000 of its rows, then ids come 1,000 at a time and nextCursor reaches the rest', async () => {
    const tag = uniqueTag('many');
    await registerTag(tag);
    await insertGraph(tag);
    await testPool().query(
      `INSERT INTO products (test_tag, sku, name, category, price_cents, stock)
       SELECT $1, $1 || '-' || g, 'Bulk Widget', 'widgets', 100, 1 FROM generate_series(1, 1500) AS g`,
      [tag],
    );

    const first = await http(testApp.app).get(`/tags/${tag}?include=ids`).expect(200);
    const second = await http(testApp.app).get(`/tags/${tag}?include=ids&cursor=${first.body.nextCursor}`).expect(200);

    expect(first.body.ids.products).toHaveLength(1000);
    expect(first.body.ids.users).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(second.body.ids.products).toHaveLength(501);
    expect(second.body.ids.users).toEqual([]);
    expect(second.body.nextCursor).toBeNull();
    expect(second.body.counts.products).toBe(1501);
    const all = await testPool().query<{ id: string }>('SELECT id::text FROM products WHERE test_tag = $1 ORDER BY id', [tag]);
    expect([...first.body.ids.products, ...second.body.ids.products]).toEqual(all.rows.map((row) => row.id));
  });

  test('When the tag is not registered, then a 404 problem', async () => {
    const tag = uniqueTag('ghost');
    await insertGraph(tag);

    const res = await http(testApp.app).get(`/tags/${tag}`).expect(404);

    expect(res.body).toMatchObject({ status: 404, title: 'Not found' });
    expect(res.body.detail).toContain(tag);
  });

  test.each([
    ['include=everything', 'include'],
    ['cursor=AQ', 'cursor'],
    ['include=ids&cursor=AQ', 'cursor'],
    // A target schema's cursor (its format decodes) means nothing to the shop's tables.
    [`include=ids&cursor=${encodeLedgerCursor([['public.users', ['00000000-0000-4000-8000-000000000000']]])}`, 'cursor'],
    ['verbose=1', 'verbose'],
  ])('When the query is %s, then a 400 problem naming %s', async (query, path) => {
    const tag = uniqueTag('q');
    await registerTag(tag);

    const res = await http(testApp.app).get(`/tags/${tag}?${query}`).expect(400);

    expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
  });
});
