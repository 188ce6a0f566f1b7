import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { ledgerCounts } from '../schema-target/support/target-checks';
import { useTargetApp } from '../schema-target/support/target-app';

// A statement-level trigger in a schema testapi does not model counts the INSERT statements the graph costs.
const chinook = useTargetApp(
  'chinook',
  {},
  {
    async prepare(pool) {
      await pool.query(`
        CREATE SCHEMA audit;
        CREATE TABLE audit.inserts (n int NOT NULL);
        CREATE FUNCTION audit.count_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit.inserts VALUES (1); RETURN NULL; END $$;
        CREATE TRIGGER count_insert AFTER INSERT ON employee FOR EACH STATEMENT EXECUTE FUNCTION audit.count_insert();`);
    },
  },
);

/** `length` employees, each reporting to the next one listed: the shape that took a sweep per node to order, and a statement per node to write (issue 26). */
function chain(length: number): object[] {
  return Array.from({ length }, (_, index) => (index + 1 < length ? { as: `e${index}`, connect: { reports_to: { ref: `e${index + 1}` } } } : { as: `e${index}` }));
}

async function insertStatements(): Promise<number> {
  return (await chinook.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit.inserts')).rows[0]!.n;
}

describe('POST /graphs with nodes chained by connect', () => {
  test('When 2,000 employees each report to the next, then all are written in a few statements, each reports_to pointing at the next one', async () => {
    const tag = uniqueTag('chain');
    const length = 2_000;
    const before = await insertStatements();

    const res = await http(chinook.app).post('/graphs').send({ tag, graph: { employee: chain(length) } }).expect(201);

    expect(res.body.counts).toEqual({ employee: length });
    // Per column list, not per node (2,000 on the node-by-node path): the top has no reports_to, e0 no key drawn up front (nobody points at it), the rest one list.
    expect((await insertStatements()) - before).toBeLessThanOrEqual(3);
    const ids = (res.body.records.employee as Array<{ employee_id: number }>).map((row) => row.employee_id);
    expect(res.body.aliases.e0).toEqual([{ employee_id: expect.any(Number) }]);
    const stored = await chinook.pool.query<{ employee_id: number; reports_to: number | null }>('SELECT employee_id, reports_to FROM employee WHERE employee_id = ANY($1)', [ids]);
    const reportsTo = new Map(stored.rows.map((row) => [row.employee_id, row.reports_to]));
    // Walk from e0, whom nobody reports to: the chain visits every row once and ends at e1999, who reports to nobody.
    const walked: number[] = [];
    for (let at: number | null | undefined = res.body.aliases.e0[0].employee_id; at !== null && at !== undefined && walked.length <= length; at = reportsTo.get(at)) walked.push(at);
    expect(new Set(walked).size).toBe(length);
    expect(walked.at(-1)).toBe(res.body.aliases[`e${length - 1}`][0].employee_id);
    expect(await ledgerCounts(chinook.pool, tag)).toEqual({ employee: length });
  });

  test('When the chain closes into a loop, then 400 names a ref cycle and nothing is written', async () => {
    const tag = uniqueTag('chain-loop');
    const nodes = chain(500) as Array<{ connect?: object }>;
    nodes[499] = { as: 'e499', connect: { reports_to: { ref: 'e0' } } } as never;

    const res = await http(chinook.app).post('/graphs').send({ tag, graph: { employee: nodes } }).expect(400);

    expect(res.body.errors[0].message).toMatch(/ref cycle/);
    expect(await ledgerCounts(chinook.pool, tag)).toEqual({});
  });
});
