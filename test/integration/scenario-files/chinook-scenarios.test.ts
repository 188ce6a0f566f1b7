import { uniqueTag } from '../../support/database';
import { http, liveContract } from '../../support/http';
import type { Contract } from '../../support/contract';
import { ledgerCounts } from '../schema-target/support/target-checks';
import { useTargetApp } from '../schema-target/support/target-app';
import { scenarioDir } from './scenario-dir';

const files = scenarioDir('chinook');
const chinook = useTargetApp('chinook', { TESTAPI_SCENARIOS_DIR: files.dir });
let contract: Contract;

beforeAll(async () => {
  contract = await liveContract(chinook.app);
});

type Row = Record<string, any>;

describe('Scenario files on Chinook', () => {
  test('When GET /scenarios, then the files are listed with their params and overrides schemas, and no built-in scenario', async () => {
    const res = await http(chinook.app, contract).get('/scenarios').expect(200);

    expect(res.body.scenarios.map((scenario: Row) => scenario.name)).toEqual(['customer-with-overdue-invoice', 'playlist-with-tracks']);
    const overdue = res.body.scenarios[0];
    expect(overdue.paramsSchema.properties.invoices).toEqual({ type: 'integer', minimum: 1, maximum: 20, default: 3, description: 'Invoices of the customer.' });
    expect(Object.keys(overdue.overridesSchema.properties)).toEqual(['customer', 'invoices']);
    expect(overdue.overridesSchema.properties.customer.properties.last_name).toMatchObject({ type: 'string', maxLength: 20 });
  });

  test('When customer-with-overdue-invoice is provisioned, then the customer and its invoices dated 30 days before the reference date exist under the tag, and data holds the result paths', async () => {
    const tag = uniqueTag('overdue');
    const res = await http(chinook.app, contract)
      .post('/scenarios/customer-with-overdue-invoice')
      .send({ tag, seed: 11, params: { invoices: 2, country: 'Norway' }, overrides: { customer: { last_name: 'Overdue' } } })
      .expect(201);

    expect(res.body).toMatchObject({ tag, scenario: 'customer-with-overdue-invoice', scenarioVersion: 1, seed: 11, counts: { customer: 1, invoice: 2 } });
    const { customer, invoices, email } = res.body.data;
    expect(customer).toMatchObject({ country: 'Norway', last_name: 'Overdue' });
    expect(email).toBe(customer.email);
    expect(invoices).toHaveLength(2);
    const rows = await chinook.pool.query(
      `SELECT c.country, c.last_name, to_char(i.invoice_date, 'YYYY-MM-DD') AS day, i.billing_country FROM invoice i JOIN customer c USING (customer_id) WHERE c.customer_id = $1 ORDER BY i.invoice_id`,
      [customer.customer_id],
    );
    expect(rows.rows).toEqual([
      { country: 'Norway', last_name: 'Overdue', day: '2024-12-02', billing_country: 'Norway' },
      { country: 'Norway', last_name: 'Overdue', day: '2024-12-02', billing_country: 'Norway' },
    ]);
    expect(rows.rows.length).toBe(invoices.length);
    expect(await ledgerCounts(chinook.pool, tag)).toEqual({ customer: 1, invoice: 2 });

    await http(chinook.app).delete(`/tags/${tag}`).expect(200);
    const left = await chinook.pool.query('SELECT count(*)::int AS n FROM customer WHERE customer_id = $1', [customer.customer_id]);
    expect(left.rows[0].n).toBe(0);
  });

  test('When the body is empty, then the defaults apply (three invoices in Germany); the same seed draws the same faker name', async () => {
    const first = await http(chinook.app, contract).post('/scenarios/customer-with-overdue-invoice').send({ seed: 99 }).expect(201);
    const second = await http(chinook.app, contract).post('/scenarios/customer-with-overdue-invoice').send({ seed: 99 }).expect(201);

    expect(first.body.counts).toEqual({ customer: 1, invoice: 3 });
    expect(first.body.data.customer.country).toBe('Germany');
    expect(second.body.data.customer.first_name).toBe(first.body.data.customer.first_name);
    const stored = await chinook.pool.query('SELECT count(*)::int AS n FROM invoice WHERE customer_id = $1', [first.body.data.customer.customer_id]);
    expect(stored.rows[0].n).toBe(3);
  });

  test('When playlist-with-tracks is provisioned, then the playlist holds as many new tracks as asked', async () => {
    const tag = uniqueTag('playlist');
    const res = await http(chinook.app, contract).post('/scenarios/playlist-with-tracks').send({ tag, params: { name: 'Road trip', tracks: 3 } }).expect(201);

    expect(res.body.data.playlist.name).toBe('Road trip');
    expect(res.body.data.tracks).toHaveLength(3);
    const joined = await chinook.pool.query('SELECT count(*)::int AS n FROM playlist_track pt JOIN playlist p USING (playlist_id) WHERE p.playlist_id = $1 AND p.name = $2', [
      res.body.data.playlist.playlist_id,
      'Road trip',
    ]);
    expect(joined.rows[0].n).toBe(3);
  });

  test.each([
    [{}, 'params.name'],
    [{ params: { name: 'x', tracks: 'three' } }, 'params.tracks'],
    [{ params: { name: 'x', tracks: 51 } }, 'params.tracks'],
    [{ params: { name: 'x', colour: 'red' } }, 'params.colour'],
    [{ params: { name: 'x' }, overrides: { nobody: { name: 'y' } } }, 'overrides.nobody'],
    [{ params: { name: 'x' }, overrides: { playlist: { nosuch: 1 } } }, 'overrides.playlist.nosuch'],
    [{ params: { name: 'x' }, seed: -1 }, 'seed'],
    [{ params: { name: 'x' }, extra: true }, 'extra'],
  ])('When playlist-with-tracks gets %j, then 400 names %s and nothing is written', async (body, path) => {
    const before = await chinook.pool.query('SELECT count(*)::int AS n FROM playlist');

    const res = await http(chinook.app, contract).post('/scenarios/playlist-with-tracks').send(body).expect(400);

    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    expect((await chinook.pool.query('SELECT count(*)::int AS n FROM playlist')).rows).toEqual(before.rows);
  });

  test('When a request is retried with its Idempotency-Key (no seed given), then the first answer is replayed and the rows exist once', async () => {
    const tag = uniqueTag('idem');
    const body = { tag, params: { name: 'Once' } };
    const first = await http(chinook.app, contract).post('/scenarios/playlist-with-tracks').set('Idempotency-Key', `k-${tag}`).send(body).expect(201);
    const again = await http(chinook.app, contract).post('/scenarios/playlist-with-tracks').set('Idempotency-Key', `k-${tag}`).send(body).expect(201);

    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await ledgerCounts(chinook.pool, tag)).toEqual({ media_type: 4, playlist: 1, playlist_track: 4, track: 4 });
  });

  test('When a scenario the folder does not hold is asked for, then 404 lists the known names', async () => {
    const res = await http(chinook.app, contract).post('/scenarios/user').send({}).expect(404);

    expect(res.body.detail).toContain('customer-with-overdue-invoice, playlist-with-tracks');
  });

  test('When GET /openapi.json, then it has a path per scenario file, no built-in scenario and POST /graphs typed by the tables', async () => {
    const res = await http(chinook.app).get('/openapi.json').expect(200);

    const paths = Object.keys(res.body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/scenarios/customer-with-overdue-invoice', '/scenarios/playlist-with-tracks', '/graphs', '/tags']));
    expect(paths).not.toContain('/scenarios/user');
    const customer = res.body.components.schemas.GraphNode_customer;
    expect(customer.properties.invoice).toEqual({ type: 'array', items: { $ref: '#/components/schemas/GraphNode_invoice' } });
    // One value for every row, or a value per row (template, oneOf, weights, bcrypt).
    expect(customer.properties.set.properties.email.anyOf[0]).toMatchObject({ type: 'string', maxLength: 60 });
    expect(customer.properties.set.properties.email.anyOf[1]).toEqual({ $ref: '#/components/schemas/PerRowValue' });
    expect(res.body.components.schemas.PerRowValue.oneOf.map((form: { required: string[] }) => form.required[0])).toEqual(['template', 'oneOf', 'weights', 'bcrypt']);
    expect(res.body.components.schemas.GraphNode_employee.properties).toHaveProperty(['employee.reports_to']);
    const yaml = await http(chinook.app).get('/openapi.live.yaml').expect(200);
    expect(yaml.text).toContain('/scenarios/playlist-with-tracks:');
  });

  test('When POST /graphs is checked against the live document, then a typed graph passes', async () => {
    await http(chinook.app, contract)
      .post('/graphs')
      .send({ graph: { customer: [{ set: { first_name: 'Ada' }, invoice: [{ count: 1 }] }] } })
      .expect(201);
    expect(contract.contractViolations({ method: 'POST', url: '/graphs', requestBody: { graph: { customer: [{ set: { nosuch: 1 } }] } }, status: 201, contentType: 'application/json', body: {} })).not.toEqual([]);
  });
});
