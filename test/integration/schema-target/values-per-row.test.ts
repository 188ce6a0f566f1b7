import bcrypt from 'bcryptjs';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * Values per row in set (issue 29, point 1): a template with the row's
 * number and the request's salt, a cycle, a weighted choice from the seed,
 * a bcrypt hash the application's bcrypt.compare accepts. Each value is
 * checked like a constant before anything is written.
 */
const saas = useTargetApp('saas');

const idsOf = (records: Record<string, Array<{ id: number }>>, table: string): number[] => records[table]!.map((row) => Number(row.id));

describe('Values per row', () => {
  test('When members are set with a template, a cycle and a bcrypt password, then in PostgreSQL each row has its own value and the hash verifies', async () => {
    const before = await tableChecksums(saas.pool);
    const tag = uniqueTag('saas-per-row');

    const res = await http(saas.app)
      .post('/graphs')
      .send({
        tag,
        seed: 4,
        graph: {
          accounts: [
            {
              members: [{ count: 3, set: { display_name: { template: 'user-{n}' }, email: { template: 'user-{n}.{salt}@example.org' }, username: { oneOf: ['ann', 'bob'] }, password_hash: { bcrypt: 'testpass123', cost: 4 } } }],
            },
          ],
        },
      })
      .expect(201);

    const rows = await saas.pool.query<{ username: string; email: string; display_name: string; password_hash: string }>('SELECT username, email, display_name, password_hash FROM members WHERE id = ANY($1) ORDER BY id', [
      idsOf(res.body.records, 'members'),
    ]);
    expect(rows.rows.map((row) => row.display_name)).toEqual(['user-1', 'user-2', 'user-3']);
    expect(rows.rows.map((row) => row.username)).toEqual(['ann', 'bob', 'ann']);
    expect(rows.rows.every((row, index) => new RegExp(`^user-${index + 1}\\.[a-z0-9]+@example\\.org$`).test(row.email))).toBe(true);
    expect(new Set(rows.rows.map((row) => row.email.split('.')[1])).size).toBe(1);
    for (const row of rows.rows) expect(await bcrypt.compare('testpass123', row.password_hash)).toBe(true);
    expect(await bcrypt.compare('wrong', rows.rows[0]!.password_hash)).toBe(false);

    await http(saas.app).delete(`/tags/${tag}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When tasks are set with weights, then the draw follows the seed: the same seed gives the same statuses, and only the weighted values appear', async () => {
    const send = async (): Promise<string[]> => {
      const tag = uniqueTag('saas-weights');
      const res = await http(saas.app).post('/graphs').send({ tag, seed: 21, graph: { tasks: [{ count: 40, set: { status: { weights: { todo: 3, done: 1 } }, priority: { oneOf: [1, 5] } } }] } }).expect(201);
      const rows = await saas.pool.query<{ status: string; priority: number }>('SELECT status, priority FROM tasks WHERE id = ANY($1) ORDER BY id', [idsOf(res.body.records, 'tasks')]);
      await http(saas.app).delete(`/tags/${tag}`).expect(200);
      expect(rows.rows.map((row) => row.priority).slice(0, 4)).toEqual([1, 5, 1, 5]);
      return rows.rows.map((row) => row.status);
    };

    const first = await send();
    const second = await send();

    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['todo', 'done']));
    expect(first.filter((status) => status === 'todo').length).toBeGreaterThan(first.filter((status) => status === 'done').length);
  });

  test('When a cycle has fewer values than rows on a unique column, then the 409 says the request collides with itself', async () => {
    const res = await http(saas.app)
      .post('/graphs')
      .send({ tag: uniqueTag('saas-per-row-dup'), graph: { accounts: [{ members: [{ count: 3, set: { display_name: { oneOf: ['Ann', 'Bob'] } } }] }] } })
      .expect(409);
    expect(res.body).toMatchObject({ constraint: 'members_display_name_idx', collision: 'within-request' });
  });

  test('When a per-row value breaks the column, then a 400 names the set path and nothing is written', async () => {
    const before = await tableChecksums(saas.pool);

    const res = await http(saas.app)
      .post('/graphs')
      .send({
        tag: uniqueTag('saas-per-row-bad'),
        graph: { tasks: [{ count: 2, set: { status: { oneOf: ['todo', 'later'] }, priority: { weights: { 9: 1 } }, title: { template: 'x'.repeat(199) + '{n}{n}' }, assigneeId: { bcrypt: '' } } }] },
      })
      .expect(400);

    expect(res.body.errors.map((error: { path: string; message: string }) => [error.path, error.message])).toEqual(
      expect.arrayContaining([
        ['graph.tasks[0].set.status', expect.stringContaining('oneOf: status must be one of todo, doing, done, archived')],
        ['graph.tasks[0].set.priority', expect.stringContaining('weights: priority must be at most 5')],
        ['graph.tasks[0].set.title', 'title holds at most 200 characters'],
        ['graph.tasks[0].set.assigneeId', expect.stringContaining('bcrypt takes the password')],
      ]),
    );
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });
});
