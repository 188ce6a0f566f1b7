import type { AddressInfo } from 'node:net';
import { createTestApi } from '@testapi/client';
import { contractFetch } from '../../support/contract-fetch';
import { http } from '../../support/http';
import { useTargetApp } from './support/target-app';

/**
 * GET /schema on a large schema is megabytes (a 2,000-table one was 8.2 MB,
 * issue 26 item 6): a summary of one line per table, and one table's model.
 */
const chinook = useTargetApp('chinook');

interface SchemaTableBody {
  key: string;
  label: string;
  columns: unknown[];
  foreignKeys: unknown[];
  provisionable: boolean;
  reason: string | null;
}

describe('GET /schema ?format=summary and ?table=', () => {
  test('When the summary is asked for, then every table of the model is one line with its counts, in a fraction of the full document', async () => {
    const full = await http(chinook.app).get('/schema').expect(200);
    const summary = await http(chinook.app).get('/schema?format=summary').expect(200);

    const tables = full.body.tables as SchemaTableBody[];
    expect(summary.body).toMatchObject({ mode: 'target', schemas: ['public'], format: 'summary', loadedAt: full.body.loadedAt });
    expect(summary.body.tables).toEqual(
      tables.map((table) => ({ key: table.key, label: table.label, columns: table.columns.length, foreignKeys: table.foreignKeys.length, provisionable: table.provisionable, reason: table.reason })),
    );
    expect(summary.text.length * 5).toBeLessThan(full.text.length);

    // The client's schemaSummary() is the same document.
    const server = chinook.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const api = createTestApi({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, fetch: contractFetch() });
      expect(await api.schemaSummary()).toEqual(summary.body);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('When one table is asked for by key or by label, then the answer is the full model of that table only', async () => {
    const full = await http(chinook.app).get('/schema').expect(200);
    const album = (full.body.tables as SchemaTableBody[]).find((table) => table.key === 'public.album')!;

    for (const name of ['public.album', album.label]) {
      const one = await http(chinook.app).get(`/schema?table=${encodeURIComponent(name)}`).expect(200);
      expect(one.body).toEqual({ ...full.body, tables: [album] });
    }
  });

  test.each([
    ['table=public.nope', 'table'],
    ['format=xml', 'format'],
    ['format=summary&format=full', 'format'],
    ['table=a&table=b', 'table'],
  ])('When GET /schema?%s, then the answer is a 400 naming %s', async (query, field) => {
    const res = await http(chinook.app).get(`/schema?${query}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((error: { path: string }) => error.path)).toEqual([field]);
  });
});
