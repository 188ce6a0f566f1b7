import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
// The built package, as users get it (npm test runs build:client first).
import { createTestApi, TestApiError, type GraphRequest, type GraphResult, type TestApi } from '@testapi/client';
import { useTestApi } from '@testapi/client/jest';
import { uniqueTag } from '../../support/database';
import { contractFetch } from '../../support/contract-fetch';
import { runCli } from '../../support/cli';
import { ledgerCounts, tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * Dependents from every tool (issue 24, point 4), on a schema written like a
 * Sequelize app (foreign-key columns without indexes, ON DELETE CASCADE): the
 * application comments on an article testapi provisioned, which is the normal
 * case in an end-to-end test. Without `dependents: 'delete'` the cleanup is a
 * 409 that deletes nothing; with it, the tag and the comment go, and nothing else.
 */

// Declared first so its afterAll (the cleanup with dependents) runs before the checks below and before the app closes.
const testData = useTestApi({ prefix: 'dependents-jest', dependents: 'delete', fetch: contractFetch() });
let jestHelperRows: { articleIds: number[]; commentId: number } | undefined;

afterAll(async () => {
  try {
    // The helper's own afterAll has run: the article and the application's comment on it are gone.
    if (jestHelperRows) {
      expect(await stillThere(jestHelperRows.articleIds, [jestHelperRows.commentId])).toEqual({ articles: 0, comments: 0 });
      expect(await ledgerCounts(conduit.pool, testData.tag)).toEqual({});
    }
  } finally {
    delete process.env.TESTAPI_URL;
    await new Promise((resolve) => server.close(resolve));
  }
});

const conduit = useTargetApp('conduit');
let server: Server;
let url: string;
let api: TestApi;

beforeAll(async () => {
  server = conduit.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.TESTAPI_URL = url;
  api = createTestApi({ baseUrl: url, fetch: contractFetch() });
});

interface Provisioned {
  articleIds: number[];
  /** The application's own comment (no tag) on the first article. */
  commentId: number;
}

/** The application writes a comment on an article of the tag, as its own code would: by a user of its own (jake, id 1). */
async function applicationComment(articleId: number): Promise<number> {
  const { rows } = await conduit.pool.query<{ id: number }>(
    `INSERT INTO comments (body, "articleId", "authorId", "createdAt", "updatedAt") VALUES ('Nice one', $1, 1, now(), now()) RETURNING id`,
    [articleId],
  );
  return rows[0]!.id;
}

async function provisionCommented(graph: (body: Pick<GraphRequest, 'graph'>) => Promise<GraphResult>): Promise<Provisioned> {
  const created = await graph({ graph: { users: [{ articles: [{ count: 2 }] }] } });
  const articleIds = created.records.articles!.map((row) => Number(row.id));
  return { articleIds, commentId: await applicationComment(articleIds[0]!) };
}

async function stillThere(articleIds: number[], commentIds: number[]): Promise<{ articles: number; comments: number }> {
  const articles = await conduit.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE id = ANY($1)', [articleIds]);
  const comments = await conduit.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM comments WHERE id = ANY($1)', [commentIds]);
  return { articles: articles.rows[0]!.n, comments: comments.rows[0]!.n };
}

describe('Dependents from every tool, on a Sequelize-style schema', () => {
  test("When the client's cleanup(tag) meets the application's comment, then it throws the 409 and deletes nothing; cleanup(tag, { dependents: 'delete' }) deletes the tag and the comment, and no other row", async () => {
    const tag = uniqueTag('dependents-client');
    const before = await tableChecksums(conduit.pool);
    const rows = await provisionCommented((body) => api.graph({ tag, ...body }));

    const refused = await api.cleanup(tag).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TestApiError);
    expect([(refused as TestApiError).status, (refused as TestApiError).problem?.type]).toEqual([409, 'urn:testapi:problem:tag-referenced']);
    expect(await stillThere(rows.articleIds, [rows.commentId])).toEqual({ articles: 2, comments: 1 });

    const removed = await api.cleanup(tag, { dependents: 'delete' });

    expect(removed).toEqual({ tag, deleted: { users: 1, articles: 2 }, dependents: { comments: 1 }, total: 4 });
    expect(await stillThere(rows.articleIds, [rows.commentId])).toEqual({ articles: 0, comments: 0 });
    expect(await ledgerCounts(conduit.pool, tag)).toEqual({});
    expect(await tableChecksums(conduit.pool)).toEqual(before);
  });

  test("When the client's cleanupWhere({ prefix }, { dependents: 'delete' }) selects a commented tag and a plain one, then both go with the comment, and no other row", async () => {
    const prefix = uniqueTag('dependents-where');
    const before = await tableChecksums(conduit.pool);
    const commented = await provisionCommented((body) => api.graph({ tag: `${prefix}-a`, ...body }));
    await api.graph({ tag: `${prefix}-b`, graph: { users: [{ count: 1 }] } });

    const result = await api.cleanupWhere({ prefix }, { dependents: 'delete' });

    expect([...result.tags].sort()).toEqual([`${prefix}-a`, `${prefix}-b`]);
    expect({ dependents: result.dependents, total: result.total, kept: result.kept }).toEqual({ dependents: { comments: 1 }, total: 5, kept: [] });
    expect(await stillThere(commented.articleIds, [commented.commentId])).toEqual({ articles: 0, comments: 0 });
    expect(await tableChecksums(conduit.pool)).toEqual(before);
  });

  test("When the Jest helper's tag holds an article the application commented on, then cleanup({}) is refused with nothing deleted, and the helper's afterAll (dependents: 'delete') removes both", async () => {
    const rows = await provisionCommented((body) => testData.graph(body));
    jestHelperRows = rows;

    const refused = await testData.cleanup({}).catch((error: unknown) => error);

    expect((refused as TestApiError).status).toBe(409);
    expect(await stillThere(rows.articleIds, [rows.commentId])).toEqual({ articles: 2, comments: 1 });
    // The afterAll at the top of this file checks that the helper's own cleanup took both.
  });

  test('When the CLI deletes a commented tag, then without --dependents it exits 1 saying the flag and deletes nothing; with --dependents delete the tag and the comment go', async () => {
    const tag = uniqueTag('dependents-cli');
    const before = await tableChecksums(conduit.pool);
    const rows = await provisionCommented((body) => api.graph({ tag, ...body }));
    const env = { TESTAPI_URL: url, ...(conduit.config.apiKeys[0] ? { TESTAPI_API_KEY: conduit.config.apiKeys[0] } : {}) };

    const refused = await runCli(['cleanup', '--tag', tag], env);
    expect({ code: refused.code, hint: refused.stderr.includes(`testapi cleanup --tag ${tag} --dependents delete`) }).toEqual({ code: 1, hint: true });
    expect(await stillThere(rows.articleIds, [rows.commentId])).toEqual({ articles: 2, comments: 1 });

    const done = await runCli(['cleanup', '--tag', tag, '--dependents', 'delete'], env);

    expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
    expect(done.stdout).toContain(`Deleted 4 rows of tag ${tag}`);
    expect(done.stdout).toContain('including 1 row outside the tag that referenced it (comments 1)');
    expect(await stillThere(rows.articleIds, [rows.commentId])).toEqual({ articles: 0, comments: 0 });
    expect(await tableChecksums(conduit.pool)).toEqual(before);

    const unknown = await runCli(['cleanup', '--tag', tag, '--dependents', 'keep'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--dependents.*delete/);
  });
});
