import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * Existing rows and shared parents (issue 29, points 2 and 3; issue 28,
 * point 6's third choice): `connect` may name the application's own rows by
 * a filter, `parents` makes missing required parents come from existing rows
 * or one per node, `nullableKeys: "existing"` fills nullable keys from
 * existing rows. Existing rows are never written, recorded or deleted.
 */
const saas = useTargetApp('saas');

type Row = Record<string, unknown>;
const idsOf = (records: Record<string, Row[]>, table: string): number[] => (records[table] ?? []).map((row) => Number(row.id));

async function subscriptions(ids: number[]): Promise<Array<{ planCode: string; reporterId: number; accountId: number }>> {
  return (await saas.pool.query('SELECT "planCode", "reporterId", "accountId" FROM subscriptions WHERE id = ANY($1) ORDER BY id', [ids])).rows;
}

describe('Existing rows and shared parents', () => {
  test('When subscriptions connect to existing pro plans, then in PostgreSQL they spread over those plans in key order, no plan row is added, and cleanup with dependents=delete leaves every plan as it was', async () => {
    const before = await tableChecksums(saas.pool);
    const tag = uniqueTag('saas-existing');

    const res = await http(saas.app)
      .post('/graphs')
      .send({ tag, graph: { subscriptions: [{ count: 3, connect: { planCode: { existing: { where: { tier: 'pro' } } } } }] } })
      .expect(201);

    expect(res.body.counts).toEqual({ subscriptions: 3, accounts: 6, members: 3 });
    expect((await subscriptions(idsOf(res.body.records, 'subscriptions'))).map((row) => row.planCode)).toEqual(['pro-monthly', 'pro-yearly', 'pro-monthly']);
    const during = await tableChecksums(saas.pool);
    expect(during.plans).toBe(before.plans);

    await http(saas.app).delete(`/tags/${tag}?dependents=delete`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When parents says plans come from existing rows and members are shared, then three subscriptions take the three plans and one created reporter', async () => {
    const before = await tableChecksums(saas.pool);
    const tag = uniqueTag('saas-parents');

    const res = await http(saas.app)
      .post('/graphs')
      .send({ tag, parents: { plans: 'existing', members: 'shared' }, graph: { subscriptions: [{ count: 3 }] } })
      .expect(201);

    const rows = await subscriptions(idsOf(res.body.records, 'subscriptions'));
    expect(rows.map((row) => row.planCode)).toEqual(['free', 'pro-monthly', 'pro-yearly']);
    expect(new Set(rows.map((row) => row.reporterId)).size).toBe(1);
    expect(idsOf(res.body.records, 'members')).toEqual([rows[0]!.reporterId]);
    // Accounts stay one per row: the subscription's own account, and the reporter's.
    expect(res.body.counts).toEqual({ subscriptions: 3, members: 1, accounts: 4 });

    await http(saas.app).delete(`/tags/${tag}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When a node says parents "shared", then every created parent is one for the node', async () => {
    const before = await tableChecksums(saas.pool);
    const tag = uniqueTag('saas-shared');

    const res = await http(saas.app).post('/graphs').send({ tag, graph: { subscriptions: [{ count: 4, parents: 'shared' }] } }).expect(201);

    const rows = await subscriptions(idsOf(res.body.records, 'subscriptions'));
    expect(new Set(rows.map((row) => row.planCode)).size).toBe(1);
    expect(new Set(rows.map((row) => row.accountId)).size).toBe(1);
    expect(res.body.counts).toEqual({ subscriptions: 4, plans: 1, members: 1, accounts: 2 });

    await http(saas.app).delete(`/tags/${tag}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When nullableKeys is "existing", then a task takes the application\'s project and member, never one another tag created', async () => {
    const before = await tableChecksums(saas.pool);
    const other = uniqueTag('saas-other');
    await http(saas.app).post('/graphs').send({ tag: other, graph: { projects: [{ count: 1 }] } }).expect(201);
    const tag = uniqueTag('saas-nullable-existing');

    const res = await http(saas.app).post('/graphs').send({ tag, nullableKeys: 'existing', graph: { tasks: [{ count: 2 }] } }).expect(201);

    const tasks = await saas.pool.query('SELECT "projectId", "assigneeId" FROM tasks WHERE id = ANY($1) ORDER BY id', [idsOf(res.body.records, 'tasks')]);
    expect(tasks.rows).toEqual([
      { projectId: 1, assigneeId: 1 },
      { projectId: 1, assigneeId: 2 },
    ]);
    expect(res.body.counts).toEqual({ tasks: 2 });

    await http(saas.app).delete(`/tags/${tag}`).expect(200);
    await http(saas.app).delete(`/tags/${other}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When no existing row matches, or parents and connect are malformed, then a 400 names each path and nothing is written', async () => {
    const before = await tableChecksums(saas.pool);

    const none = await http(saas.app)
      .post('/graphs')
      .send({ tag: uniqueTag('saas-none'), graph: { subscriptions: [{ connect: { planCode: { existing: { where: { tier: 'enterprise' } } } } }] } })
      .expect(400);
    expect(none.body.errors).toEqual([{ path: 'graph.subscriptions[0].connect.planCode.existing', message: expect.stringContaining('no existing row of plans matching {"tier":"enterprise"}') }]);

    const bad = await http(saas.app)
      .post('/graphs')
      .send({ tag: uniqueTag('saas-bad'), parents: 'sometimes', graph: { subscriptions: [{ parents: { nowhere: 'existing' }, connect: { planCode: { existing: { where: { colour: 'red' } } } } }] } })
      .expect(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'graph.subscriptions[0].connect.planCode.existing.where.colour',
      'graph.subscriptions[0].parents.nowhere',
      'parents',
    ]);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });
});
