import type { FixtureName } from '../../fixtures/schemas/fixtures';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { ledgerCounts } from '../schema-target/support/target-checks';
import { useTargetApp } from '../schema-target/support/target-app';
import { keysOf, ledgerRowsPresent, normalise, referencesOutside, type Snapshot } from './support/snapshot-checks';

/**
 * Composite keys of two foreign keys (film_actor, order_details), integer keys
 * without a sequence and text keys (Northwind), enums, arrays and a tsvector
 * filled by a trigger (Pagila): an export imported under a new tag is the same
 * graph with keys of its own.
 */
const GRAPHS: Partial<Record<FixtureName, object>> = {
  pagila: {
    film: [{ set: { rating: 'PG-13', release_year: 2001, special_features: ['Trailers', 'Deleted Scenes'] }, film_actor: [{ count: 2 }], film_category: [{ count: 1 }] }],
    customer: [{ count: 2, rental: [{ count: 2, payment: [{ count: 1 }] }] }],
    // 100 rows and more of a table go through one array parameter per column.
    actor: [{ count: 110 }],
  },
  northwind: {
    customers: [{ count: 2, orders: [{ count: 2, order_details: [{ count: 2 }] }], customer_customer_demo: [{ count: 1 }] }],
    employees: [{ as: 'lead', 'employees.reports_to': [{ count: 2, employee_territories: [{ count: 1 }] }] }],
  },
};

describe.each(Object.keys(GRAPHS) as FixtureName[])('Snapshots on %s', (fixture) => {
  const target = useTargetApp(fixture);

  test('When a tag is exported and imported under a new tag, then counts are equal, no key is shared, every key points inside the new tag, and deleting the original leaves the copy whole', async () => {
    const original = uniqueTag(`${fixture}-a`);
    const copy = uniqueTag(`${fixture}-b`);
    await http(target.app).post('/graphs').send({ tag: original, seed: 5, graph: GRAPHS[fixture] }).expect(201);
    const snapshot = (await http(target.app).get(`/tags/${original}/export`).expect(200)).body as Snapshot;

    const res = await http(target.app).post(`/tags/${copy}/import`).send(snapshot).expect(201);

    const counts = await ledgerCounts(target.pool, copy);
    expect(res.body.counts).toEqual(counts);
    expect(counts).toEqual(await ledgerCounts(target.pool, original));
    const imported = (await http(target.app).get(`/tags/${copy}/export`).expect(200)).body as Snapshot;
    const before = keysOf(snapshot);
    for (const [table, keys] of keysOf(imported)) expect({ table, shared: [...keys].filter((key) => before.get(table)!.has(key)) }).toEqual({ table, shared: [] });
    expect(referencesOutside(imported, snapshot)).toEqual([]);
    expect(normalise(imported, res.body.uniqueValues)).toEqual(normalise(snapshot));

    await http(target.app).delete(`/tags/${original}`).expect(200);
    const tables = snapshot.tables.map((table) => table.table);
    expect(await ledgerRowsPresent(target.pool, copy, tables)).toEqual(counts);
    await http(target.app).delete(`/tags/${copy}`).expect(200);
    expect(await ledgerCounts(target.pool, copy)).toEqual({});
  });
});
