import request from 'supertest';
import { uniqueTag } from '../../support/database';
import { assertMatchesContract } from '../../support/contract';
import { http } from '../../support/http';
import { ledgerCounts } from '../schema-target/support/target-checks';
import { useTargetApp } from '../schema-target/support/target-app';
import { keysOf, ledgerRowsPresent, normalise, referencesOutside, type Snapshot } from './support/snapshot-checks';

const chinook = useTargetApp('chinook');

/** A graph touching every shape Chinook has: serial keys, a self-reference, a composite key of two foreign keys, a reference to an existing row. */
async function provision(tag: string): Promise<void> {
  await http(chinook.app)
    .post('/graphs')
    .send({
      tag,
      seed: 11,
      graph: {
        customer: [{ count: 2, invoice: [{ count: 2, invoice_line: [{ count: 2 }] }] }],
        employee: [{ as: 'boss', 'employee.reports_to': [{ count: 2 }] }],
        playlist: [{ playlist_track: [{ count: 2 }] }],
        track: [{ count: 1, set: { genre_id: 1 } }],
      },
    })
    .expect(201);
}

async function exportOf(tag: string): Promise<Snapshot> {
  const res = await http(chinook.app).get(`/tags/${tag}/export`).expect(200);
  return res.body as Snapshot;
}

