import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * Nullable foreign keys (issue 28, point 6) on a Sequelize-style schema
 * whose every belongsTo key is nullable: a key that names the row's owner
 * (projects."ownerId") gets a parent created under the tag, any other
 * (tasks."assigneeId", tasks."projectId") stays NULL; `nullableKeys` on the
 * request or a node chooses otherwise, and a node's choice holds for its children.
 */
const saas = useTargetApp('saas');

interface Records {
  [table: string]: Array<Record<string, unknown>>;
}

const idsOf = (records: Records, table: string): number[] => (records[table] ?? []).map((row) => Number(row.id));

describe('Nullable foreign keys', () => {
  test('When GET /schema describes nullable keys, then an owner key says a parent is created for it and any other that it stays NULL', async () => {
    const reasons: Record<string, string> = {};
    for (const name of ['projects', 'tasks']) {
      const res = await http(saas.app).get(`/schema?table=${name}`).expect(200);
      for (const table of res.body.tables as Array<{ name: string; columns: Array<{ name: string; generator: { reason: string } }> }>) {
        for (const column of table.columns) reasons[`${table.name}.${column.name}`] = column.generator.reason;
      }
    }
    expect(reasons['projects.ownerId']).toContain('it names the owner: a parent is created for it unless nullableKeys is "null"');
    expect(reasons['tasks.assigneeId']).toContain('NULL unless given');
    expect(reasons['projects.accountId']).not.toContain('nullable');
  });

  test('When top-level projects and tasks are provisioned, then in PostgreSQL each project has an owner created under the tag, each task keeps NULL keys, and cleanup leaves the app\'s rows as they were', async () => {
    const before = await tableChecksums(saas.pool);
    const tag = uniqueTag('saas-owners');

    const res = await http(saas.app).post('/graphs').send({ tag, graph: { projects: [{ count: 2 }], tasks: [{ count: 2 }] } }).expect(201);

    const members = idsOf(res.body.records, 'members');
    expect(res.body.counts).toMatchObject({ projects: 2, tasks: 2, members: 2 });
    const projects = await saas.pool.query<{ ownerId: number | null }>('SELECT "ownerId" FROM projects WHERE id = ANY($1) ORDER BY id', [idsOf(res.body.records, 'projects')]);
    expect(projects.rows.map((row) => row.ownerId).sort()).toEqual([...members].sort());
    const owners = await saas.pool.query<{ accountId: number }>('SELECT "accountId" FROM members WHERE id = ANY($1)', [members]);
    expect(owners.rows.every((row) => idsOf(res.body.records, 'accounts').includes(row.accountId))).toBe(true);
    const tasks = await saas.pool.query<{ projectId: number | null; assigneeId: number | null }>('SELECT "projectId", "assigneeId" FROM tasks WHERE id = ANY($1)', [idsOf(res.body.records, 'tasks')]);
    expect(tasks.rows).toEqual([
      { projectId: null, assigneeId: null },
      { projectId: null, assigneeId: null },
    ]);

    await http(saas.app).delete(`/tags/${tag}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When the request says nullableKeys "null" and a node says "create", then the node and its children get parents for every nullable key and the rest stay NULL', async () => {
    const before = await tableChecksums(saas.pool);
    const tag = uniqueTag('saas-keys');

    const res = await http(saas.app)
      .post('/graphs')
      .send({ tag, nullableKeys: 'null', graph: { projects: [{ count: 1, nullableKeys: 'create', tasks: [{ count: 2 }] }, { count: 1 }] } })
      .expect(201);

    const projects = await saas.pool.query<{ ownerId: number | null }>('SELECT "ownerId" FROM projects WHERE id = ANY($1) ORDER BY id', [idsOf(res.body.records, 'projects')]);
    expect(projects.rows.map((row) => row.ownerId === null)).toEqual([false, true]);
    const tasks = await saas.pool.query<{ projectId: number; assigneeId: number | null }>('SELECT "projectId", "assigneeId" FROM tasks WHERE id = ANY($1)', [idsOf(res.body.records, 'tasks')]);
    const members = idsOf(res.body.records, 'members');
    expect(tasks.rows).toHaveLength(2);
    expect(tasks.rows.every((row) => row.assigneeId !== null && members.includes(row.assigneeId))).toBe(true);
    // The owner of the first project and the two assignees.
    expect(members).toHaveLength(3);

    await http(saas.app).delete(`/tags/${tag}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When nullableKeys is not one of owners, create, existing or null, then a 400 names each place and nothing is written', async () => {
    const before = await tableChecksums(saas.pool);
    const res = await http(saas.app)
      .post('/graphs')
      .send({ tag: uniqueTag('saas-bad-keys'), nullableKeys: 'sometimes', graph: { projects: [{ nullableKeys: true }] } })
      .expect(400);
    expect(res.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['graph.projects[0].nullableKeys', 'nullableKeys']);
    expect(res.body.errors[0].message).toContain('"owners", "create", "existing", "null"');
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });
});
