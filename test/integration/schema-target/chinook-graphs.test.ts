import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { ledgerCounts } from './support/target-checks';
import { useTargetApp } from './support/target-app';

const chinook = useTargetApp('chinook');

type Row = Record<string, any>;

describe('POST /graphs on Chinook', () => {
  test('When customers with invoices and lines are asked for, then every row exists under the tag with its keys, required parents (track, media type) are created and connect points at the alias', async () => {
    const tag = uniqueTag('chinook');
    const res = await http(chinook.app)
      .post('/graphs')
      .send({
        tag,
        seed: 42,
        graph: {
          genre: [{ as: 'rock', set: { name: 'Rock-ish' } }],
          customer: [{ count: 2, as: 'buyers', set: { country: 'Germany' }, invoice: [{ count: 3, invoice_line: [{ count: 2 }] }] }],
          track: [{ count: 2, connect: { genre_id: { ref: 'rock' } } }],
        },
      })
      .expect(201);

    // track.album_id is nullable in Chinook: no album is needed; media_type_id is NOT NULL: one media type per track.
    expect(res.body.counts).toEqual({ genre: 1, customer: 2, invoice: 6, invoice_line: 12, track: 14, media_type: 14 });
    const { records } = res.body as { records: Record<string, Row[]> };
    expect(records.customer!.map((row) => row.country)).toEqual(['Germany', 'Germany']);
    expect(records.customer!.every((row) => /@example\.(com|net|org)$/.test(row.email))).toBe(true);
    expect(res.body.aliases.buyers).toEqual(records.customer!.map((row) => ({ customer_id: row.customer_id })));

    // Every foreign key as stored in PostgreSQL, not as answered.
    const invoices = await chinook.pool.query('SELECT customer_id, count(*)::int AS n FROM invoice WHERE invoice_id = ANY($1) GROUP BY customer_id ORDER BY customer_id', [
      records.invoice!.map((row) => row.invoice_id),
    ]);
    expect(invoices.rows).toEqual(records.customer!.map((row) => ({ customer_id: row.customer_id, n: 3 })));
    const lines = await chinook.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT l.invoice_id)::int AS invoices, count(DISTINCT t.track_id)::int AS tracks, count(DISTINCT t.media_type_id)::int AS media
         FROM invoice_line l JOIN track t ON t.track_id = l.track_id
        WHERE l.invoice_line_id = ANY($1) AND l.invoice_id = ANY($2) AND t.track_id = ANY($3) AND t.media_type_id = ANY($4)`,
      [records.invoice_line!.map((row) => row.invoice_line_id), records.invoice!.map((row) => row.invoice_id), records.track!.map((row) => row.track_id), records.media_type!.map((row) => row.media_type_id)],
    );
    expect(lines.rows[0]).toEqual({ n: 12, invoices: 6, tracks: 12, media: 12 });
    const rockTracks = await chinook.pool.query('SELECT count(*)::int AS n FROM track WHERE genre_id = $1', [records.genre![0]!.genre_id]);
    expect(rockTracks.rows[0].n).toBe(2);
    expect(await ledgerCounts(chinook.pool, tag)).toEqual({ customer: 2, genre: 1, invoice: 6, invoice_line: 12, media_type: 14, track: 14 });
  });

  test('When albums are asked for alone, then each gets the artist its NOT NULL key needs', async () => {
    const res = await http(chinook.app).post('/graphs').send({ tag: uniqueTag('album'), graph: { album: [{ count: 3 }] } }).expect(201);

    expect(res.body.counts).toEqual({ album: 3, artist: 3 });
    const joined = await chinook.pool.query('SELECT count(DISTINCT ar.artist_id)::int AS n FROM album a JOIN artist ar USING (artist_id) WHERE a.album_id = ANY($1)', [
      res.body.records.album.map((row: Row) => row.album_id),
    ]);
    expect(joined.rows[0].n).toBe(3);
  });

  test('When an employee has reports through the self-referencing key, then they point at the boss', async () => {
    const tag = uniqueTag('chinook-emp');
    const res = await http(chinook.app)
      .post('/graphs')
      .send({ tag, graph: { employee: [{ as: 'boss', set: { title: 'General Manager' }, 'employee.reports_to': [{ count: 2 }] }] } })
      .expect(201);

    const boss = res.body.records.employee[0];
    const reports = await chinook.pool.query('SELECT reports_to FROM employee WHERE employee_id = ANY($1)', [res.body.records.employee.slice(1).map((row: Row) => row.employee_id)]);
    expect(reports.rows).toEqual([{ reports_to: boss.employee_id }, { reports_to: boss.employee_id }]);
    expect(boss.reports_to).toBeNull();
  });

  test('When the same seed and body are sent twice, then the values (keys aside) are the same', async () => {
    const body = (tag: string): object => ({ tag, seed: 7, graph: { artist: [{ count: 2, album: [{ count: 2 }] }] } });
    const first = await http(chinook.app).post('/graphs').send(body(uniqueTag('det'))).expect(201);
    const second = await http(chinook.app).post('/graphs').send(body(uniqueTag('det'))).expect(201);

    const strip = (rows: Row[]): unknown[] => rows.map(({ album_id: _a, artist_id: _b, ...rest }) => rest);
    expect(strip(second.body.records.album)).toEqual(strip(first.body.records.album));
    expect(strip(second.body.records.artist)).toEqual(strip(first.body.records.artist));
  });

  test.each([
    [{ graph: { nosuch: [{}] } }, 'graph.nosuch'],
    [{ graph: { customer: [{ set: { nosuch: 1 } }] } }, 'graph.customer[0].set.nosuch'],
    [{ graph: { customer: [{ invoice: [{ set: { total: 'lots' } }] }] } }, 'graph.customer[0].invoice[0].set.total'],
    [{ graph: { track: [{ connect: { genre_id: { ref: 'ghost' } } }] } }, 'graph.track[0].connect.genre_id.ref'],
    [{ graph: { artist: [{ as: 'a' }], track: [{ connect: { genre_id: { ref: 'a' } } }] } }, 'graph.track[0].connect.genre_id.ref'],
    [{ graph: { customer: [{ employee: [{}] }] } }, 'graph.customer[0].employee'],
    [{ graph: { customer: [{ invoice: [{ invoice_line: [{ invoice_line: [{ invoice_line: [{}] }] }] }] }] } }, 'graph.customer[0].invoice[0].invoice_line[0].invoice_line'],
    [{ graph: { customer: [{ count: 0 }] } }, 'graph.customer[0].count'],
    [{ graph: {} }, 'graph'],
  ])('When the body is %j, then 400 names %s and nothing is written', async (body, path) => {
    const before = await chinook.pool.query('SELECT (SELECT count(*) FROM customer) + (SELECT count(*) FROM track) + (SELECT count(*) FROM employee) AS n');

    const res = await http(chinook.app).post('/graphs').send(body).expect(400);

    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    const after = await chinook.pool.query('SELECT (SELECT count(*) FROM customer) + (SELECT count(*) FROM track) + (SELECT count(*) FROM employee) AS n');
    expect(after.rows).toEqual(before.rows);
  });

  test('When two aliases connect to each other, then 400 names a ref cycle', async () => {
    const res = await http(chinook.app)
      .post('/graphs')
      .send({ graph: { employee: [{ as: 'a', connect: { reports_to: { ref: 'b' } } }, { as: 'b', connect: { reports_to: { ref: 'a' } } }] } })
      .expect(400);

    expect(res.body.errors[0].message).toMatch(/ref cycle/);
  });

  test('When the graph would exceed MAX_ROWS_PER_REQUEST (parents included), then 400 before any write', async () => {
    const res = await http(chinook.app).post('/graphs').send({ graph: { customer: [{ count: 500, invoice: [{ count: 3000 }] }] } }).expect(400);

    expect(res.body.errors[0]).toMatchObject({ path: 'graph', message: expect.stringContaining('MAX_ROWS_PER_REQUEST') });
  });

  test('When a value breaks a constraint testapi cannot read, then 422 names table and constraint and nothing is written', async () => {
    await chinook.pool.query(`ALTER TABLE artist ADD CONSTRAINT artist_name_not_x CHECK (name IS NULL OR name !~ '^X' OR length(name) < 3) NOT VALID`);
    try {
      const tag = uniqueTag('reject');
      const res = await http(chinook.app).post('/graphs').send({ tag, graph: { artist: [{ count: 3, set: { name: 'Xavier' } }] } }).expect(422);

      expect(res.body).toMatchObject({ type: 'urn:testapi:problem:graph-rejected', table: 'artist', constraint: 'artist_name_not_x' });
      expect(res.body.detail).not.toMatch(/INSERT|VALUES|\$1/);
      expect(await ledgerCounts(chinook.pool, tag)).toEqual({});
      const tags = await chinook.pool.query('SELECT 1 FROM testapi.test_tags WHERE tag = $1', [tag]);
      expect(tags.rowCount).toBe(0);
    } finally {
      await chinook.pool.query('ALTER TABLE artist DROP CONSTRAINT artist_name_not_x');
    }
  });

  test('When a request is retried with its Idempotency-Key, then the first answer is replayed and the rows exist once', async () => {
    const tag = uniqueTag('idem');
    const key = `graph-${tag}`;
    const body = { tag, graph: { artist: [{ count: 2 }] } };
    const first = await http(chinook.app).post('/graphs').set('Idempotency-Key', key).send(body).expect(201);
    const again = await http(chinook.app).post('/graphs').set('Idempotency-Key', key).send(body).expect(201);

    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await ledgerCounts(chinook.pool, tag)).toEqual({ artist: 2 });
    await http(chinook.app).post('/graphs').set('Idempotency-Key', key).send({ ...body, seed: 1 }).expect(409);
  });

  test('When the graph nests deeper than 8 levels, then 400 names the path', async () => {
    let node: Record<string, unknown> = {};
    for (let level = 0; level < 9; level += 1) node = { 'employee.reports_to': [node] };
    const res = await http(chinook.app).post('/graphs').send({ graph: { employee: [node] } }).expect(400);

    expect(res.body.errors[0].message).toMatch(/deeper than 8/);
    expect(res.body.errors[0].path).toMatch(/^graph\.employee\[0\](\.employee\.reports_to\[0\]){7}\.employee\.reports_to$/);
  });

  test('When set gives a generated column or a value outside an enum-like CHECK, then 400 names it', async () => {
    await chinook.pool.query('ALTER TABLE invoice_line ADD COLUMN line_total numeric GENERATED ALWAYS AS (unit_price * quantity) STORED');
    await http(chinook.app).post('/schema/reload').expect(200);
    try {
      const res = await http(chinook.app).post('/graphs').send({ graph: { invoice: [{ invoice_line: [{ set: { line_total: 3 } }] }] } }).expect(400);

      expect(res.body.errors).toEqual([{ path: 'graph.invoice[0].invoice_line[0].set.line_total', message: expect.stringContaining('generated column') }]);
    } finally {
      await chinook.pool.query('ALTER TABLE invoice_line DROP COLUMN line_total');
      await http(chinook.app).post('/schema/reload').expect(200);
    }
  });

  test('When set gives an existing parent key, then it is referenced and no parent is created; a missing one is a 400 naming the column and the key', async () => {
    const tag = uniqueTag('existing');
    const res = await http(chinook.app).post('/graphs').send({ tag, graph: { track: [{ count: 2, set: { media_type_id: 1 } }] } }).expect(201);

    expect(res.body.counts).toEqual({ track: 2 });
    expect(res.body.records.track.map((row: Row) => row.media_type_id)).toEqual([1, 1]);

    const missing = await http(chinook.app).post('/graphs').send({ graph: { track: [{ set: { media_type_id: 999999 } }] } }).expect(400);
    expect(missing.body).toMatchObject({ type: 'urn:testapi:problem:validation', errors: [{ path: 'graph.track[0].set.media_type_id', message: expect.stringContaining('track_media_type_id_fkey') }] });
  });

  test('When a trigger of the application raises, then 422 names the table, says what PostgreSQL said, and nothing is written', async () => {
    await chinook.pool.query(`
      CREATE FUNCTION refuse_playlist() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'playlists are closed'; END $$;
      CREATE TRIGGER refuse_playlist BEFORE INSERT ON playlist FOR EACH ROW EXECUTE FUNCTION refuse_playlist();`);
    try {
      const tag = uniqueTag('trigger');
      const res = await http(chinook.app).post('/graphs').send({ tag, graph: { genre: [{}], playlist: [{}] } }).expect(422);

      expect(res.body).toMatchObject({ table: 'playlist', detail: expect.stringContaining('playlists are closed') });
      expect(await ledgerCounts(chinook.pool, tag)).toEqual({});
    } finally {
      await chinook.pool.query('DROP TRIGGER refuse_playlist ON playlist; DROP FUNCTION refuse_playlist()');
    }
  });
});

