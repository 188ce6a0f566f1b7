import { Writable } from 'node:stream';
import { createLogger } from '../../../src/logger';
import { schemaRegistryOf } from '../../../src/schema/schema-registry';
import { createSweeper } from '../../../src/tags/sweeper';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { ledgerCounts, tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * Rows the application wrote that reference a tag's rows: refused by default,
 * deleted (transitively, and reported) on request; a CASCADE or SET NULL key
 * never changes a row outside the tag on its own.
 */
const pagila = useTargetApp('pagila');

beforeAll(async () => {
  // The application's own migration: sessions of a customer (CASCADE), and events of a session.
  await pagila.pool.query(`
    CREATE TABLE app_session (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id integer NOT NULL REFERENCES customer ON DELETE CASCADE, token text NOT NULL);
    CREATE TABLE app_session_event (session_id bigint NOT NULL REFERENCES app_session, kind text NOT NULL);
    CREATE SCHEMA crm;
    CREATE TABLE crm.contact_note (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id integer NOT NULL REFERENCES public.customer, note text NOT NULL);`);
  await http(pagila.app).post('/schema/reload').expect(200);
});

async function provisionRental(tag: string): Promise<{ customerId: number; rentalId: number }> {
  const res = await http(pagila.app)
    .post('/graphs')
    .send({ tag, graph: { customer: [{ rental: [{ count: 1 }] }] } })
    .expect(201);
  return { customerId: res.body.records.customer[0].customer_id, rentalId: res.body.records.rental[0].rental_id };
}

describe('Dependents of a tag in a target schema', () => {
  test('When a payment outside the tag references a tagged rental (ON DELETE SET NULL), then DELETE is a 409 naming table and constraint and nothing changes', async () => {
    const tag = uniqueTag('dep-setnull');
    const { rentalId } = await provisionRental(tag);
    // A pre-existing customer's payment for the tagged rental: only the SET NULL key reaches the tag.
    const payment = await pagila.pool.query('INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date) VALUES (1, 1, $1, 1.99, now()) RETURNING payment_id', [rentalId]);
    const before = await tableChecksums(pagila.pool);

    const res = await http(pagila.app).delete(`/tags/${tag}`).expect(409);

    expect(res.body).toMatchObject({ type: 'urn:testapi:problem:tag-referenced', table: 'payment', constraint: 'payment_rental_id_fkey', dependentsDeletable: true });
    expect(await tableChecksums(pagila.pool)).toEqual(before);
    expect(Object.keys(await ledgerCounts(pagila.pool, tag)).sort()).toEqual(expect.arrayContaining(['customer', 'rental']));

    const removed = await http(pagila.app).delete(`/tags/${tag}?dependents=delete`).expect(200);

    expect(removed.body.dependents).toEqual({ payment: 1 });
    const gone = await pagila.pool.query('SELECT 1 FROM payment WHERE payment_id = $1', [payment.rows[0].payment_id]);
    expect(gone.rowCount).toBe(0);
    expect(removed.body.total).toBe(Object.values(removed.body.deleted as Record<string, number>).reduce((a, b) => a + b, 0) + 1);
  });

  test('When a row in a schema outside the targets references a tagged customer, then the 409 says dependents=delete would not help, and with it nothing is deleted either', async () => {
    const tag = uniqueTag('dep-outside');
    const { customerId } = await provisionRental(tag);
    await pagila.pool.query(`INSERT INTO crm.contact_note (customer_id, note) VALUES ($1, 'called')`, [customerId]);
    const before = { public: await tableChecksums(pagila.pool), crm: await tableChecksums(pagila.pool, 'crm') };

    const refused = await http(pagila.app).delete(`/tags/${tag}`).expect(409);
    expect(refused.body).toMatchObject({ type: 'urn:testapi:problem:tag-referenced', table: 'crm.contact_note', dependentsDeletable: false });
    const asked = await http(pagila.app).delete(`/tags/${tag}?dependents=delete`).expect(409);
    expect(asked.body).toMatchObject({ type: 'urn:testapi:problem:tag-referenced', table: 'crm.contact_note', dependentsDeletable: false });
    expect(asked.body.detail).toContain('outside the target schemas');

    expect({ public: await tableChecksums(pagila.pool), crm: await tableChecksums(pagila.pool, 'crm') }).toEqual(before);
    await pagila.pool.query('DELETE FROM crm.contact_note WHERE customer_id = $1', [customerId]);
    await http(pagila.app).delete(`/tags/${tag}`).expect(200);
  });

  test('When a session (ON DELETE CASCADE) and its event reference a tagged customer, then cleanup refuses unless dependents are deleted, and then deletes both transitively and nothing else', async () => {
    const prefix = `${uniqueTag('dep-cascade')}-`;
    const tag = `${prefix}a`;
    const { customerId } = await provisionRental(tag);
    const bystander = await provisionRental(`${prefix}b-bystander`);
    const session = await pagila.pool.query(`INSERT INTO app_session (customer_id, token) VALUES ($1, 'tok') RETURNING id`, [customerId]);
    await pagila.pool.query(`INSERT INTO app_session_event (session_id, kind) VALUES ($1, 'login'), ($1, 'logout')`, [session.rows[0].id]);
    const otherSession = await pagila.pool.query(`INSERT INTO app_session (customer_id, token) VALUES ($1, 'keep') RETURNING id`, [bystander.customerId]);

    const refused = await http(pagila.app).post('/cleanup').send({ prefix: tag }).expect(200);

    expect(refused.body).toMatchObject({ tags: [], removed: [], kept: [{ tag, references: [expect.objectContaining({ table: 'app_session', constraint: 'app_session_customer_id_fkey', rows: 1, referencingTag: null })] }] });
    expect((await pagila.pool.query('SELECT count(*)::int AS n FROM app_session_event')).rows[0].n).toBe(2);

    const done = await http(pagila.app).post('/cleanup').send({ prefix: tag, dependents: 'delete' }).expect(200);

    expect(done.body.tags).toEqual([tag]);
    expect(done.body.dependents).toEqual({ app_session: 1, app_session_event: 2 });
    expect((await pagila.pool.query('SELECT id FROM app_session')).rows).toEqual([{ id: otherSession.rows[0].id }]);
    expect((await pagila.pool.query('SELECT count(*)::int AS n FROM app_session_event')).rows[0].n).toBe(0);
    expect((await pagila.pool.query('SELECT 1 FROM customer WHERE customer_id = $1', [bystander.customerId])).rowCount).toBe(1);
    expect(await ledgerCounts(pagila.pool, tag)).toEqual({});
  });

  test('When the expired tag has a dependent, then the sweeper keeps it, and deletes an expired tag without one', async () => {
    const referenced = uniqueTag('dep-sweep');
    const free = uniqueTag('dep-sweep-free');
    const { customerId } = await provisionRental(referenced);
    await provisionRental(free);
    await pagila.pool.query(`INSERT INTO app_session (customer_id, token) VALUES ($1, 'sweep')`, [customerId]);
    await pagila.pool.query(`UPDATE testapi.test_tags SET expires_at = now() - interval '1 minute' WHERE tag = ANY($1)`, [[referenced, free]]);

    const swept = await http(pagila.app).post('/cleanup').send({ expired: true }).expect(200);
    expect(swept.body.kept).toEqual([{ tag: referenced, references: [expect.objectContaining({ table: 'app_session', rows: 1, referencingTag: null })] }]);
    expect(swept.body.tags).toContain(free);
    const sweeper = createSweeper({
      pool: pagila.db.pool,
      logger: createLogger('silent'),
      metrics: { rowsDeleted: () => undefined, sweeperRun: () => undefined },
      intervalSeconds: 0,
      schema: schemaRegistryOf(pagila.db, pagila.config),
    });
    const outcome = await sweeper.sweepOnce();

    expect(outcome.tags).not.toContain(referenced);
    expect(outcome.kept).toEqual([{ tag: referenced, references: [expect.objectContaining({ table: 'app_session', constraint: 'app_session_customer_id_fkey', rows: 1 })] }]);
    const detail = await http(pagila.app).get(`/tags/${referenced}`).expect(200);
    expect(detail.body).toMatchObject({ expired: true, kept: { references: [expect.objectContaining({ table: 'app_session', rows: 1 })] } });
    expect(await ledgerCounts(pagila.pool, free)).toEqual({});
    expect(Object.keys(await ledgerCounts(pagila.pool, referenced)).length).toBeGreaterThan(0);
    await pagila.pool.query(`DELETE FROM app_session WHERE token = 'sweep'`);
    await http(pagila.app).delete(`/tags/${referenced}`).expect(200);
  });

  test('When the sweeper removes an expired tag of the target schema, then its log line lists the tag\'s tables, not the shop\'s', async () => {
    const tag = uniqueTag('dep-sweep-log');
    await provisionRental(tag);
    const had = (await http(pagila.app).get(`/tags/${tag}`).expect(200)).body.counts as Record<string, number>;
    await pagila.pool.query(`UPDATE testapi.test_tags SET expires_at = now() - interval '1 minute' WHERE tag = $1`, [tag]);
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const sweeper = createSweeper({
      pool: pagila.db.pool,
      logger: createLogger('info', destination),
      metrics: { rowsDeleted: () => undefined, sweeperRun: () => undefined },
      intervalSeconds: 0,
      schema: schemaRegistryOf(pagila.db, pagila.config),
    });
    // Other files' expired tags may be swept in the same pass: the line is found by this tag.
    let removed: Record<string, unknown> | undefined;
    for (let pass = 0; pass < 5 && !removed; pass += 1) {
      await sweeper.sweepOnce();
      removed = lines.find((line) => Array.isArray(line.tags) && (line.tags as string[]).includes(tag));
    }
    expect(removed).toBeDefined();
    expect(removed!.msg).toMatch(/^tag sweep removed \d+ expired tag\(s\), \d+ row\(s\)$/);
    expect(removed!.deleted).toEqual(had);
    expect(Object.keys(had)).toEqual(expect.arrayContaining(['customer', 'rental']));
    for (const shopTable of ['users', 'orders', 'order_items', 'products']) expect(had[shopTable]).toBeUndefined();
    expect(await ledgerCounts(pagila.pool, tag)).toEqual({});
  });

  test('When the application deleted a row of the tag, then GET /tags/{tag} counts the rows as they are now and names the missing one', async () => {
    const tag = uniqueTag('dep-live-counts');
    const { rentalId } = await provisionRental(tag);
    const before = (await http(pagila.app).get(`/tags/${tag}`).expect(200)).body;
    expect(before).toMatchObject({ counts: { customer: 1, rental: 1 }, countsAre: 'live' });
    expect(before.missing).toBeUndefined();

    await pagila.pool.query('DELETE FROM rental WHERE rental_id = $1', [rentalId]);

    const after = (await http(pagila.app).get(`/tags/${tag}`).expect(200)).body;
    expect(after).toMatchObject({ counts: { ...before.counts, rental: 0 }, total: before.total - 1, countsAre: 'live', missing: { rental: 1 } });
    // The list keeps the recorded counts (no check per row for every tag of a page).
    const listed = (await http(pagila.app).get(`/tags?prefix=${tag}`).expect(200)).body;
    expect(listed.tags[0]).toMatchObject({ tag, counts: before.counts, total: before.total });
    const removed = await http(pagila.app).delete(`/tags/${tag}`).expect(200);
    expect(removed.body).toMatchObject({ missing: { rental: 1 }, total: before.total - 1 });
    expect(removed.body.deleted.rental).toBeUndefined();
  });

  test('When an application table has a test_tag column of its own, then testapi fills it and still deletes its rows through the ledger', async () => {
    await pagila.pool.query('CREATE TABLE app_note (id serial PRIMARY KEY, test_tag text, body text NOT NULL)');
    await http(pagila.app).post('/schema/reload').expect(200);
    const tag = uniqueTag('own-test-tag');

    const res = await http(pagila.app).post('/graphs').send({ tag, graph: { app_note: [{ count: 2 }] } }).expect(201);

    expect(res.body.records.app_note.map((row: { test_tag: string }) => row.test_tag)).toEqual([tag, tag]);
    expect(await ledgerCounts(pagila.pool, tag)).toEqual({ app_note: 2 });
    const removed = await http(pagila.app).delete(`/tags/${tag}`).expect(200);
    expect(removed.body).toEqual({ tag, deleted: { app_note: 2 }, total: 2 });
    expect((await pagila.pool.query('SELECT count(*)::int AS n FROM app_note')).rows[0].n).toBe(0);
  });

  test('When a graph writes a GENERATED ALWAYS identity parent and its children, then the children point at the keys PostgreSQL drew; a child table without a primary key is a 400 saying why', async () => {
    await pagila.pool.query('CREATE TABLE app_session_note (id serial PRIMARY KEY, session_id bigint NOT NULL REFERENCES app_session, body text NOT NULL)');
    await http(pagila.app).post('/schema/reload').expect(200);
    const tag = uniqueTag('identity');

    const res = await http(pagila.app)
      .post('/graphs')
      .send({ tag, graph: { app_session: [{ count: 2, set: { customer_id: 1 }, app_session_note: [{ count: 2 }] }] } })
      .expect(201);

    const sessions = res.body.records.app_session.map((row: { id: number | string }) => Number(row.id));
    const notes = await pagila.pool.query('SELECT session_id::int AS id, count(*)::int AS n FROM app_session_note WHERE session_id = ANY($1) GROUP BY 1 ORDER BY 1', [sessions]);
    expect(notes.rows).toEqual([...sessions].sort((a, b) => a - b).map((id) => ({ id, n: 2 })));
    await http(pagila.app).delete(`/tags/${tag}`).expect(200);
    expect((await pagila.pool.query('SELECT count(*)::int AS n FROM app_session WHERE id = ANY($1)', [sessions])).rows[0].n).toBe(0);

    const refused = await http(pagila.app).post('/graphs').send({ graph: { app_session: [{ set: { customer_id: 1 }, app_session_event: [{}] }] } }).expect(400);
    expect(refused.body.errors).toEqual([{ path: 'graph.app_session[0].app_session_event', message: expect.stringContaining('no primary key') }]);
  });
});
