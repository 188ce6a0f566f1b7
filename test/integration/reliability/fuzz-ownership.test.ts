import fc from 'fast-check';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useTargetApp } from '../schema-target/support/target-app';

/**
 * The ownership promise under random interleavings (issue 23): provisioning
 * and cleanup by testapi, and, in between, the application inserting,
 * updating, deleting and re-using freed keys. After every cleanup no row
 * testapi did not create is gone or changed, and no row the tag created is
 * left. A modest size in the suite; `npm run fuzz` runs it larger.
 */
const trust = useTargetApp('trust');

type Table = 'customer' | 'country_ref';
const KEY: Record<Table, string> = { customer: 'id', country_ref: 'code' };
const VALUE: Record<Table, string> = { customer: 'tier', country_ref: 'region' };

type Action =
  | { kind: 'provision'; tag: number; table: Table; count: number; seed: number }
  | { kind: 'app-delete'; table: Table; pick: number }
  | { kind: 'app-reuse'; table: Table; pick: number }
  | { kind: 'app-update'; table: Table; pick: number }
  | { kind: 'cleanup'; tag: number };

const table = fc.constantFrom<Table>('customer', 'country_ref');
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('provision' as const), tag: fc.nat(2), table, count: fc.integer({ min: 1, max: 3 }), seed: fc.nat(2) }),
  fc.record({ kind: fc.constant('app-delete' as const), table, pick: fc.nat() }),
  fc.record({ kind: fc.constant('app-reuse' as const), table, pick: fc.nat() }),
  fc.record({ kind: fc.constant('app-update' as const), table, pick: fc.nat() }),
  fc.record({ kind: fc.constant('cleanup' as const), tag: fc.nat(2) }),
);

interface Row {
  /** The tag that created it, or null for the application's. */
  owner: string | null;
  /** The application's rows: their value column as the application wrote it. */
  value: string | null;
}

const RUNS = Math.min(Number(process.env.FUZZ_RUNS ?? 12), 300);

describe('Cleanup under random application writes', () => {
  test('When the application inserts, updates, deletes and re-uses keys between provisioning and cleanup, then each cleanup deletes exactly the rows its tag created', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 4, maxLength: 14 }), async (actions) => {
        const tags = [0, 1, 2].map((n) => uniqueTag(`own-${n}`));
        const rows: Record<Table, Map<string, Row>> = { customer: new Map(), country_ref: new Map() };
        const freed: Record<Table, string[]> = { customer: [], country_ref: [] };
        const pick = <T>(list: T[], at: number): T | undefined => (list.length === 0 ? undefined : list[at % list.length]);
        for (const step of actions) {
          if (step.kind === 'provision') {
            const res = await http(trust.app)
              .post('/graphs')
              .send({ tag: tags[step.tag], seed: step.seed, graph: { [step.table]: [{ count: step.count }] } })
              .expect(201);
            for (const record of res.body.records[step.table] as Array<Record<string, unknown>>) rows[step.table].set(String(record[KEY[step.table]]), { owner: tags[step.tag]!, value: null });
          } else if (step.kind === 'app-delete') {
            const key = pick([...rows[step.table].keys()], step.pick);
            if (key === undefined) continue;
            await trust.pool.query(`DELETE FROM ${step.table} WHERE ${KEY[step.table]}::text = $1`, [key]);
            rows[step.table].delete(key);
            freed[step.table].push(key);
          } else if (step.kind === 'app-reuse') {
            const key = pick(freed[step.table], step.pick);
            if (key === undefined || rows[step.table].has(key)) continue;
            const value = `app-${step.pick % 1000}`;
            if (step.table === 'customer') await trust.pool.query(`INSERT INTO customer (id, name, email, tier) VALUES ($1, 'Application Person', 'app@example.com', $2)`, [Number(key), value]);
            else await trust.pool.query(`INSERT INTO country_ref (code, name, region) VALUES ($1, 'Application Land', $2)`, [key, value]);
            rows[step.table].set(key, { owner: null, value });
          } else if (step.kind === 'app-update') {
            const key = pick([...rows[step.table].keys()], step.pick);
            if (key === undefined) continue;
            const value = `upd-${step.pick % 1000}`;
            await trust.pool.query(`UPDATE ${step.table} SET ${VALUE[step.table]} = $2 WHERE ${KEY[step.table]}::text = $1`, [key, value]);
            const row = rows[step.table].get(key)!;
            if (row.owner === null) row.value = value;
          } else {
            const tag = tags[step.tag]!;
            await http(trust.app).delete(`/tags/${tag}`).expect(200);
            for (const name of ['customer', 'country_ref'] as const) {
              for (const [key, row] of [...rows[name]]) {
                const found = await trust.pool.query<{ value: string | null }>(`SELECT ${VALUE[name]} AS value FROM ${name} WHERE ${KEY[name]}::text = $1`, [key]);
                if (row.owner === tag) {
                  expect({ table: name, key, left: found.rowCount }).toEqual({ table: name, key, left: 0 });
                  rows[name].delete(key);
                } else {
                  expect({ table: name, key, left: found.rowCount }).toEqual({ table: name, key, left: 1 });
                  if (row.owner === null) expect(found.rows[0]!.value).toBe(row.value);
                }
              }
            }
          }
        }
        // The run's leftovers go, so the next run starts from the fixture's own rows.
        for (const tag of tags) await http(trust.app).delete(`/tags/${tag}`).expect(200);
        for (const name of ['customer', 'country_ref'] as const) {
          const appKeys = [...rows[name]].filter(([, row]) => row.owner === null).map(([key]) => key);
          await trust.pool.query(`DELETE FROM ${name} WHERE ${KEY[name]}::text = ANY($1::text[])`, [appKeys]);
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
