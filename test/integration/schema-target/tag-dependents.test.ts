import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * GET /tags/{tag}/dependents (issue 31, point 2): what the application wrote
 * under a tag's rows, transitively, with the referencing key; exactly the
 * rows DELETE ?dependents=delete then deletes (compared here row by row).
 */
const saas = useTargetApp('saas');

describe('GET /tags/{tag}/dependents', () => {
  test('When the application writes a project on a provisioned member and a task on that project, then both are listed with their keys, and dependents=delete deletes exactly those', async () => {
    const before = await tableChecksums(saas.pool);
    const tag = uniqueTag('saas-dependents');
    const res = await http(saas.app).post('/graphs').send({ tag, graph: { accounts: [{ members: [{ count: 1 }] }] } }).expect(201);
    const member = res.body.records.members[0] as { id: number; accountId: number };
    const project = await saas.pool.query<{ id: number }>(
      `INSERT INTO projects ("accountId", "ownerId", key, name, "createdAt", "updatedAt") VALUES (1, $1, $2, 'App project', now(), now()) RETURNING id`,
      [member.id, `D${Date.now() % 1e8}`],
    );
    const task = await saas.pool.query<{ id: number }>(`INSERT INTO tasks ("projectId", title, "createdAt", "updatedAt") VALUES ($1, 'App task', now(), now()) RETURNING id`, [project.rows[0]!.id]);
    const untouched = await tableChecksums(saas.pool);

    const listed = await http(saas.app).get(`/tags/${tag}/dependents`).expect(200);

    expect(listed.body).toEqual({
      tag,
      dependents: {
        projects: { total: 1, deletable: true, rows: [{ key: { id: String(project.rows[0]!.id) }, constraint: 'projects_ownerId_fkey', referencedTable: 'members' }] },
        tasks: { total: 1, deletable: true, rows: [{ key: { id: String(task.rows[0]!.id) }, constraint: 'tasks_projectId_fkey', referencedTable: 'projects' }] },
      },
    });
    // Listing reads only.
    expect(await tableChecksums(saas.pool)).toEqual(untouched);

    const deleted = await http(saas.app).delete(`/tags/${tag}?dependents=delete`).expect(200);

    const totals = Object.fromEntries(Object.entries(listed.body.dependents as Record<string, { total: number }>).map(([table, entry]) => [table, entry.total]));
    expect(deleted.body.dependents).toEqual(totals);
    const left = await saas.pool.query('SELECT (SELECT count(*)::int FROM projects WHERE id = $1) AS projects, (SELECT count(*)::int FROM tasks WHERE id = $2) AS tasks', [project.rows[0]!.id, task.rows[0]!.id]);
    expect(left.rows).toEqual([{ projects: 0, tasks: 0 }]);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When nothing references the tag, then no table is listed; a bad limit is a 400 and an unregistered tag a 404', async () => {
    const tag = uniqueTag('saas-no-dependents');
    await http(saas.app).post('/graphs').send({ tag, graph: { accounts: [{}] } }).expect(201);

    expect((await http(saas.app).get(`/tags/${tag}/dependents`).expect(200)).body).toEqual({ tag, dependents: {} });
    const bad = await http(saas.app).get(`/tags/${tag}/dependents?limit=0`).expect(400);
    expect(bad.body.errors).toEqual([{ path: 'limit', message: expect.stringContaining('from 1 to 1000') }]);
    await http(saas.app).get(`/tags/${uniqueTag('never')}/dependents`).expect(404);

    await http(saas.app).delete(`/tags/${tag}`).expect(200);
  });
});
