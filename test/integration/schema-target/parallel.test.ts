import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

const chinook = useTargetApp('chinook', { DB_POOL_SIZE: '8' });

const MIXED_GRAPHS: object[] = [
  { customer: [{ count: 2, invoice: [{ count: 2, invoice_line: [{ count: 2 }] }] }] },
  { genre: [{ as: 'g' }], track: [{ count: 3, connect: { genre_id: { ref: 'g' } } }] },
  { employee: [{ as: 'boss', 'employee.reports_to': [{ count: 2 }] }] },
  { artist: [{ album: [{ count: 2, track: [{ count: 1, playlist_track: [{ count: 1 }] }] }] }] },
];
const WORKERS = 24;

describe('POST /graphs and DELETE /tags in parallel on Chinook', () => {
  test(`When ${WORKERS} workers each provision mixed graphs and delete their tag, then no request fails and nothing is left`, async () => {
    const before = await tableChecksums(chinook.pool);
    const tags = Array.from({ length: WORKERS }, (_, worker) => uniqueTag(`par${worker}`));

    const statuses = await Promise.all(
      tags.map(async (tag, worker) => {
        const seen: number[] = [];
        for (let round = 0; round < 2; round += 1) {
          const graph = MIXED_GRAPHS[(worker + round) % MIXED_GRAPHS.length];
          seen.push((await http(chinook.app).post('/graphs').send({ tag, seed: worker, graph })).status);
        }
        seen.push((await http(chinook.app).delete(`/tags/${tag}`)).status);
        return seen;
      }),
    );

    expect(statuses.flat().filter((status) => status >= 300)).toEqual([]);
    expect(await tableChecksums(chinook.pool)).toEqual(before);
    const leftovers = await chinook.pool.query('SELECT count(*)::int AS n FROM testapi.testapi_row_ledger WHERE tag = ANY($1)', [tags]);
    expect(leftovers.rows[0].n).toBe(0);
    const registered = await chinook.pool.query('SELECT count(*)::int AS n FROM testapi.test_tags WHERE tag = ANY($1)', [tags]);
    expect(registered.rows[0].n).toBe(0);
  });
});
