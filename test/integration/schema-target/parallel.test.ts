import type { FixtureName } from '../../fixtures/schemas/fixtures';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/** Chinook's keys come from sequences; Northwind's are allocated by testapi (smallint and text keys without defaults). */
const MIXED_GRAPHS: Partial<Record<FixtureName, object[]>> = {
  chinook: [
    { customer: [{ count: 2, invoice: [{ count: 2, invoice_line: [{ count: 2 }] }] }] },
    { genre: [{ as: 'g' }], track: [{ count: 3, connect: { genre_id: { ref: 'g' } } }] },
    { employee: [{ as: 'boss', 'employee.reports_to': [{ count: 2 }] }] },
    { artist: [{ album: [{ count: 2, track: [{ count: 1, playlist_track: [{ count: 1 }] }] }] }] },
  ],
  northwind: [
    { customers: [{ count: 2, orders: [{ count: 2, order_details: [{ count: 2 }] }] }] },
    { employees: [{ as: 'lead', 'employees.reports_to': [{ count: 2, employee_territories: [{ count: 1 }] }] }] },
    { categories: [{ products: [{ count: 3 }] }] },
    { region: [{ territories: [{ count: 2 }] }], shippers: [{ orders: [{ count: 1 }] }] },
  ],
};
const WORKERS = 24;

describe.each(Object.keys(MIXED_GRAPHS) as FixtureName[])('POST /graphs and DELETE /tags in parallel on %s', (fixture) => {
  const target = useTargetApp(fixture, { DB_POOL_SIZE: '8' });

  test(`When ${WORKERS} workers each provision mixed graphs and delete their tag, then no request fails and nothing is left`, async () => {
    const graphs = MIXED_GRAPHS[fixture]!;
    const before = await tableChecksums(target.pool);
    const tags = Array.from({ length: WORKERS }, (_, worker) => uniqueTag(`par${worker}`));

    const answers = await Promise.all(
      tags.map(async (tag, worker) => {
        const seen: Array<{ status: number; body: unknown }> = [];
        for (let round = 0; round < 2; round += 1) {
          const graph = graphs[(worker + round) % graphs.length];
          const res = await http(target.app).post('/graphs').send({ tag, seed: worker, graph });
          seen.push({ status: res.status, body: res.body });
        }
        const removed = await http(target.app).delete(`/tags/${tag}`);
        seen.push({ status: removed.status, body: removed.body });
        return seen;
      }),
    );

    expect(answers.flat().filter((answer) => answer.status >= 300)).toEqual([]);
    expect(await tableChecksums(target.pool)).toEqual(before);
    const leftovers = await target.pool.query('SELECT count(*)::int AS n FROM testapi.testapi_row_ledger WHERE tag = ANY($1)', [tags]);
    expect(leftovers.rows[0].n).toBe(0);
    const registered = await target.pool.query('SELECT count(*)::int AS n FROM testapi.test_tags WHERE tag = ANY($1)', [tags]);
    expect(registered.rows[0].n).toBe(0);
  });
});
