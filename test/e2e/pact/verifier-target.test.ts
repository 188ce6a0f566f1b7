import http from 'node:http';
import path from 'node:path';
import { Verifier } from '@pact-foundation/pact';
import { createTestApi } from '@testapi/client';
import type { Pool } from 'pg';
import { createFixtureDatabase, dropDatabase } from '../../fixtures/schemas/fixtures';
import { contractFetch } from '../../support/contract-fetch';
import { assertionPool, databaseUrl } from '../../support/database';
import { startServerProcess, type ServerProcess } from '../../support/server-process';
import { close, FIXTURES, listen, PROVIDER_TOKEN, TESTAPI_KEY } from './pact-harness';

/**
 * testapi on an application's own schema (Chinook, TESTAPI_TARGET_SCHEMAS):
 * the pact-js Verifier's states come from a graph mapping, and the provider
 * reads the rows from Chinook's tables, which carry no test_tag.
 */
process.env.PACT_DO_NOT_TRACK = 'true';
const PACT = path.join(FIXTURES, 'invoices-api-chinook.json');
const MAPPING = `chinook-${process.pid}`;

let url: string;
let testapi: ServerProcess;
let pool: Pool;
let provider: http.Server;
let providerUrl: string;
const seen: number[] = [];

beforeAll(async () => {
  url = await createFixtureDatabase(databaseUrl(), 'chinook');
  testapi = await startServerProcess({ DATABASE_URL: url, TESTAPI_TARGET_SCHEMAS: 'public', TESTAPI_API_KEY: TESTAPI_KEY, HOST: '127.0.0.1' });
  pool = assertionPool(url, 2);
  provider = http.createServer(async (req, res) => {
    const id = /^\/customers\/(\d+)\/invoices$/.exec(req.url ?? '')?.[1];
    if (req.headers.authorization !== `Bearer ${PROVIDER_TOKEN}` || !id) {
      res.writeHead(404).end();
      return;
    }
    seen.push(Number(id));
    const row = (
      await pool.query('SELECT c.country, count(i.invoice_id)::int AS invoices, min(i.invoice_id) AS first FROM customer c LEFT JOIN invoice i USING (customer_id) WHERE c.customer_id = $1 GROUP BY c.country', [id])
    ).rows[0];
    res.writeHead(row ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(row ? JSON.stringify({ country: row.country, invoices: row.invoices, firstInvoiceId: row.first }) : undefined);
  });
  providerUrl = await listen(provider);
  const api = createTestApi({ baseUrl: testapi.url, apiKey: TESTAPI_KEY, fetch: contractFetch() });
  await api.pact.putMapping(MAPPING, {
    ttlSeconds: 600,
    states: {
      'a customer with invoices': {
        graph: { customer: [{ as: 'buyer', set: { country: 'Norway' }, invoice: [{ count: '{{params.invoices}}', as: 'bills' }] }] },
        params: { invoices: { param: 'invoices', default: 1 } },
        inject: { customerId: 'buyer[0].customer_id', invoiceId: 'bills[0].invoice_id' },
      },
    },
  });
}, 60_000);

afterAll(async () => {
  if (provider) await close(provider);
  await testapi?.stop();
  await pool?.end();
  if (url) await dropDatabase(databaseUrl(), url);
});

describe('The pact-js Verifier against a target schema with a graph mapping', () => {
  test('When the pact is verified, then it passes on rows the graph state wrote into Chinook, and teardown leaves no row, ledger entry or tag', async () => {
    const customersBefore = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM customer')).rows[0]!.n;

    await new Verifier({
      provider: 'invoices-api',
      providerBaseUrl: providerUrl,
      pactUrls: [PACT],
      providerStatesSetupUrl: `${testapi.url}/pact/provider-states?mapping=${MAPPING}&session=target`,
      customProviderHeaders: { Authorization: `Bearer ${PROVIDER_TOKEN}`, 'X-Testapi-Key': TESTAPI_KEY },
      logLevel: 'error',
    }).verifyProvider();

    // The provider answered from a customer testapi created (Chinook's own go up to 59).
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeGreaterThan(59);
    expect((await pool.query('SELECT count(*)::int AS n FROM customer WHERE customer_id = $1', [seen[0]])).rows[0].n).toBe(0);
    expect((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM customer')).rows[0]!.n).toBe(customersBefore);
    const left = await pool.query(
      `SELECT (SELECT count(*)::int FROM testapi.testapi_row_ledger WHERE starts_with(tag, $1)) AS ledger, (SELECT count(*)::int FROM testapi.test_tags WHERE starts_with(tag, $1)) AS tags`,
      [`pact.${MAPPING}.`],
    );
    expect(left.rows[0]).toEqual({ ledger: 0, tags: 0 });
  });
});
