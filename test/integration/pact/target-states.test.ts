import { http } from '../../support/http';
import { scenarioDir } from '../scenario-files/scenario-dir';
import { ledgerCounts } from '../schema-target/support/target-checks';
import { useTargetApp } from '../schema-target/support/target-app';
import { uniqueMappingName } from './pact-helpers';

/** A target schema (Chinook): states mapped to a graph and to a scenario file, their rows found through the row ledger. */
const files = scenarioDir('chinook');
const chinook = useTargetApp('chinook', { TESTAPI_SCENARIOS_DIR: files.dir });
const API = (mapping: string): string => `/pact/provider-states?mapping=${mapping}&session=t1`;

const MAPPING = {
  ttlSeconds: 600,
  states: {
    'a customer with invoices': {
      graph: { customer: [{ as: 'buyer', set: { country: '{{params.country}}' }, invoice: [{ count: '{{params.invoices}}', as: 'bills', set: { billing_country: '{{params.country}}' } }] }] },
      params: { invoices: { param: 'invoices', default: 1 }, country: 'Norway' },
      inject: { customerId: 'buyer[0].customer_id', invoiceId: 'bills[0].invoice_id', email: 'customer[0].email' },
    },
    'a customer with an overdue invoice': {
      scenario: 'customer-with-overdue-invoice',
      params: { invoices: { param: 'invoices', default: 2 } },
      inject: { customerId: 'customer.customer_id', invoiceId: 'invoices[0].invoice_id', email: 'email' },
    },
  },
};

async function withMapping(): Promise<string> {
  const name = uniqueMappingName('chinook');
  await http(chinook.app).put(`/pact/mappings/${name}`).send(MAPPING).expect(201);
  return name;
}

function change(mapping: string, state: string, action: 'setup' | 'teardown', params: Record<string, unknown> = {}) {
  return http(chinook.app).post(API(mapping)).send({ state, params, action });
}

/** Rows really in Chinook's tables for the answered ids, and the tag's ledger. */
async function rowsOf(customerId: unknown): Promise<{ customers: number; invoices: number }> {
  const result = await chinook.pool.query<{ customers: number; invoices: number }>(
    'SELECT (SELECT count(*)::int FROM customer WHERE customer_id = $1) AS customers, (SELECT count(*)::int FROM invoice WHERE customer_id = $1) AS invoices',
    [customerId],
  );
  return result.rows[0]!;
}

