import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client, type Pool } from 'pg';
import { createFixtureDatabase, dropDatabase } from '../../fixtures/schemas/fixtures';
import { assertionPool, databaseUrl, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { catalogSnapshot, ledgerCounts, tableChecksums } from '../schema-target/support/target-checks';
import { useTargetApp } from '../schema-target/support/target-app';

/**
 * A source database (Chinook, plus people the test loads) read through a
 * role that may only SELECT, copied into a target database of the same
 * schema. The people's values are distinctive, so finding one anywhere in
 * the target would mean it leaked.
 */
const PEOPLE = [
  { first: 'Hjordis', last: 'Quackenbush', email: 'hjordis.quackenbush@fjordmail.no', phone: '+47 913 57 246', address: 'Storgata 77' },
  { first: 'Wenceslas', last: 'Oyarzabal', email: 'w.oyarzabal@txingudi.eus', phone: '+34 943 612 778', address: 'Kale Nagusia 12' },
  { first: 'Ottoline', last: 'Brackenridge', email: 'ottoline@brackenridge.co.uk', phone: '+44 20 7946 0321', address: '14 Whitcomb Lane' },
];

const env: Record<string, string> = {
  TESTAPI_SOURCE_RULES: path.join(__dirname, '..', '..', 'fixtures', 'copies', 'chinook-rules.yaml'),
  MAX_ROWS_PER_REQUEST: '3000',
  SOURCE_STATEMENT_TIMEOUT_MS: '1500',
};
let sourceUrl = '';
let source: Pool;
let reader = '';
let loadedIds: number[] = [];

beforeAll(async () => {
  sourceUrl = await createFixtureDatabase(databaseUrl(), 'chinook');
  source = assertionPool(sourceUrl, 2);
  // The one person is a customer and an employee under one email: joins on email must still match after the copy.
  const rep = await source.query<{ employee_id: number }>(
    `INSERT INTO employee (last_name, first_name, title, email, phone, birth_date, address) VALUES ($1, $2, 'Sales Support Agent', $3, $4, '1971-04-09', $5) RETURNING employee_id`,
    [PEOPLE[0]!.last, PEOPLE[0]!.first, PEOPLE[0]!.email, PEOPLE[0]!.phone, PEOPLE[0]!.address],
  );
  loadedIds = [];
  for (const person of PEOPLE) {
    const customer = await source.query<{ customer_id: number }>(
      `INSERT INTO customer (first_name, last_name, email, phone, address, city, country, company, support_rep_id) VALUES ($1, $2, $3, $4, $5, 'Bergen', 'Norway', $6, $7) RETURNING customer_id`,
      [person.first, person.last, person.email, person.phone, person.address, `${person.last} Consulting`, rep.rows[0]!.employee_id],
    );
    const id = customer.rows[0]!.customer_id;
    loadedIds.push(id);
    for (const total of ['12.87', '3.96']) {
      const invoice = await source.query<{ invoice_id: number }>(
        `INSERT INTO invoice (customer_id, invoice_date, billing_address, billing_city, total) VALUES ($1, '2024-03-01', $2, 'Bergen', $3) RETURNING invoice_id`,
        [id, person.address, total],
      );
      await source.query(`INSERT INTO invoice_line (invoice_id, track_id, unit_price, quantity) VALUES ($1, 1, 0.99, 2), ($1, 2, 0.99, 1)`, [invoice.rows[0]!.invoice_id]);
    }
  }
  reader = `reader_${randomBytes(4).toString('hex')}`;
  const database = new URL(sourceUrl).pathname.slice(1);
  const password = randomBytes(12).toString('hex');
  await source.query(`CREATE ROLE ${reader} LOGIN PASSWORD '${password}'`);
  await source.query(`GRANT CONNECT ON DATABASE ${database} TO ${reader}`);
  await source.query(`GRANT USAGE ON SCHEMA public TO ${reader}`);
  await source.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader}`);
  const readerUrl = new URL(sourceUrl);
  readerUrl.username = reader;
  readerUrl.password = password;
  env.TESTAPI_SOURCES = `staging=${readerUrl.toString()},down=postgres://nobody@127.0.0.1:1/nothing`;
  env.DB_CONNECT_TIMEOUT_MS = '2000';
}, 60_000);

const target = useTargetApp('chinook', env);

afterAll(async () => {
  await source.end();
  await dropDatabase(databaseUrl(), sourceUrl);
  const admin = new Client({ connectionString: databaseUrl() });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${reader}`);
  await admin.end();
});

/** Every text of every row of every table of the target, testapi's own schema included. */
async function everyValue(pool: Pool): Promise<string> {
  const tables = await pool.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname IN ('public', 'testapi')`,
  );
  const texts: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await pool.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
    texts.push(...rows.rows.map((row) => row.row));
  }
  return texts.join('\n');
}

