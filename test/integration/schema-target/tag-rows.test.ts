import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useTargetApp } from './support/target-app';

/**
 * GET /tags/{tag}/rows (issue 31, point 1): the tag's rows of one table as
 * they are stored now, paged in key order. What the application changed
 * shows its values now; a row it deleted, or replaced under the same key,
 * is not the tag's and is not listed.
 */
const saas = useTargetApp('saas');

type Row = Record<string, unknown>;

async function allPages(tag: string, table: string, limit: number): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await http(saas.app)
      .get(`/tags/${tag}/rows`)
      .query({ table, limit, ...(cursor ? { cursor } : {}) })
      .expect(200);
    expect(res.body).toMatchObject({ tag, table });
    rows.push(...(res.body.rows as Row[]));
    cursor = res.body.nextCursor ?? undefined;
    pages += 1;
  } while (cursor);
  return { rows, pages };
}

describe('GET /tags/{tag}/rows', () => {
  test('When the application changes one provisioned member, deletes one and replaces one, then the pages list the tag\'s rows as PostgreSQL holds them now', async () => {
    const tag = uniqueTag('saas-rows');
    const res = await http(saas.app).post('/graphs').send({ tag, graph: { accounts: [{ members: [{ count: 5 }] }] } }).expect(201);
    const ids = (res.body.records.members as Row[]).map((row) => Number(row.id)).sort((a, b) => a - b);
    const [changed, deleted, replaced, ...kept] = ids;
    await saas.pool.query("UPDATE members SET username = 'renamed-by-app' WHERE id = $1", [changed]);
    await saas.pool.query('DELETE FROM members WHERE id = $1', [deleted]);
    const original = (await saas.pool.query('SELECT * FROM members WHERE id = $1', [replaced])).rows[0];
    await saas.pool.query('DELETE FROM members WHERE id = $1', [replaced]);
    await saas.pool.query(
      `INSERT INTO members (id, "accountId", email, username, display_name, disabled, created_at) VALUES ($1, $2, 'app@example.com', 'app-user', $3, false, now())`,
      [replaced, original.accountId, `app-${tag}`],
    );

    const { rows, pages } = await allPages(tag, 'members', 2);

    expect(pages).toBe(2);
    expect(rows.map((row) => Number(row.id))).toEqual([changed, ...kept]);
    const inDatabase = await saas.pool.query('SELECT id, username, email FROM members WHERE id = ANY($1) ORDER BY id', [[changed, ...kept]]);
    expect(rows.map((row) => ({ id: Number(row.id), username: row.username, email: row.email }))).toEqual(inDatabase.rows.map((row) => ({ ...row, id: Number(row.id) })));
    expect(rows[0]!.username).toBe('renamed-by-app');

    await saas.pool.query('DELETE FROM members WHERE id = $1', [replaced]);
    await http(saas.app).delete(`/tags/${tag}`).expect(200);
  });

  test('When the table, limit or cursor is wrong, then a 400 names it; an unregistered tag is a 404', async () => {
    const tag = uniqueTag('saas-rows-bad');
    await http(saas.app).post('/graphs').send({ tag, graph: { accounts: [{}] } }).expect(201);

    const unknown = await http(saas.app).get(`/tags/${tag}/rows`).query({ table: 'nosuch' }).expect(400);
    expect(unknown.body.errors).toEqual([{ path: 'table', message: expect.stringContaining('unknown table "nosuch"') }]);
    const missing = await http(saas.app).get(`/tags/${tag}/rows`).expect(400);
    expect(missing.body.errors).toEqual([{ path: 'table', message: expect.stringContaining('table is required') }]);
    const limit = await http(saas.app).get(`/tags/${tag}/rows`).query({ table: 'accounts', limit: 0 }).expect(400);
    expect(limit.body.errors).toEqual([{ path: 'limit', message: expect.stringContaining('from 1 to 1000') }]);
    const cursor = await http(saas.app).get(`/tags/${tag}/rows`).query({ table: 'accounts', cursor: 'not-ours' }).expect(400);
    expect(cursor.body.errors).toEqual([{ path: 'cursor', message: expect.stringContaining('nextCursor') }]);
    await http(saas.app).get(`/tags/${uniqueTag('never')}/rows`).query({ table: 'accounts' }).expect(404);

    await http(saas.app).delete(`/tags/${tag}`).expect(200);
  });
});
