import { startBackgroundTasks } from '../../../src/background';
import { emptyCounts } from '../../../src/db/tables';
import { createLogger } from '../../../src/logger';
import { createSweeper, SWEEPER_LOCK_KEY, type SweepOutcome, type Sweeper } from '../../../src/tags/sweeper';
import { countRowsByTag, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import { insertGraph, insertOrder, registerTag } from '../../support/sql-fixtures';

/** The sweeper deletes across the whole database: a private cluster, never the shared one. */
const own = useOwnCluster({ pool: 4 });
const logs: Array<Record<string, unknown>> = [];
let sweeper: Sweeper;

beforeAll(() => {
  const logger = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) });
  sweeper = createSweeper({ pool: own.db.pool, logger, metrics: own.metrics, intervalSeconds: 0 });
});
afterAll(async () => {
  await sweeper?.stop();
});

async function isRegistered(tag: string): Promise<boolean> {
  return (await own.pool.query('SELECT 1 FROM test_tags WHERE tag = $1', [tag])).rowCount === 1;
}

function deletedMetric(text: string): number {
  return [...text.matchAll(/testapi_rows_deleted_total\{table="[a-z_]+"\} (\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

describe('Tag sweeper', () => {
  test('When a sweep runs, then expired tags go with their rows, live and unregistered ones stay, and it logs and counts what it removed', async () => {
    const [expired, live, loose] = [uniqueTag('exp'), uniqueTag('live'), uniqueTag('loose')];
    await registerTag(expired, { expiresInSeconds: -30 }, own.pool);
    await registerTag(live, {}, own.pool);
    const graph = await insertGraph(expired, { orders: 2 }, own.pool);
    const liveGraph = await insertGraph(live, {}, own.pool);
    const looseGraph = await insertGraph(loose, {}, own.pool);
    const metricBefore = deletedMetric(await own.metrics.registry.metrics());

    const outcome = await sweeper.sweepOnce();

    expect(outcome).toMatchObject({ status: 'swept', tags: [expired], deleted: graph.counts, total: totalOf(graph.counts) });
    expect(await countRowsByTag(expired, own.pool)).toEqual(emptyCounts());
    expect(await isRegistered(expired)).toBe(false);
    expect(await countRowsByTag(live, own.pool)).toEqual(liveGraph.counts);
    expect(await countRowsByTag(loose, own.pool)).toEqual(looseGraph.counts);
    expect(logs).toContainEqual(expect.objectContaining({ level: 30, tags: [expired], total: totalOf(graph.counts) }));
    const metricsText = await own.metrics.registry.metrics();
    expect(deletedMetric(metricsText) - metricBefore).toBe(totalOf(graph.counts));
    expect(metricsText).toMatch(/testapi_sweeper_runs_total\{outcome="ok"\} [1-9]/);
  });

  test('When a request holds an expired tag (provisioning extends it), then the sweep skips it without waiting, and the extended tag survives', async () => {
    const tag = uniqueTag('busy');
    await registerTag(tag, { expiresInSeconds: -30 }, own.pool);
    await insertGraph(tag, {}, own.pool);
    const provisioning = await own.pool.connect();
    try {
      await provisioning.query('BEGIN');
      await provisioning.query(
        `INSERT INTO test_tags (tag, expires_at) VALUES ($1, now() + interval '1 hour')
         ON CONFLICT (tag) DO UPDATE SET expires_at = GREATEST(test_tags.expires_at, EXCLUDED.expires_at)`,
        [tag],
      );

      const started = Date.now();
      const whileBusy = await sweeper.sweepOnce();
      const waitedMs = Date.now() - started;
      await provisioning.query('COMMIT');
      const afterCommit = await sweeper.sweepOnce();

      expect(whileBusy.status).toBe('swept');
      expect(whileBusy.tags).not.toContain(tag);
      expect(waitedMs).toBeLessThan(2000);
      expect(afterCommit.tags).not.toContain(tag);
      expect(await isRegistered(tag)).toBe(true);
      expect(totalOf(await countRowsByTag(tag, own.pool))).toBeGreaterThan(0);
    } finally {
      await provisioning.query('ROLLBACK').catch(() => undefined);
      provisioning.release();
    }
  });

  test('When provisioning extends an expired tag while a sweep runs, then the tag ends registered with every row it still has', async () => {
    for (let round = 0; round < 10; round += 1) {
      const tag = uniqueTag('revive');
      await registerTag(tag, { expiresInSeconds: -5 }, own.pool);
      const old = totalOf((await insertGraph(tag, {}, own.pool)).counts);

      const [provisioned, outcome] = await Promise.all([
        http(own.app).post('/scenarios/user').send({ tag, ttlSeconds: 3600 }),
        sweeper.sweepOnce(),
      ]);

      expect(provisioned.status).toBe(201);
      expect(outcome.status).toBe('swept');
      const rows = totalOf(await countRowsByTag(tag, own.pool));
      const fresh = totalOf(provisioned.body.counts);
      // Swept first: the old graph went and the new one stands. Provisioned first: the sweep left the extended tag alone.
      expect(rows).toBe(outcome.tags.includes(tag) ? fresh : old + fresh);
      expect(await isRegistered(tag)).toBe(true);
    }
  });

  test('When another replica holds the sweeper lock, then this one skips its turn and deletes nothing', async () => {
    const tag = uniqueTag('exp');
    await registerTag(tag, { expiresInSeconds: -30 }, own.pool);
    const otherReplica = await own.pool.connect();
    try {
      await otherReplica.query('BEGIN');
      await otherReplica.query('SELECT pg_advisory_xact_lock($1::bigint)', [SWEEPER_LOCK_KEY.toString()]);

      const outcome = await sweeper.sweepOnce();

      expect(outcome.status).toBe('skipped');
      expect(await isRegistered(tag)).toBe(true);
    } finally {
      await otherReplica.query('ROLLBACK');
      otherReplica.release();
    }
    expect((await sweeper.sweepOnce()).tags).toContain(tag);
  });

  test('When an expired tag is referenced by a live tag, then it is kept (with a warning) and the other expired tags still go', async () => {
    const [referenced, plain, live] = [uniqueTag('exp'), uniqueTag('exp'), uniqueTag('live')];
    await registerTag(referenced, { expiresInSeconds: -30 }, own.pool);
    await registerTag(plain, { expiresInSeconds: -30 }, own.pool);
    await registerTag(live, {}, own.pool);
    const graph = await insertGraph(referenced, {}, own.pool);
    await insertGraph(plain, {}, own.pool);
    await insertOrder(live, graph.ids.userId, graph.ids.productId, own.pool);

    const outcome = await sweeper.sweepOnce();

    expect(outcome.tags).toEqual([plain]);
    const references = [
      { table: 'order_items', constraint: 'fk_order_items_product', referencedTable: 'products', rows: 1, referencingTag: live },
      { table: 'orders', constraint: 'fk_orders_user', referencedTable: 'users', rows: 1, referencingTag: live },
    ];
    expect(outcome.kept).toEqual([{ tag: referenced, references }]);
    expect(await countRowsByTag(referenced, own.pool)).toEqual(graph.counts);
    expect(logs).toContainEqual(expect.objectContaining({ level: 40, tag: referenced, references, msg: expect.stringContaining(`1 row(s) of orders (tag "${live}") reference its users (fk_orders_user)`) }));
    const detail = await http(own.app).get(`/tags/${referenced}`).expect(200);
    expect(detail.body).toMatchObject({ tag: referenced, expired: true, kept: { at: expect.any(String), references } });

    await own.db.pool.query('UPDATE test_tags SET expires_at = now() - interval \'1 second\' WHERE tag = $1', [live]);
    const next = await sweeper.sweepOnce();
    expect(next.tags.sort()).toEqual([referenced, live].sort());
  });

  test('When stop() is called during a sweep, then it resolves only after the sweep finished', async () => {
    const local = createSweeper({ pool: own.db.pool, logger: createLogger('silent'), metrics: own.metrics, intervalSeconds: 0 });
    let finished = false;
    const running = local.sweepOnce().then(() => {
      finished = true;
    });

    await local.stop();

    expect(finished).toBe(true);
    await running;
  });

  test('When two service instances sweep one database together, then no sweep fails and every expired row is counted exactly once', async () => {
    const tags = Array.from({ length: 30 }, () => uniqueTag('pair'));
    let expectedRows = 0;
    for (const tag of tags) {
      await registerTag(tag, { expiresInSeconds: -10 }, own.pool);
      expectedRows += totalOf((await insertGraph(tag, {}, own.pool)).counts);
    }
    const second = await own.buildApp();
    const outcomes: SweepOutcome[] = [];
    const timerOutcomes: SweepOutcome[] = [];
    const instances = [own, second].map((instance) =>
      startBackgroundTasks(
        { config: { ...instance.config, tagSweepIntervalSeconds: 1 }, db: instance.db, logger: createLogger('silent'), metrics: instance.metrics },
        {
          onSweep: (outcome) => {
            outcomes.push(outcome);
            timerOutcomes.push(outcome);
          },
        },
      ),
    );
    const before = deletedMetric(await own.metrics.registry.metrics());
    const instanceSweepers = [own, second].map((instance) =>
      createSweeper({ pool: instance.db.pool, logger: createLogger('silent'), metrics: instance.metrics, intervalSeconds: 0, batchSize: 4, onSweep: (o) => outcomes.push(o) }),
    );
    try {
      // Direct calls from both instances at once (4 tags each, at most 24 of the 30), racing the timers, which finish the rest.
      await Promise.all(instanceSweepers.flatMap((s) => [s.sweepOnce(), s.sweepOnce(), s.sweepOnce()]));
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && (await own.pool.query('SELECT 1 FROM test_tags WHERE tag = ANY($1)', [tags])).rowCount! > 0) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await Promise.all(instances.map((instance) => instance.stop()));
      await Promise.all(instanceSweepers.map((s) => s.stop()));
    }
    const removed = outcomes.flatMap((outcome) => outcome.tags).filter((tag) => tags.includes(tag));
    const metricDelta =
      deletedMetric(await own.metrics.registry.metrics()) - before + deletedMetric(await second.metrics.registry.metrics());

    expect(outcomes.filter((outcome) => outcome.status === 'failed')).toEqual([]);
    expect(timerOutcomes.some((outcome) => outcome.tags.length > 0)).toBe(true);
    expect(removed.sort()).toEqual([...tags].sort());
    expect(metricDelta).toBe(expectedRows);
    for (const tag of tags.slice(0, 3)) expect(await countRowsByTag(tag, own.pool)).toEqual(emptyCounts());
  });
});