describe('POST /tags/{tag}/copies from a Chinook source', () => {
  test('When customers are copied with two levels of children, then no loaded person survives anywhere, counts and amounts are kept, emails still join, and the source is unchanged', async () => {
    const tag = uniqueTag('copy');
    const sourceRows = await tableChecksums(source);
    const sourceCatalog = await catalogSnapshot(source);
    const ids = [...loadedIds, 1, 2];

    const res = await http(target.app)
      .post(`/tags/${tag}/copies`)
      .send({ source: 'staging', root: { table: 'customer', ids }, children: 2, seed: 7 })
      .expect(201);

    // Counts and amounts as in the source.
    const expected = await source.query<{ invoices: number; lines: number; total: string; totals: string[] }>(
      `SELECT count(DISTINCT i.invoice_id)::int AS invoices, count(l.invoice_line_id)::int AS lines,
              (SELECT sum(total)::text FROM invoice WHERE customer_id = ANY($1)) AS total,
              (SELECT array_agg(total::text ORDER BY total) FROM invoice WHERE customer_id = ANY($1)) AS totals
         FROM invoice i JOIN invoice_line l USING (invoice_id) WHERE i.customer_id = ANY($1)`,
      [ids],
    );
    const counts = await ledgerCounts(target.pool, tag);
    expect(res.body.counts).toEqual(counts);
    expect(counts).toMatchObject({ customer: ids.length, invoice: expected.rows[0]!.invoices, invoice_line: expected.rows[0]!.lines });
    expect(counts.employee).toBeGreaterThanOrEqual(2);
    const copied = await target.pool.query<{ total: string; totals: string[] }>(
      `SELECT sum(total)::text AS total, array_agg(total::text ORDER BY total) AS totals FROM invoice i
         JOIN testapi.testapi_row_ledger l ON l.tag = $1 AND l.table_name = 'public.invoice' AND l.pk = jsonb_build_array(i.invoice_id::text)`,
      [tag],
    );
    expect(copied.rows[0]).toEqual({ total: expected.rows[0]!.total, totals: expected.rows[0]!.totals });

    // No loaded person's email, name, phone or address anywhere in the target database.
    const everything = await everyValue(target.pool);
    for (const person of PEOPLE) for (const value of [person.email, person.first, person.last, person.phone, person.address]) expect(everything).not.toContain(value);
    // Nor any copied Chinook customer's email or phone among the tag's rows.
    const originals = await source.query<{ email: string; phone: string | null }>('SELECT email, phone FROM customer WHERE customer_id = ANY($1)', [ids]);
    const exported = JSON.stringify((await http(target.app).get(`/tags/${tag}/export`).expect(200)).body);
    for (const { email, phone } of originals.rows) {
      expect(exported).not.toContain(email);
      if (phone) expect(exported).not.toContain(phone);
    }
    expect(res.body.anonymized).toMatchObject({ 'customer.email': 'fake', 'customer.first_name': 'fake', 'customer.phone': 'fake', 'customer.company': 'mask', 'employee.birth_date': 'fake' });

    // The person who is customer and employee: one fake email on both rows, so the join still holds.
    const joined = await target.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customer c JOIN employee e ON e.employee_id = c.support_rep_id AND e.email = c.email
         JOIN testapi.testapi_row_ledger l ON l.tag = $1 AND l.table_name = 'public.customer' AND l.pk = jsonb_build_array(c.customer_id::text)`,
      [tag],
    );
    expect(joined.rows[0]!.n).toBe(1);

    expect(await tableChecksums(source)).toEqual(sourceRows);
    expect(await catalogSnapshot(source)).toEqual(sourceCatalog);
    await http(target.app).delete(`/tags/${tag}`).expect(200);
    expect(await ledgerCounts(target.pool, tag)).toEqual({});
  });

  test('When the source role may only SELECT, then it really cannot write (so the copies above wrote nothing there)', async () => {
    const readerUrl = env.TESTAPI_SOURCES!.split(',')[0]!.slice('staging='.length);
    const client = new Client({ connectionString: readerUrl });
    await client.connect();
    try {
      await expect(client.query(`INSERT INTO artist (name) VALUES ('x')`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.end();
    }
  });

  test('When the same seed samples twice, then the same source rows are chosen and map to the same fake people', async () => {
    const body = { source: 'staging', root: { table: 'customer', sample: 4, where: { country: ['Brazil', 'Norway', 'Germany'] } }, seed: 99 };
    const first = await http(target.app).post(`/tags/${uniqueTag('seed-a')}/copies`).send(body).expect(201);
    const second = await http(target.app).post(`/tags/${uniqueTag('seed-b')}/copies`).send(body).expect(201);

    const people = async (tag: string): Promise<string[]> =>
      (
        await target.pool.query<{ who: string }>(
          `SELECT c.first_name || ' ' || c.last_name || ' ' || c.email || ' ' || c.country AS who FROM customer c
             JOIN testapi.testapi_row_ledger l ON l.tag = $1 AND l.table_name = 'public.customer' AND l.pk = jsonb_build_array(c.customer_id::text) ORDER BY 1`,
          [tag],
        )
      ).rows.map((row) => row.who);
    expect(first.body.counts.customer).toBe(4);
    expect(await people(first.body.tag)).toEqual(await people(second.body.tag));
    expect((await people(first.body.tag)).every((who) => /(Brazil|Norway|Germany)$/.test(who))).toBe(true);
  });

  test('When GET /schema is read, then each column shows its anonymization rule before any source\'s own', async () => {
    const res = await http(target.app).get('/schema').expect(200);
    const column = (table: string, name: string) => res.body.tables.find((t: { name: string }) => t.name === table).columns.find((c: { name: string }) => c.name === name).anonymize;

    expect(column('customer', 'email')).toMatchObject({ rule: 'fake' });
    expect(column('customer', 'phone')).toMatchObject({ rule: 'fake' });
    // Before any source's own rules (the staging source masks it: GET /sources/staging/rules).
    expect(column('customer', 'company')).toMatchObject({ rule: 'fake', reason: expect.stringContaining('text') });
    expect(column('employee', 'birth_date')).toMatchObject({ rule: 'fake' });
    expect(column('invoice', 'total')).toMatchObject({ rule: 'keep' });
    expect(column('invoice', 'customer_id')).toMatchObject({ rule: 'keep' });
  });

  test.each([
    [{ source: 'production', root: { table: 'customer', sample: 1 } }, 'source'],
    [{ source: 'postgres://evil@elsewhere/db', root: { table: 'customer', sample: 1 } }, 'source'],
    [{ source: 'staging', root: { table: 'nosuch', sample: 1 } }, 'root.table'],
    [{ source: 'staging', root: { table: 'customer', sample: 1, where: { nosuch: 1 } } }, 'root.where.nosuch'],
    [{ source: 'staging', root: { table: 'customer', sample: 1, where: { country: { like: '%' } } } }, 'root.where.country.like'],
    [{ source: 'staging', root: { table: 'customer' } }, 'root.sample'],
    [{ source: 'staging', root: { table: 'customer', sample: 1 }, children: 9 }, 'children'],
  ])('When the body is %j, then 400 names %s', async (body, path) => {
    const res = await http(target.app).post(`/tags/${uniqueTag('bad')}/copies`).send(body).expect(400);
    expect(res.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  test('When the copy would exceed MAX_ROWS_PER_REQUEST, then 400 and nothing is written', async () => {
    const tag = uniqueTag('too-many');
    const res = await http(target.app).post(`/tags/${tag}/copies`).send({ source: 'staging', root: { table: 'customer', sample: 59 }, children: 2 }).expect(400);
    expect(res.body.errors[0].message).toMatch(/MAX_ROWS_PER_REQUEST/);
    expect(await ledgerCounts(target.pool, tag)).toEqual({});
  });

  test('When a statement on the source runs past SOURCE_STATEMENT_TIMEOUT_MS, then 503 naming it and nothing is written', async () => {
    const tag = uniqueTag('slow');
    const blocker = await source.connect();
    try {
      // A lock the copy's read must wait for: its statement runs until the timeout cancels it.
      await blocker.query('BEGIN; LOCK TABLE customer IN ACCESS EXCLUSIVE MODE');
      const res = await http(target.app).post(`/tags/${tag}/copies`).send({ source: 'staging', root: { table: 'customer', sample: 1 } }).expect(503);
      expect(res.body.detail).toMatch(/SOURCE_STATEMENT_TIMEOUT_MS \(1500 ms\)/);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    expect(await ledgerCounts(target.pool, tag)).toEqual({});
  });

  test('When the source cannot be reached, then 503 and nothing is written', async () => {
    const tag = uniqueTag('down');
    const res = await http(target.app).post(`/tags/${tag}/copies`).send({ source: 'down', root: { table: 'customer', sample: 1 } }).expect(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body.detail).not.toMatch(/postgres:\/\//);
    expect(await ledgerCounts(target.pool, tag)).toEqual({});
  });
});
