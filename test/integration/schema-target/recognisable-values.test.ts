import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { slugify } from '../../../src/graphs/derived-slugs';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * Values people recognise (issue 28, point 8): a slug made from its row's
 * name, URL columns as URLs on reserved domains, text keys as words, and
 * columns with a list of values and a constant default varied across rows
 * (never a state that looks ended).
 */
const saas = useTargetApp('saas');

describe('Values people recognise', () => {
  test('When accounts, tasks and topics are provisioned, then in PostgreSQL slugs follow names, URLs are on reserved domains, keys read as words, and status and priority vary without archived', async () => {
    const before = await tableChecksums(saas.pool);
    const tag = uniqueTag('saas-values');

    const res = await http(saas.app)
      .post('/graphs')
      .send({ tag, seed: 8, graph: { accounts: [{ count: 3, projects: [{ count: 1, tasks: [{ count: 40 }] }] }], topics: [{ count: 3 }] } })
      .expect(201);

    const ids = (table: string): unknown[] => (res.body.records[table] as Array<Record<string, unknown>>).map((row) => row.id ?? row.name);
    const accounts = await saas.pool.query<{ name: string; slug: string }>('SELECT name, slug FROM accounts WHERE id = ANY($1)', [ids('accounts')]);
    for (const row of accounts.rows) expect(row.slug.startsWith(slugify(row.name).slice(0, 20))).toBe(true);
    const tasks = await saas.pool.query<{ status: string; priority: number }>('SELECT status, priority FROM tasks WHERE id = ANY($1)', [ids('tasks')]);
    expect(tasks.rows).toHaveLength(120);
    const statuses = new Set(tasks.rows.map((row) => row.status));
    expect(statuses.size).toBeGreaterThan(1);
    expect(statuses.has('archived')).toBe(false);
    const priorities = new Set(tasks.rows.map((row) => row.priority));
    expect(priorities.size).toBeGreaterThan(1);
    expect([...priorities].every((priority) => priority >= 1 && priority <= 5)).toBe(true);
    const topics = await saas.pool.query<{ name: string; logoUrl: string; website: string }>('SELECT name, "logoUrl", website FROM topics WHERE name = ANY($1)', [ids('topics')]);
    expect(topics.rows).toHaveLength(3);
    for (const row of topics.rows) {
      expect(row.name).toMatch(/^[a-z]+-[a-z0-9]{6}$/);
      expect(row.logoUrl).toMatch(/^https:\/\/[a-z0-9-]+\.example\.com\//);
      expect(row.website).toMatch(/^https:\/\/[a-z0-9-]+\.example\.com\//);
    }

    await http(saas.app).delete(`/tags/${tag}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When GET /schema describes a listed column with a constant default, then it says the values vary and the default is taken only from set', async () => {
    const res = await http(saas.app).get('/schema?table=tasks').expect(200);
    const columns = (res.body.tables[0].columns as Array<{ name: string; generator: { kind: string; reason: string } }>).filter((column) => ['status', 'priority'].includes(column.name));
    expect(columns.map((column) => column.generator.kind).sort()).toEqual(['allowed', 'integer']);
    for (const column of columns) expect(column.generator.reason).toContain('varied across rows');
  });

  test('When set gives the status, then every row takes it', async () => {
    const tag = uniqueTag('saas-status');
    const res = await http(saas.app).post('/graphs').send({ tag, graph: { tasks: [{ count: 5, set: { status: 'todo' } }] } }).expect(201);
    const rows = await saas.pool.query<{ status: string }>('SELECT DISTINCT status FROM tasks WHERE id = ANY($1)', [(res.body.records.tasks as Array<{ id: number }>).map((row) => row.id)]);
    expect(rows.rows).toEqual([{ status: 'todo' }]);
    await http(saas.app).delete(`/tags/${tag}`).expect(200);
  });
});