describe('GET /tags/{tag}/export and POST /tags/{tag}/import on Chinook', () => {
  test('When a tag is exported and imported under a new tag, then counts are equal, no key is shared, every key points inside the new tag, and the copy exports as the original', async () => {
    const original = uniqueTag('snap-a');
    const copy = uniqueTag('snap-b');
    await provision(original);

    const snapshot = await exportOf(original);
    expect(snapshot).toMatchObject({ format: 'testapi.snapshot', formatVersion: 1, tag: original, model: { fingerprint: expect.stringMatching(/^sha256:/) } });
    // Parents first: an invoice after its customer, a line after its invoice and track.
    const order = snapshot.tables.map((table) => table.table);
    expect(order.indexOf('public.customer')).toBeLessThan(order.indexOf('public.invoice'));
    expect(order.indexOf('public.invoice')).toBeLessThan(order.indexOf('public.invoice_line'));
    expect(order.indexOf('public.track')).toBeLessThan(order.indexOf('public.invoice_line'));
    expect(Object.fromEntries(snapshot.tables.map((table) => [table.table.replace('public.', ''), table.data.length]))).toEqual(await ledgerCounts(chinook.pool, original));

    const res = await http(chinook.app).post(`/tags/${copy}/import`).send(snapshot).expect(201);

    const counts = await ledgerCounts(chinook.pool, copy);
    expect(res.body.counts).toEqual(counts);
    expect(counts).toEqual(await ledgerCounts(chinook.pool, original));
    expect(await ledgerRowsPresent(chinook.pool, copy, order)).toEqual(counts);
    const imported = await exportOf(copy);
    const before = keysOf(snapshot);
    for (const [table, keys] of keysOf(imported)) expect([...keys].filter((key) => before.get(table)!.has(key))).toEqual([]);
    expect(referencesOutside(imported, snapshot)).toEqual([]);
    // The track that referenced the existing genre 1 still does.
    expect(imported.tables.find((table) => table.table === 'public.track')!.data.filter((row) => row.genre_id === 1)).toHaveLength(1);
    expect(normalise(imported, res.body.uniqueValues)).toEqual(normalise(snapshot));
    // Sequences moved on: the new keys are above every old one.
    const maxima = await chinook.pool.query("SELECT last_value FROM customer_customer_id_seq");
    expect(Number(maxima.rows[0].last_value)).toBeGreaterThanOrEqual(Math.max(...imported.tables.find((t) => t.table === 'public.customer')!.data.map((row) => Number(row.customer_id))));

    // Deleting one tag leaves the other whole.
    await http(chinook.app).delete(`/tags/${original}`).expect(200);
    expect(await ledgerRowsPresent(chinook.pool, copy, order)).toEqual(counts);
    expect(normalise(await exportOf(copy), res.body.uniqueValues)).toEqual(normalise(snapshot));
    await http(chinook.app).delete(`/tags/${copy}`).expect(200);
    expect(await ledgerCounts(chinook.pool, copy)).toEqual({});
  });

  test('When one snapshot is imported under two tags at once, then both succeed with keys of their own', async () => {
    const original = uniqueTag('snap-par');
    await provision(original);
    const snapshot = await exportOf(original);
    const tags = [uniqueTag('par-1'), uniqueTag('par-2')];

    const replies = await Promise.all(tags.map((tag) => http(chinook.app).post(`/tags/${tag}/import`).send(snapshot)));

    expect(replies.map((reply) => reply.status)).toEqual([201, 201]);
    const [first, second] = await Promise.all(tags.map((tag) => exportOf(tag)));
    for (const [table, keys] of keysOf(first!)) {
      expect([...keys].filter((key) => keysOf(second!).get(table)!.has(key) || keysOf(snapshot).get(table)!.has(key))).toEqual([]);
    }
    // Equal to the snapshot once each import's re-salted unique values (e-mails, unique by inference) are mapped back.
    expect(normalise(first!, replies[0]!.body.uniqueValues)).toEqual(normalise(snapshot));
    expect(normalise(second!, replies[1]!.body.uniqueValues)).toEqual(normalise(snapshot));
  });

  test('When the snapshot is streamed as NDJSON both ways, then the copy equals the original', async () => {
    const original = uniqueTag('snap-nd');
    const copy = uniqueTag('snap-nd2');
    await provision(original);
    const exported = await request(chinook.app)
      .get(`/tags/${original}/export`)
      .set('Accept', 'application/x-ndjson')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      })
      .expect(200);
    assertMatchesContract({ method: 'get', url: `/tags/${original}/export`, status: exported.status, contentType: exported.headers['content-type'], body: exported.body });
    const lines = (exported.body as string).trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'testapi.snapshot', formatVersion: 1 });
    expect(lines).toHaveLength(1 + Object.values(await ledgerCounts(chinook.pool, original)).reduce((sum, n) => sum + n, 0));

    const res = await request(chinook.app).post(`/tags/${copy}/import`).set('Content-Type', 'application/x-ndjson').send(exported.body as string).expect(201);
    assertMatchesContract({ method: 'post', url: `/tags/${copy}/import`, status: res.status, contentType: res.headers['content-type'], body: res.body });

    expect(await ledgerCounts(chinook.pool, copy)).toEqual(await ledgerCounts(chinook.pool, original));
    expect(normalise(await exportOf(copy), res.body.uniqueValues)).toEqual(normalise(await exportOf(original)));
  });

  test('When formatVersion is 999, then 422 and nothing is written', async () => {
    const original = uniqueTag('snap-v');
    await provision(original);
    const snapshot = await exportOf(original);
    const tag = uniqueTag('snap-999');

    const res = await http(chinook.app).post(`/tags/${tag}/import`).send({ ...snapshot, formatVersion: 999 }).expect(422);

    expect(res.body).toMatchObject({ type: 'urn:testapi:problem:unsupported-snapshot-version', formatVersion: 999 });
    expect(await ledgerCounts(chinook.pool, tag)).toEqual({});
    expect((await chinook.pool.query('SELECT 1 FROM testapi.test_tags WHERE tag = $1', [tag])).rowCount).toBe(0);
  });

  test('When a row references a row in neither the snapshot nor the database, then 422 names the table and nothing is written', async () => {
    const original = uniqueTag('snap-ref');
    await provision(original);
    const snapshot = await exportOf(original);
    const broken = { ...snapshot, tables: snapshot.tables.filter((table) => table.table !== 'public.customer').map((table) => (table.table === 'public.invoice' ? { ...table, data: table.data.map((row) => ({ ...row, customer_id: 2_000_000_000 })) } : table)) };
    const tag = uniqueTag('snap-ref2');

    const res = await http(chinook.app).post(`/tags/${tag}/import`).send(broken).expect(422);

    expect(res.body).toMatchObject({ type: 'urn:testapi:problem:snapshot-reference-missing', table: 'invoice', column: 'customer_id' });
    expect(await ledgerCounts(chinook.pool, tag)).toEqual({});
  });

  test('When the snapshot is of an older model, then an additive difference imports and anything else is a 422 naming table and column', async () => {
    const original = uniqueTag('snap-old');
    await provision(original);
    const snapshot = await exportOf(original);
    // Older model: track had no composer column (a nullable column added since), and no playlist tables.
    const older = {
      ...snapshot,
      tables: snapshot.tables
        .filter((table) => !table.table.startsWith('public.playlist'))
        .map((table) =>
          table.table === 'public.track'
            ? { ...table, columns: table.columns.filter((column) => column.name !== 'composer'), data: table.data.map(({ composer: _c, ...row }) => row) }
            : table,
        ),
    };
    const tag = uniqueTag('snap-old2');
    const res = await http(chinook.app).post(`/tags/${tag}/import`).send(older).expect(201);
    expect(res.body.counts.track).toBe(snapshot.tables.find((table) => table.table === 'public.track')!.data.length);
    const composers = await chinook.pool.query(
      `SELECT count(*)::int AS n FROM track t JOIN testapi.testapi_row_ledger l ON l.tag = $1 AND l.table_name = 'public.track' AND l.pk = jsonb_build_array(t.track_id::text) WHERE t.composer IS NOT NULL`,
      [tag],
    );
    expect(composers.rows[0].n).toBe(0);

    const retyped = { ...snapshot, tables: snapshot.tables.map((table) => (table.table === 'public.invoice' ? { ...table, columns: table.columns.map((column) => (column.name === 'total' ? { ...column, type: 'text' } : column)) } : table)) };
    const refused = await http(chinook.app).post(`/tags/${uniqueTag('snap-old3')}/import`).send(retyped).expect(422);
    expect(refused.body).toMatchObject({ type: 'urn:testapi:problem:snapshot-incompatible', table: 'invoice', column: 'total' });

    const gone = { ...snapshot, tables: snapshot.tables.map((table) => (table.table === 'public.artist' || table.table === 'public.genre' ? table : table.table === 'public.customer' ? { ...table, columns: [...table.columns, { name: 'loyalty', type: 'integer', nullable: true }] } : table)) };
    const missing = await http(chinook.app).post(`/tags/${uniqueTag('snap-old4')}/import`).send(gone).expect(422);
    expect(missing.body).toMatchObject({ table: 'customer', column: 'loyalty' });
  });

  test('When the body is not a snapshot, then 400 names the field; an unknown tag exports 404', async () => {
    const res = await http(chinook.app).post(`/tags/${uniqueTag('bad')}/import`).send({ format: 'other', tables: 'x' }).expect(400);
    expect(res.body.errors.map((error: { path: string }) => error.path)).toEqual(['format', 'formatVersion', 'tables']);
    await http(chinook.app).get(`/tags/${uniqueTag('nobody')}/export`).expect(404);
  });
});
