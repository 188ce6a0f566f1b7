import { poolOf } from '../../../src/db/data-source';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { ledgerCounts, tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * testapi's own sessions on an application's schema whose foreign-key
 * columns have no index (a Sequelize app): what they set, and what the
 * dependents checks of a delete cost there (issue 24).
 */
const conduit = useTargetApp('conduit');

async function setting(name: string): Promise<string> {
  const { rows } = await conduit.db.pool.query<{ value: string }>('SELECT current_setting($1) AS value', [name]);
  return rows[0]!.value;
}

describe("testapi's sessions", () => {
  test('When testapi connects, then its sessions run without JIT and with the date, interval, float, time zone and bytea formats its code reads, and with the planner defaults', async () => {
    const settings = Object.fromEntries(
      await Promise.all(['jit', 'DateStyle', 'IntervalStyle', 'extra_float_digits', 'TimeZone', 'bytea_output', 'enable_seqscan', 'search_path'].map(async (name) => [name, await setting(name)])),
    );

    expect(settings).toEqual({
      jit: 'off',
      DateStyle: 'ISO, MDY',
      IntervalStyle: 'postgres',
      extra_float_digits: '1',
      TimeZone: 'UTC',
      bytea_output: 'hex',
      enable_seqscan: 'on',
      search_path: 'testapi',
    });
  });

  test('When PostgreSQL checks a delete against a foreign key without an index (comments."articleId"), then on testapi\'s session that check is priced below jit_above_cost', async () => {
    // The statement PostgreSQL's NO ACTION trigger runs for every deleted article (ri_triggers.c), on one of testapi's own connections.
    const client = await poolOf(conduit.db.dataSource).connect();
    try {
      const plan = await client.query<{ 'QUERY PLAN': Array<{ Plan: { 'Total Cost': number; 'Node Type': string } }> }>(
        'EXPLAIN (FORMAT JSON) SELECT 1 FROM ONLY public.comments x WHERE "articleId" OPERATOR(pg_catalog.=) 1 FOR KEY SHARE OF x',
      );
      const jitAboveCost = Number((await client.query<{ value: string }>("SELECT current_setting('jit_above_cost') AS value")).rows[0]!.value);
      const root = plan.rows[0]!['QUERY PLAN'][0]!.Plan;

      // Under the old session-wide enable_seqscan = off the only possible plan, a scan, cost about 10^10: every check was JIT-compiled.
      expect({ cost: root['Total Cost'], belowJit: root['Total Cost'] < jitAboveCost }).toEqual({ cost: root['Total Cost'], belowJit: true });
    } finally {
      client.release();
    }
  });

  test('When a tag of an article with comments is deleted on this schema, then the rows go and every pre-existing row is unchanged', async () => {
    const tag = uniqueTag('conduit-delete');
    const before = await tableChecksums(conduit.pool);
    const created = await http(conduit.app)
      .post('/graphs')
      .send({ tag, graph: { users: [{ as: 'author', articles: [{ count: 2, comments: [{ count: 3, connect: { authorId: { ref: 'author' } } }] }] }] } })
      .expect(201);
    expect(created.body.counts).toMatchObject({ users: 1, articles: 2, comments: 6 });

    const removed = await http(conduit.app).delete(`/tags/${tag}`).expect(200);

    expect(removed.body).toEqual({ tag, deleted: { users: 1, articles: 2, comments: 6 }, total: 9 });
    expect(await ledgerCounts(conduit.pool, tag)).toEqual({});
    expect(await tableChecksums(conduit.pool)).toEqual(before);
  });
});
