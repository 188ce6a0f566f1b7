import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * Duplicates the request itself makes (issue 28, point 7): on the Conduit
 * schema an article's articleTags rows have the composite key (articleId,
 * tagId); three of them connected to two tags would repeat a key, which no
 * retry can help. A 400 before anything is written, naming the node.
 */
const conduit = useTargetApp('conduit');

const graph = (rows: number): object => ({
  tags: [{ as: 'pair', count: 2 }],
  articles: [{ articleTags: [{ count: rows, connect: { tagId: { ref: 'pair' } } }] }],
});

describe('Keys a request repeats', () => {
  test('When count rows connect to an alias of fewer rows over a composite key, then the answer is a 400 naming the node and the key, and nothing is written', async () => {
    const before = await tableChecksums(conduit.pool);

    const res = await http(conduit.app).post('/graphs').send({ tag: uniqueTag('repeat'), graph: graph(3) }).expect(400);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([
      { path: 'graph.articles[0].articleTags[0]', message: expect.stringMatching(/^rows 0 and 2 of graph\.articles\[0\]\.articleTags\[0\] would get the same articleId, tagId \(articleTags's primary key\)/) },
    ]);
    expect(await tableChecksums(conduit.pool)).toEqual(before);
  });

  test('When the alias has as many rows as count, then every key differs and the graph is written', async () => {
    const tag = uniqueTag('repeat-ok');

    const res = await http(conduit.app).post('/graphs').send({ tag, graph: graph(2) }).expect(201);

    const article = Number(res.body.records.articles[0].id);
    const keys = await conduit.pool.query<{ tagId: number }>('SELECT "tagId" FROM "articleTags" WHERE "articleId" = $1 ORDER BY 1', [article]);
    expect(keys.rows.map((row) => row.tagId).sort()).toEqual(res.body.records.tags.map((row: { id: number }) => Number(row.id)).sort());
    await http(conduit.app).delete(`/tags/${tag}`).expect(200);
  });
});
