import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from '../schema-target/support/target-checks';
import { useTargetApp } from '../schema-target/support/target-app';
import { scenarioDir } from './scenario-dir';

/**
 * Uniqueness declared per table in a scenario file (issue 28, point 1): the
 * file's `tables` adds to TESTAPI_UNIQUE / TESTAPI_NOT_UNIQUE for the whole
 * deployment (no environment variable set here), read at start-up and on
 * reload; an entry naming no column refuses the set like any bad file.
 */
const files = scenarioDir('saas');
const saas = useTargetApp('saas', { TESTAPI_SCENARIOS_DIR: files.dir });

describe('Uniqueness declared in a scenario file', () => {
  test('When the file declares accounts.name unique and opts members.username out, then GET /schema says so and eight same-seed provisions get distinct names but shared usernames in PostgreSQL', async () => {
    const before = await tableChecksums(saas.pool);
    const schema = async (table: string): Promise<Map<string, { uniqueBy: string | null }>> => {
      const res = await http(saas.app).get(`/schema?table=${table}`).expect(200);
      return new Map((res.body.tables[0].columns as Array<{ name: string; uniqueBy: string | null }>).map((column) => [column.name, column]));
    };
    expect((await schema('accounts')).get('name')).toMatchObject({ uniqueBy: 'declaration' });
    expect((await schema('members')).get('username')).toMatchObject({ uniqueBy: null });
    expect((await schema('members')).get('email')).toMatchObject({ uniqueBy: 'inference' });

    const prefix = uniqueTag('saas-file');
    const tags = Array.from({ length: 8 }, (_, index) => `${prefix}-${index}`);
    const answers = await Promise.all(tags.map((tag) => http(saas.app).post('/scenarios/account-with-members').send({ tag, seed: 42 }).expect(201)));

    const ids = (table: string): number[] => answers.flatMap((res) => (res.body.records[table] as Array<{ id: number }>).map((row) => Number(row.id)));
    const accounts = await saas.pool.query<{ name: string }>('SELECT name FROM accounts WHERE id = ANY($1)', [ids('accounts')]);
    const members = await saas.pool.query<{ username: string }>('SELECT username FROM members WHERE id = ANY($1)', [ids('members')]);
    expect(accounts.rows).toHaveLength(8);
    expect(new Set(accounts.rows.map((row) => row.name)).size).toBe(8);
    expect(members.rows).toHaveLength(16);
    expect(new Set(members.rows.map((row) => row.username)).size).toBe(2);

    for (const tag of tags) await http(saas.app).delete(`/tags/${tag}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When a file declares a column the table does not have, then the reload is refused naming the file and path, and the old declarations stay', async () => {
    files.write('bad-declaration.yaml', 'name: bad-declaration\nversion: 1\ntables:\n  members:\n    unique: [nickname]\ngraph:\n  members:\n    - count: 1\n');
    try {
      const res = await http(saas.app).post('/schema/reload').expect(400);
      expect(JSON.stringify(res.body)).toContain('tables.members.unique[0]');
      expect(JSON.stringify(res.body)).toContain('has no column \\"nickname\\"');
      const schema = await http(saas.app).get('/schema?table=accounts').expect(200);
      expect((schema.body.tables[0].columns as Array<{ name: string; uniqueBy: string | null }>).find((column) => column.name === 'name')).toMatchObject({ uniqueBy: 'declaration' });
    } finally {
      files.remove('bad-declaration.yaml');
    }
  });
});
