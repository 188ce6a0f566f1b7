// Compile-time tests of the client typed by a deployment's generated contract: chinook.generated.ts is what
// `testapi generate` writes for the Chinook fixture with test/fixtures/scenarios/chinook (the e2e test
// test/e2e/generate-types.test.ts generates it afresh and compiles this very file against the new one).
// Each misuse fails to compile on exactly the line after its @ts-expect-error.
import { createTestApi, type ScenarioName, type ScenarioParams } from '@testapi/client';
import { useTestApi } from '@testapi/client/jest';
import type { paths } from './chinook.generated';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

const api = createTestApi<paths>({ baseUrl: 'http://127.0.0.1:3000' });
const testData = useTestApi<paths>({ prefix: 'chinook-types' });

// The deployment's scenarios are its files; the built-in shop scenarios are not offered there.
assertType<Equal<ScenarioName<paths>, 'customer-with-overdue-invoice' | 'playlist-with-tracks'>>();
assertType<Equal<ScenarioParams<'playlist-with-tracks', paths>, { name: string; tracks?: number }>>();

export async function correctUse(): Promise<void> {
  const overdue = await api.provision('customer-with-overdue-invoice', { seed: 1, params: { invoices: 2, country: 'Norway' }, overrides: { customer: { last_name: 'Ng' } } });
  const email: string = overdue.data.customer.email;
  const sameEmail: string = overdue.data.email;
  const invoiceIds: number[] = overdue.data.invoices.map((invoice) => invoice.invoice_id);
  // numeric as text, exact whichever path wrote the row (src/graphs/record-format.ts).
  const total = overdue.data.invoices[0]!.total;
  assertType<Equal<typeof total, string>>();
  assertType<Equal<typeof overdue.scenario, 'customer-with-overdue-invoice'>>();
  const playlist = await testData.provision('playlist-with-tracks', { params: { name: 'Mix' } });
  const trackName: string | undefined = playlist.data.tracks[0]?.name;

  const graphed = await api.graph({
    tag: 'invoices-1',
    graph: { customer: [{ count: 2, as: 'buyers', set: { country: 'Germany', support_rep_id: null }, invoice: [{ invoice_line: [{ count: 2 }] }] }], genre: [{ as: 'rock' }] },
  });
  // Records typed per table, as the answer holds them: a created customer's e-mail, an invoice's numeric total as text.
  const graphedEmail: string = graphed.records.customer![0]!.email;
  const graphedTotal = graphed.records.invoice![0]!.total;
  assertType<Equal<typeof graphedTotal, string>>();
  const helped = await testData.graph({ graph: { employee: [{ 'employee.reports_to': [{ count: 2 }] }], track: [{ connect: { genre_id: { ref: 'rock' } } }] } });
  const managerId: number = helped.records.employee![0]!.employee_id;
  void [email, sameEmail, invoiceIds, total, trackName, graphedEmail, managerId];
}

export async function misuse(): Promise<void> {
  // @ts-expect-error a built-in scenario this deployment does not offer
  await api.provision('user');
  // @ts-expect-error a param the scenario file does not declare
  await api.provision('customer-with-overdue-invoice', { params: { invoice: 2 } });
  // @ts-expect-error a param of the wrong type
  await api.provision('customer-with-overdue-invoice', { params: { invoices: 'two' } });
  // @ts-expect-error a required param left out
  await testData.provision('playlist-with-tracks', { params: { tracks: 2 } });
  // @ts-expect-error overrides of an alias the scenario does not have
  await api.provision('customer-with-overdue-invoice', { overrides: { buyer: { last_name: 'Ng' } } });
  // @ts-expect-error a table the schema does not have
  await api.graph({ graph: { customers: [{ count: 1 }] } });
  const graphed = await api.graph({ graph: { customer: [{ count: 1 }] } });
  // @ts-expect-error a column the record does not have
  void graphed.records.customer![0]!.emial;
  // @ts-expect-error a table the answer does not have
  void graphed.records.customers;
  // @ts-expect-error a record's value of the wrong type (customer_id is a number)
  const wrongId: string = graphed.records.customer![0]!.customer_id;
  void wrongId;
  // @ts-expect-error a column the table does not have
  await api.graph({ graph: { customer: [{ set: { emial: 'a@example.com' } }] } });
  // @ts-expect-error a column value of the wrong type
  await api.graph({ graph: { customer: [{ invoice: [{ set: { customer_id: 'seven' } }] }] } });
  // @ts-expect-error a child key with no foreign key to the parent (track does not reference customer)
  await testData.graph({ graph: { customer: [{ track: [{ count: 1 }] }] } });
  // @ts-expect-error the helper owns the tag
  await testData.graph({ tag: 'mine', graph: { genre: [{}] } });
}
