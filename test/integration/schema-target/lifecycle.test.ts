import type { FixtureName } from '../../fixtures/schemas/fixtures';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { catalogSnapshot, ledgerCounts, tableChecksums } from './support/target-checks';
import { useTargetApp, type TargetApp } from './support/target-app';

type Row = Record<string, any>;

/** Several graphs per sample schema: required parents, connect, set, composite keys, self-references. */
const GRAPHS: Record<FixtureName, object[]> = {
  chinook: [
    { customer: [{ count: 2, set: { country: 'Germany' }, invoice: [{ count: 2, invoice_line: [{ count: 2 }] }] }] },
    { genre: [{ as: 'jazz' }], playlist: [{ as: 'mix', playlist_track: [{ count: 3 }] }], track: [{ count: 2, connect: { genre_id: { ref: 'jazz' } } }] },
    { employee: [{ as: 'boss', 'employee.reports_to': [{ count: 2, customer: [{ count: 1 }] }] }], artist: [{ album: [{ count: 2, track: [{ count: 2 }] }] }] },
    // 100 rows and more per node take the array (unnest) path.
    { invoice: [{ count: 150, invoice_line: [{ count: 1 }] }] },
  ],
  pagila: [
    { film: [{ set: { rating: 'PG-13', release_year: 2001, special_features: ['Trailers'] }, film_actor: [{ count: 2 }], film_category: [{ count: 1 }] }] },
    { customer: [{ count: 2, rental: [{ count: 2, payment: [{ count: 1 }] }] }] },
    { actor: [{ count: 3, as: 'cast' }], film: [{ as: 'feature', film_actor: [{ count: 3, connect: { actor_id: { ref: 'cast' } } }] }] },
    { customer: [{ count: 120 }], payment: [{ count: 110 }] },
  ],
  northwind: [
    { customers: [{ count: 2, orders: [{ count: 2, order_details: [{ count: 2 }] }] }] },
    { employees: [{ as: 'lead', 'employees.reports_to': [{ count: 2, employee_territories: [{ count: 2 }] }] }] },
    { categories: [{ count: 1, products: [{ count: 3 }] }], customers: [{ customer_customer_demo: [{ count: 1 }] }] },
    { region: [{ territories: [{ count: 120 }] }], products: [{ count: 130 }] },
  ],
  trust: [
    { customer: [{ count: 2 }], country_ref: [{ count: 2 }], daily: [{ set: { day: '2031-03-04', amount: 1 } }] },
    { node: [{ as: 'root', count: 1 }, { count: 2, connect: { parent_id: { ref: 'root' } } }], city: [{ count: 2 }] },
    { employee: [{ count: 3 }] },
    { customer: [{ count: 120 }] },
  ],
  conduit: [
    { users: [{ as: 'author', articles: [{ count: 2, comments: [{ count: 2, connect: { authorId: { ref: 'author' } } }] }] }] },
    { users: [{ as: 'fan', favorites: [{ count: 1 }] }], tags: [{ count: 2 }] },
    { users: [{ count: 120 }] },
  ],
  saas: [{ accounts: [{ count: 2, members: [{ count: 3 }] }] }, { members: [{ count: 120 }] }],
};

async function rowsExist(target: TargetApp, table: string, keyColumns: string[], rows: Row[]): Promise<number> {
  const keys = JSON.stringify(rows.map((row) => keyColumns.map((column) => String(row[column]))));
  const result = await target.pool.query(
    `SELECT count(*)::int AS n FROM public."${table}" t WHERE (${keyColumns.map((column) => `t."${column}"::text`).join(', ')}) IN
       (SELECT ${keyColumns.map((_, index) => `x->>${index}`).join(', ')} FROM jsonb_array_elements($1::jsonb) x)`,
    [keys],
  );
  return result.rows[0].n;
}

describe.each(Object.keys(GRAPHS) as FixtureName[])('A graph lifecycle on %s', (fixture) => {
  const target = useTargetApp(fixture);

  test('When several graphs are provisioned and the tag is deleted, then every row existed with its keys, and afterwards every pre-existing row and the catalog are as before', async () => {
    const schema = (await http(target.app).get('/schema').expect(200)).body as { tables: Array<{ name: string; primaryKey: string[]; foreignKeys: Array<{ columns: string[]; references: string; referencedColumns: string[] }> }> };
    const primaryKey = new Map(schema.tables.map((table) => [table.name, table.primaryKey]));
    const checksums = await tableChecksums(target.pool);
    const catalog = await catalogSnapshot(target.pool);
    const tag = uniqueTag(fixture);

    const expected: Record<string, number> = {};
    for (const [position, graph] of GRAPHS[fixture].entries()) {
      const res = await http(target.app).post('/graphs').send({ tag, seed: position, graph }).expect(201);
      for (const [table, n] of Object.entries(res.body.counts as Record<string, number>)) {
        expected[table] = (expected[table] ?? 0) + n;
        // Each answered row is in PostgreSQL, found by its primary key.
        expect({ table, stored: await rowsExist(target, table, primaryKey.get(table)!, res.body.records[table]) }).toEqual({ table, stored: n });
      }
    }
    expect(await ledgerCounts(target.pool, tag)).toEqual(Object.fromEntries(Object.entries(expected).sort(([a], [b]) => a.localeCompare(b))));
    // Every foreign key of every table holds in PostgreSQL: no row points at a missing parent.
    for (const table of schema.tables) {
      for (const fk of table.foreignKeys) {
        const join = fk.columns.map((column, index) => `p."${fk.referencedColumns[index]}" = c."${column}"`).join(' AND ');
        const orphans = await target.pool.query(
          `SELECT count(*)::int AS n FROM public."${table.name}" c WHERE ${fk.columns.map((column) => `c."${column}" IS NOT NULL`).join(' AND ')}
             AND NOT EXISTS (SELECT 1 FROM ${fk.references} p WHERE ${join})`,
        );
        expect({ fk: `${table.name}.${fk.columns.join(',')}`, orphans: orphans.rows[0].n }).toEqual({ fk: `${table.name}.${fk.columns.join(',')}`, orphans: 0 });
      }
    }

    const detail = await http(target.app).get(`/tags/${tag}?include=ids`).expect(200);
    expect(detail.body.counts).toEqual(expected);
    expect(Object.fromEntries(Object.entries(detail.body.ids as Record<string, string[]>).map(([table, ids]) => [table, ids.length]))).toEqual(expected);
    const listed = await http(target.app).get(`/tags?prefix=${tag}`).expect(200);
    expect(listed.body.tags.map((entry: { tag: string; total: number }) => [entry.tag, entry.total])).toEqual([[tag, Object.values(expected).reduce((sum, n) => sum + n, 0)]]);

    const removed = await http(target.app).delete(`/tags/${tag}`).expect(200);

    expect(removed.body).toEqual({ tag, deleted: expected, total: Object.values(expected).reduce((sum, n) => sum + n, 0) });
    expect(await tableChecksums(target.pool)).toEqual(checksums);
    expect(await catalogSnapshot(target.pool)).toEqual(catalog);
    expect(await ledgerCounts(target.pool, tag)).toEqual({});
    const registered = await target.pool.query('SELECT 1 FROM testapi.test_tags WHERE tag = $1', [tag]);
    expect(registered.rowCount).toBe(0);
  });
});
