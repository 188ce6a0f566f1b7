import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * Rows an application accepts (issue 28, points 1, 2 and 4) on a schema that
 * keeps uniqueness in code: identity-like columns are unique without a
 * constraint, a unique column's constant default is not taken, and rows do
 * not look deleted, archived or paid. The deployment declares one column
 * unique and opts one out.
 */
const saas = useTargetApp('saas', { TESTAPI_UNIQUE: 'accounts.name', TESTAPI_NOT_UNIQUE: 'members.username' });

interface SchemaColumn {
  name: string;
  unique: boolean;
  uniqueBy: string | null;
  generator: { kind: string; reason: string };
}

async function columnsOf(table: string): Promise<Map<string, SchemaColumn>> {
  const res = await http(saas.app).get(`/schema?table=${table}`).expect(200);
  const found = (res.body.tables as Array<{ name: string; columns: SchemaColumn[] }>).find((entry) => entry.name === table)!;
  return new Map(found.columns.map((column) => [column.name, column]));
}

const GRAPH = { accounts: [{ count: 1, members: [{ count: 2 }] }] };

describe('Rows an application accepts', () => {
  test('When GET /schema describes the tables, then each column says whether it is unique by constraint, declaration or inference, and which columns stay empty so rows look alive', async () => {
    const members = await columnsOf('members');
    const accounts = await columnsOf('accounts');

    expect(members.get('email')).toMatchObject({ unique: true, uniqueBy: 'inference' });
    expect(members.get('email')!.generator.reason).toContain('unique by inference');
    expect(members.get('username')).toMatchObject({ unique: false, uniqueBy: null });
    expect(members.get('display_name')).toMatchObject({ unique: true, uniqueBy: 'constraint', generator: { kind: 'full-name' } });
    expect(accounts.get('slug')).toMatchObject({ unique: true, uniqueBy: 'inference', generator: { kind: 'slug' } });
    expect(accounts.get('name')).toMatchObject({ unique: true, uniqueBy: 'declaration' });
    expect(accounts.get('created_at')).toMatchObject({ uniqueBy: null, generator: { kind: 'created-time' } });
    for (const column of ['archived_at', 'deletedAt']) expect(accounts.get(column)!.generator).toMatchObject({ kind: 'null', reason: expect.stringContaining('end state') });
    for (const column of ['is_deleted', 'disabled']) expect(members.get(column)!.generator).toMatchObject({ kind: 'false' });
    expect(members.get('paid_at')!.generator.kind).toBe('null');
  });

  test('When eight suites provision the same graph with the same seed at once, then every e-mail, slug, declared name and display name in PostgreSQL is distinct, and no row is deleted, archived or paid', async () => {
    const prefix = uniqueTag('saas-parallel');
    const tags = Array.from({ length: 8 }, (_, index) => `${prefix}-${index}`);
    const original = await saas.pool.query('SELECT * FROM members WHERE id <= 2 ORDER BY id');

    const answers = await Promise.all(tags.map((tag) => http(saas.app).post('/graphs').send({ tag, seed: 42, graph: GRAPH }).expect(201)));

    const idsOf = (table: string): number[] => answers.flatMap((res) => (res.body.records[table] as Array<{ id: number }>).map((row) => Number(row.id)));
    const members = await saas.pool.query<{ email: string; username: string; display_name: string; is_deleted: boolean | null; disabled: boolean; deletedAt: Date | null; paid_at: Date | null }>(
      'SELECT * FROM members WHERE id = ANY($1)',
      [idsOf('members')],
    );
    const accounts = await saas.pool.query<{ name: string; slug: string; archived_at: Date | null; deletedAt: Date | null }>('SELECT * FROM accounts WHERE id = ANY($1)', [idsOf('accounts')]);
    expect(members.rows).toHaveLength(16);
    expect(accounts.rows).toHaveLength(8);
    const distinct = (values: string[]): number => new Set(values).size;
    expect(distinct(members.rows.map((row) => row.email))).toBe(16);
    expect(distinct(members.rows.map((row) => row.display_name))).toBe(16);
    expect(members.rows.every((row) => row.display_name !== '')).toBe(true);
    expect(distinct(accounts.rows.map((row) => row.slug))).toBe(8);
    expect(distinct(accounts.rows.map((row) => row.name))).toBe(8);
    // Opted out: the same seed gives every suite the same usernames.
    expect(distinct(members.rows.map((row) => row.username))).toBe(2);
    expect(members.rows.every((row) => row.is_deleted === false && row.disabled === false && row.deletedAt === null && row.paid_at === null)).toBe(true);
    expect(accounts.rows.every((row) => row.archived_at === null && row.deletedAt === null)).toBe(true);
    expect((await saas.pool.query('SELECT * FROM members WHERE id <= 2 ORDER BY id')).rows).toEqual(original.rows);

    for (const tag of tags) await http(saas.app).delete(`/tags/${tag}`).expect(200);
  });

  test('When a tag is exported and imported beside itself, then the inferred unique values are re-salted and both copies live in PostgreSQL', async () => {
    const before = await tableChecksums(saas.pool);
    const tag = uniqueTag('saas-src');
    const copy = uniqueTag('saas-copy');
    const source = await http(saas.app).post('/graphs').send({ tag, seed: 7, graph: GRAPH }).expect(201);
    const snapshot = (await http(saas.app).get(`/tags/${tag}/export`).expect(200)).body;

    const res = await http(saas.app).post(`/tags/${copy}/import`).send(snapshot).expect(201);

    expect(Object.keys(res.body.uniqueValues).sort()).toEqual(['accounts.name', 'accounts.slug', 'members.display_name', 'members.email']);
    const renamed = res.body.uniqueValues['members.email'] as Record<string, string>;
    const sourceEmails = (source.body.records.members as Array<{ email: string }>).map((row) => row.email);
    expect(Object.keys(renamed).sort()).toEqual([...sourceEmails].sort());
    const both = [...sourceEmails, ...Object.values(renamed)];
    expect(new Set(both).size).toBe(4);
    const inDatabase = await saas.pool.query<{ email: string }>('SELECT email FROM members WHERE email = ANY($1)', [both]);
    expect(inDatabase.rows.map((row) => row.email).sort()).toEqual([...both].sort());

    await http(saas.app).delete(`/tags/${copy}`).expect(200);
    await http(saas.app).delete(`/tags/${tag}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });
  test('When PostgreSQL refuses a value the request gave in set, then the problem says whether it collides within the request or with an existing row, and never advises giving it in set', async () => {
    const before = await tableChecksums(saas.pool);
    const twice = await http(saas.app)
      .post('/graphs')
      .send({ tag: uniqueTag('saas-dup'), graph: { accounts: [{ members: [{ count: 2, set: { display_name: 'Same Name' } }] }] } })
      .expect(409);
    expect(twice.body).toMatchObject({ constraint: 'members_display_name_idx', collision: 'within-request' });
    expect(twice.body.detail).toContain('another row of the same request');
    expect(twice.body.detail).toContain('repeats on all 2 rows');

    const taken = await http(saas.app)
      .post('/graphs')
      .send({ tag: uniqueTag('saas-taken'), graph: { accounts: [{ members: [{ set: { display_name: 'Wile E.' } }] }] } })
      .expect(409);
    expect(taken.body).toMatchObject({ constraint: 'members_display_name_idx', collision: 'existing-row' });
    expect(taken.body.detail).toContain('Change the value given in set for "display_name"');
    expect(taken.body.detail).not.toContain('Retry');

    const refused = await http(saas.app).post('/graphs').send({ tag: uniqueTag('saas-check'), graph: { accounts: [{ set: { name: 'Reserved' } }] } }).expect(422);
    expect(refused.body).toMatchObject({ constraint: 'accounts_name_not_reserved', table: 'accounts' });
    expect(refused.body.detail).toContain('Change the value given in set for "name"');
    expect(refused.body.detail).not.toContain('Give the value in set');
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When set gives a foreign key that names no row, then a 400 names the column and the key, and nothing is written', async () => {
    const before = await tableChecksums(saas.pool);

    const res = await http(saas.app)
      .post('/graphs')
      .send({ tag: uniqueTag('saas-missing'), graph: { accounts: [{ count: 2 }], members: [{ count: 2, set: { accountId: 987654 } }] } })
      .expect(400);

    expect(res.body.errors).toEqual([
      { path: 'graph.members[0].set.accountId', message: expect.stringContaining('members.accountId = 987654 names no row of accounts (members_accountId_fkey: key id = 987654)') },
    ]);
    expect(res.body.detail).toContain('Nothing was written');
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });
});
