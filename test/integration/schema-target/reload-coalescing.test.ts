import { http } from '../../support/http';
import { useTargetApp } from './support/target-app';

/**
 * Reload storms (issue 26, item 6): concurrent POST /schema/reload share
 * one read of the catalog instead of running one after another. Each read
 * is counted in PostgreSQL (testapi_reload_generation goes up by one per
 * reload that read and announced), so the count shows how many ran.
 */
const chinook = useTargetApp('chinook');

async function generation(): Promise<number> {
  return Number((await chinook.pool.query<{ generation: string }>('SELECT generation FROM testapi.testapi_reload_generation')).rows[0]!.generation);
}

describe('Concurrent POST /schema/reload', () => {
  test('When five reloads are asked at once, then all five answer the model and at most two reads ran', async () => {
    const before = await generation();

    const answers = await Promise.all(Array.from({ length: 5 }, () => http(chinook.app).post('/schema/reload')));

    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    for (const res of answers) expect(res.body.tables.map((table: { key: string }) => table.key)).toContain('public.invoice');
    const reads = (await generation()) - before;
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(2);
    // Callers that shared a read got the same model, down to when it was read.
    expect(new Set(answers.map((res) => res.body.loadedAt)).size).toBe(reads);
  });

  test('When a table is created and then reloads are asked one after another, then each reads again and the new table is in the model', async () => {
    const before = await generation();
    await chinook.pool.query('CREATE TABLE reload_probe (id serial PRIMARY KEY, note text NOT NULL)');
    try {
      const first = await http(chinook.app).post('/schema/reload').expect(200);
      const second = await http(chinook.app).post('/schema/reload').expect(200);

      expect((await generation()) - before).toBe(2);
      expect(first.body.tables.map((table: { key: string }) => table.key)).toContain('public.reload_probe');
      expect(second.body.loadedAt).not.toBe(first.body.loadedAt);
    } finally {
      await chinook.pool.query('DROP TABLE reload_probe');
      await http(chinook.app).post('/schema/reload').expect(200);
    }
  });
});