describe('POST /pact/provider-states on a target schema (Chinook)', () => {
  test('When a graph state is set up twice, then its rows exist in Chinook and the ledger, the second setup replaces the first with the same counts, and teardown leaves nothing', async () => {
    const mapping = await withMapping();

    const first = await change(mapping, 'a customer with invoices', 'setup', { invoices: 3 }).expect(200);

    const tag = first.headers['x-testapi-tag'];
    const invoice = await chinook.pool.query('SELECT customer_id, billing_country FROM invoice WHERE invoice_id = $1', [first.body.invoiceId]);
    expect(invoice.rows[0]).toEqual({ customer_id: first.body.customerId, billing_country: 'Norway' });
    const customer = await chinook.pool.query('SELECT country, email FROM customer WHERE customer_id = $1', [first.body.customerId]);
    expect(customer.rows[0]).toEqual({ country: 'Norway', email: first.body.email });
    expect(await rowsOf(first.body.customerId)).toEqual({ customers: 1, invoices: 3 });
    const ledgerAfterFirst = await ledgerCounts(chinook.pool, tag);
    expect(ledgerAfterFirst).toEqual({ customer: 1, invoice: 3 });

    const second = await change(mapping, 'a customer with invoices', 'setup', { invoices: 3 }).expect(200);

    expect(second.headers['x-testapi-tag']).toBe(tag);
    expect(await ledgerCounts(chinook.pool, tag)).toEqual(ledgerAfterFirst);
    expect(await rowsOf(first.body.customerId)).toEqual({ customers: 0, invoices: 0 });
    expect(await rowsOf(second.body.customerId)).toEqual({ customers: 1, invoices: 3 });

    await change(mapping, 'a customer with invoices', 'teardown', { invoices: 3 }).expect(200, {});
    expect(await rowsOf(second.body.customerId)).toEqual({ customers: 0, invoices: 0 });
    expect(await ledgerCounts(chinook.pool, tag)).toEqual({});
    expect((await chinook.pool.query('SELECT 1 FROM testapi.test_tags WHERE tag = $1', [tag])).rowCount).toBe(0);
  });

  test('When a state maps to a scenario file, then setup answers the values its result names, twice with the same rows, and teardown removes them', async () => {
    const mapping = await withMapping();

    const first = await change(mapping, 'a customer with an overdue invoice', 'setup').expect(200);
    const second = await change(mapping, 'a customer with an overdue invoice', 'setup').expect(200);

    const tag = second.headers['x-testapi-tag'];
    expect(await rowsOf(first.body.customerId)).toEqual({ customers: 0, invoices: 0 });
    expect(await rowsOf(second.body.customerId)).toEqual({ customers: 1, invoices: 2 });
    const invoice = await chinook.pool.query("SELECT customer_id, to_char(invoice_date, 'YYYY-MM-DD') AS day FROM invoice WHERE invoice_id = $1", [second.body.invoiceId]);
    expect(invoice.rows[0]).toEqual({ customer_id: second.body.customerId, day: '2024-12-02' });
    expect((await chinook.pool.query('SELECT email FROM customer WHERE customer_id = $1', [second.body.customerId])).rows[0].email).toBe(second.body.email);
    expect(await ledgerCounts(chinook.pool, tag)).toEqual({ customer: 1, invoice: 2 });

    await change(mapping, 'a customer with an overdue invoice', 'teardown').expect(200, {});
    expect(await rowsOf(second.body.customerId)).toEqual({ customers: 0, invoices: 0 });
    expect(await ledgerCounts(chinook.pool, tag)).toEqual({});
  });

  test('When a target-schema mapping names a built-in scenario, a file param it lacks or a path outside its result or tables, then 400 names each path and nothing is stored', async () => {
    const name = uniqueMappingName('chbad');

    const res = await http(chinook.app)
      .put(`/pact/mappings/${name}`)
      .send({
        states: {
          'a shop scenario': { scenario: 'user-with-orders' },
          'a bad file mapping': {
            scenario: 'customer-with-overdue-invoice',
            params: { invoices: 0, wings: { param: 'wings' } },
            inject: { missing: 'customers[0].customer_id', column: 'customer.wings', ok: 'invoices[1].total' },
          },
          'a bad graph': { graph: { customer: [{ as: 'buyer' }] }, inject: { id: 'buyer[0].user_id' } },
        },
      })
      .expect(400);

    expect(res.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(
      [
        'states["a shop scenario"].scenario',
        'states["a bad file mapping"].params.invoices',
        'states["a bad file mapping"].params.wings',
        'states["a bad file mapping"].inject.missing',
        'states["a bad file mapping"].inject.column',
        'states["a bad graph"].inject.id',
      ].sort(),
    );
    expect((await chinook.pool.query('SELECT 1 FROM testapi.testapi_pact_mappings WHERE name = $1', [name])).rowCount).toBe(0);
  });

  // Last in this file: it drops a column of its own Chinook database.
  test('When the model changes under a stored graph state (a column dropped, POST /schema/reload), then setup is a 422 naming the path and nothing is written', async () => {
    const name = uniqueMappingName('outdated');
    await http(chinook.app)
      .put(`/pact/mappings/${name}`)
      .send({ states: { 'a customer with a fax': { graph: { customer: [{ set: { fax: '+47 1234' } }] }, inject: { id: 'customer[0].customer_id' } } } })
      .expect(201);
    await chinook.pool.query('ALTER TABLE customer DROP COLUMN fax');
    await http(chinook.app).post('/schema/reload').expect(200);

    const res = await http(chinook.app).post(API(name)).send({ state: 'a customer with a fax', action: 'setup' }).expect(422);

    expect(res.body).toMatchObject({ type: expect.stringContaining('pact-state-outdated'), detail: expect.stringContaining('graph.customer[0].set.fax') });
    const tags = await chinook.pool.query('SELECT count(*)::int AS n FROM testapi.test_tags WHERE starts_with(tag, $1)', [`pact.${name}.`]);
    expect(tags.rows[0].n).toBe(0);
  });
});
