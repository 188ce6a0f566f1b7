import { createLogger } from '../../../src/logger';
import { schemaRegistryOf } from '../../../src/schema/schema-registry';
import { createSweeper } from '../../../src/tags/sweeper';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { ledgerCounts, tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * One stuck tag never blocks the others (issue 24, point 5), on the schema
 * written like a Sequelize app (foreign-key columns without indexes): the
 * application's comment on an article keeps that tag, and only that tag.
 */
const conduit = useTargetApp('conduit');

interface Provisioned {
  articleIds: number[];
  userIds: number[];
}

async function provision(tag: string): Promise<Provisioned> {
  const res = await http(conduit.app)
    .post('/graphs')
    .send({ tag, graph: { users: [{ articles: [{ count: 2 }] }] } })
    .expect(201);
  return { articleIds: res.body.records.articles.map((row: { id: number }) => Number(row.id)), userIds: res.body.records.users.map((row: { id: number }) => Number(row.id)) };
}

/** The application's own comment (by its user jake, id 1) on an article of a tag. */
async function applicationComment(articleId: number): Promise<number> {
  const { rows } = await conduit.pool.query<{ id: number }>(
    `INSERT INTO comments (body, "articleId", "authorId", "createdAt", "updatedAt") VALUES ('Nice one', $1, 1, now(), now()) RETURNING id`,
    [articleId],
  );
  return rows[0]!.id;
}

async function articlesLeft(ids: number[]): Promise<number> {
  return (await conduit.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE id = ANY($1)', [ids])).rows[0]!.n;
}

describe('Cleanup of several tags on a Sequelize-style schema', () => {
  test('When POST /cleanup selects three tags and the application commented on one, then two are deleted and the third is kept and named with the reference, its rows untouched', async () => {
    const prefix = uniqueTag('conduit-cleanup');
    const before = await tableChecksums(conduit.pool);
    const [a, b, c] = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    const rows = { a: await provision(a), b: await provision(b), c: await provision(c) };
    const commentId = await applicationComment(rows.b.articleIds[0]!);

    const res = await http(conduit.app).post('/cleanup').send({ prefix }).expect(200);

    expect([...res.body.tags].sort()).toEqual([a, c]);
    expect(res.body.kept).toEqual([{ tag: b, references: [{ table: 'comments', constraint: expect.any(String), referencedTable: 'articles', rows: 1, referencingTag: null }] }]);
    expect(await articlesLeft([...rows.a.articleIds, ...rows.c.articleIds])).toBe(0);
    expect(await articlesLeft(rows.b.articleIds)).toBe(2);
    expect((await conduit.pool.query('SELECT 1 FROM comments WHERE id = $1', [commentId])).rowCount).toBe(1);
    expect(await ledgerCounts(conduit.pool, a)).toEqual({});
    expect(await ledgerCounts(conduit.pool, b)).toEqual({ users: 1, articles: 2 });

    await http(conduit.app).delete(`/tags/${b}?dependents=delete`).expect(200);
    expect(await tableChecksums(conduit.pool)).toEqual(before);
  });

  test('When an expired tag has an article the application commented on, then the sweeper keeps it and GET /tags/{tag} says expired, kept, and by which reference', async () => {
    const tag = uniqueTag('conduit-sweep');
    const rows = await provision(tag);
    await applicationComment(rows.articleIds[1]!);
    await conduit.pool.query(`UPDATE testapi.test_tags SET expires_at = now() - interval '1 minute' WHERE tag = $1`, [tag]);
    const sweeper = createSweeper({
      pool: conduit.db.pool,
      logger: createLogger('silent'),
      metrics: { rowsDeleted: () => undefined, sweeperRun: () => undefined },
      intervalSeconds: 0,
      schema: schemaRegistryOf(conduit.db, conduit.config),
    });

    const outcome = await sweeper.sweepOnce();

    expect(outcome.tags).not.toContain(tag);
    expect(outcome.kept).toEqual(expect.arrayContaining([{ tag, references: [expect.objectContaining({ table: 'comments', referencedTable: 'articles', rows: 1 })] }]));
    expect(await articlesLeft(rows.articleIds)).toBe(2);
    const detail = await http(conduit.app).get(`/tags/${tag}`).expect(200);
    expect(detail.body).toMatchObject({ expired: true, kept: { references: [expect.objectContaining({ table: 'comments', constraint: expect.any(String), rows: 1 })] } });
    await http(conduit.app).delete(`/tags/${tag}?dependents=delete`).expect(200);
    expect(await ledgerCounts(conduit.pool, tag)).toEqual({});
  });
});
