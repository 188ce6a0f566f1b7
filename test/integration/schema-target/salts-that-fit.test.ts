import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * Salts that fit (issue 28, point 3): a salted value fits its column and
 * keeps the rows of one request or import apart (its per-row part survives
 * truncation) on a varchar(10) key under a partial unique index; a
 * varchar(2) unique column, where no salt fits, is a 400 naming the column
 * before anything is written, for graphs and imports alike.
 */
const saas = useTargetApp('saas');

const PROJECTS = { accounts: [{ projects: [{ count: 3, nullableKeys: 'null' }] }] };

async function keysOf(ids: number[]): Promise<string[]> {
  return (await saas.pool.query<{ key: string }>('SELECT key FROM projects WHERE id = ANY($1) ORDER BY id', [ids])).rows.map((row) => row.key);
}

const idsOf = (records: Record<string, Array<{ id: number }>>, table: string): number[] => (records[table] ?? []).map((row) => Number(row.id));

describe('Salts that fit', () => {
  test('When eight suites provision projects with the same seed at once, then every varchar(10) key in PostgreSQL fits and differs', async () => {
    const prefix = uniqueTag('saas-keys10');
    const tags = Array.from({ length: 8 }, (_, index) => `${prefix}-${index}`);

    const answers = await Promise.all(tags.map((tag) => http(saas.app).post('/graphs').send({ tag, seed: 3, graph: PROJECTS }).expect(201)));

    const keys = await keysOf(answers.flatMap((res) => idsOf(res.body.records, 'projects')));
    expect(keys).toHaveLength(24);
    expect(new Set(keys).size).toBe(24);
    expect(keys.every((key) => key.length <= 10)).toBe(true);
    for (const tag of tags) await http(saas.app).delete(`/tags/${tag}`).expect(200);
  });

  test('When a tag of three projects is imported beside itself, then each re-salted key differs from its source and from the others', async () => {
    const before = await tableChecksums(saas.pool);
    const tag = uniqueTag('saas-keys-src');
    const copy = uniqueTag('saas-keys-copy');
    const source = await http(saas.app).post('/graphs').send({ tag, graph: PROJECTS }).expect(201);
    const snapshot = (await http(saas.app).get(`/tags/${tag}/export`).expect(200)).body;

    const res = await http(saas.app).post(`/tags/${copy}/import`).send(snapshot).expect(201);

    const sourceKeys = await keysOf(idsOf(source.body.records, 'projects'));
    const renamed = res.body.uniqueValues['projects.key'] as Record<string, string>;
    expect(Object.keys(renamed).sort()).toEqual([...sourceKeys].sort());
    const inDatabase = await saas.pool.query<{ key: string }>('SELECT key FROM projects WHERE key = ANY($1)', [Object.values(renamed)]);
    expect(inDatabase.rows).toHaveLength(3);
    expect(new Set([...sourceKeys, ...inDatabase.rows.map((row) => row.key)]).size).toBe(6);
    expect(inDatabase.rows.every((row) => row.key.length <= 10)).toBe(true);

    await http(saas.app).delete(`/tags/${copy}`).expect(200);
    await http(saas.app).delete(`/tags/${tag}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When a varchar(2) unique column would be generated, then a 400 names it before anything is written; given in set, the graph is written; its import is a 400 too', async () => {
    const before = await tableChecksums(saas.pool);

    const refused = await http(saas.app).post('/graphs').send({ tag: uniqueTag('saas-code'), graph: { labels: [{ count: 2 }] } }).expect(400);

    expect(refused.body.errors).toEqual([
      { path: 'graph.labels[0].set.code', message: expect.stringMatching(/^labels\.code is character varying\(2\) and unique: a generated value needs \d+ characters .*give the values in set$/) },
    ]);
    expect(await tableChecksums(saas.pool)).toEqual(before);

    const tag = uniqueTag('saas-code-set');
    const given = await http(saas.app).post('/graphs').send({ tag, graph: { labels: [{ set: { code: 'Q7' } }] } }).expect(201);
    expect((await saas.pool.query('SELECT code FROM labels WHERE id = $1', [idsOf(given.body.records, 'labels')[0]])).rows).toEqual([{ code: 'Q7' }]);
    const snapshot = (await http(saas.app).get(`/tags/${tag}/export`).expect(200)).body;
    const during = await tableChecksums(saas.pool);

    const imported = await http(saas.app).post(`/tags/${uniqueTag('saas-code-copy')}/import`).send(snapshot).expect(400);

    expect(imported.body.errors).toEqual([{ path: 'tables.labels.code', message: expect.stringContaining('import with keepUniqueValues') }]);
    expect(await tableChecksums(saas.pool)).toEqual(during);
    await http(saas.app).delete(`/tags/${tag}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });
});
