import { Writable } from 'node:stream';
import type { TableCounts } from '../../../src/db/tables';
import { createLogger } from '../../../src/logger';
import { deleteTagInBatches } from '../../../src/tags/batched-delete';
import { createSweeper } from '../../../src/tags/sweeper';
import { lockTag } from '../../../src/tags/tag.repository';
import { vacuumsSettled } from '../../../src/tags/vacuum-after-delete';
import type { TestApp } from '../../support/app';
import { countRowsByTag, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import { insertGraph, insertOrder, registerTag } from '../../support/sql-fixtures';

// Sweeps and vacuums the whole database: a cluster of its own.
const own = useOwnCluster();
// ~115,000 rows: one DELETE statement of them takes far longer than the strict app's 300 ms (about 1 s here);
// a batch of 1,000 rows takes a few ms.
const BIG = { users: 4_000, ordersPerUser: 5, itemsPerOrder: 3, products: 20 };
const MEDIUM = { users: 300, ordersPerUser: 5, itemsPerOrder: 3, products: 20 };
let strict: TestApp;

beforeAll(async () => {
  strict = await own.buildApp({ STATEMENT_TIMEOUT_MS: '300', DELETE_BATCH_ROWS: '1000', VACUUM_AFTER_DELETED_ROWS: '1000' });
});

async function bigTag(prefix: string, params = BIG): Promise<{ tag: string; counts: TableCounts }> {
  const tag = uniqueTag(prefix);
  const res = await http(own.app).post('/scenarios/bulk-orders').send({ tag, params }).expect(201);
  return { tag, counts: res.body.counts };
}

async function registered(tag: string): Promise<boolean> {
  return ((await own.pool.query('SELECT 1 FROM test_tags WHERE tag = $1', [tag])).rowCount ?? 0) > 0;
}

async function expire(tag: string, secondsAgo: number): Promise<void> {
  await own.pool.query(`UPDATE test_tags SET expires_at = now() - make_interval(secs => $2) WHERE tag = $1`, [tag, secondsAgo]);
}

function capturingLogger(): { logger: ReturnType<typeof createLogger>; entries: Array<Record<string, unknown>> } {
  const entries: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      entries.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', stream), entries };
}

describe('A tag too large to delete within STATEMENT_TIMEOUT_MS', () => {
  test('When DELETE /tags/{tag} cannot delete it in one statement, then it is deleted in batches: 200 with every row counted, nothing left, the tag unregistered, and the emptied tables vacuumed', async () => {
    const { tag, counts } = await bigTag('huge');

    const res = await http(strict.app).delete(`/tags/${tag}`).expect(200);

    expect(res.body).toMatchObject({ tag, total: totalOf(counts) });
    expect(Object.fromEntries(Object.entries(res.body.deleted).filter(([, n]) => (n as number) > 0))).toEqual(
      Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)),
    );
    expect(totalOf(await countRowsByTag(tag, own.pool))).toBe(0);
    expect(await registered(tag)).toBe(false);
    // Past VACUUM_AFTER_DELETED_ROWS: the emptied tables are vacuumed in the background.
    await vacuumsSettled(strict.db.pool);
    const vacuumed = await own.pool.query<{ relname: string }>(`SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL AND relname = ANY($1)`, [
      ['order_items', 'orders', 'users'],
    ]);
    expect(vacuumed.rows.map((row) => row.relname).sort()).toEqual(['order_items', 'orders', 'users']);
  }, 60_000);

  test('When even one batch of DELETE_BATCH_ROWS overruns STATEMENT_TIMEOUT_MS (a busy or slow database), then the batches get smaller until they fit: 200, every row counted, nothing left', async () => {
    // A batch as large as the tag: as slow as the one statement, so it cannot fit in 300 ms either.
    const oversized = await own.buildApp({ STATEMENT_TIMEOUT_MS: '300', DELETE_BATCH_ROWS: '1000000' });
    try {
      const { tag, counts } = await bigTag('huge-batch');

      const res = await http(oversized.app).delete(`/tags/${tag}`).expect(200);

      expect(res.body).toMatchObject({ tag, total: totalOf(counts) });
      expect(totalOf(await countRowsByTag(tag, own.pool))).toBe(0);
      expect(await registered(tag)).toBe(false);
    } finally {
      await oversized.close();
    }
  }, 60_000);

  test('When the batched deletion stops midway (a crash between batches), then the tag is still registered with every foreign key intact, and the next DELETE finishes it', async () => {
    const { tag, counts } = await bigTag('crashed', MEDIUM);
    let batches = 0;

    const partial = await deleteTagInBatches({ pool: strict.db.pool, metrics: strict.metrics }, tag, {
      batchRows: 1_000,
      async stillWanted(client) {
        await lockTag(client, tag);
        batches += 1;
        return batches <= 5;
      },
    });

    const gone = totalOf(partial.counts);
    expect(partial.complete).toBe(false);
    expect(gone).toBeGreaterThan(0);
    expect(gone).toBeLessThan(totalOf(counts));
    expect(await registered(tag)).toBe(true);
    // Children went first: the rows left still satisfy every foreign key (PostgreSQL enforces them), and they are exactly the rest.
    expect(totalOf(await countRowsByTag(tag, own.pool))).toBe(totalOf(counts) - gone);
    const res = await http(strict.app).delete(`/tags/${tag}`).expect(200);
    expect(res.body.total).toBe(totalOf(counts) - gone);
    expect(totalOf(await countRowsByTag(tag, own.pool))).toBe(0);
    expect(await registered(tag)).toBe(false);
  }, 60_000);

  test('When such a tag has expired, then the sweeper deletes it in batches and the expired tags after it are swept too, in the same cycle', async () => {
    const { tag } = await bigTag('huge-expired');
    await expire(tag, 120);
    const small = [uniqueTag('after-huge'), uniqueTag('after-huge')];
    for (const name of small) {
      await registerTag(name, { expiresInSeconds: -60 }, own.pool);
      await insertGraph(name, {}, own.pool);
    }
    const { logger } = capturingLogger();
    const sweeper = createSweeper({ pool: strict.db.pool, logger, metrics: strict.metrics, intervalSeconds: 0, deleteBatchRows: 1_000 });

    const outcomes = await sweeper.sweepCycle();

    expect(outcomes.flatMap((outcome) => [...(outcome.error ? [String(outcome.error)] : []), ...outcome.failed.map((failure) => `${failure.tag}: ${String(failure.error)}`)])).toEqual([]);
    expect(outcomes.flatMap((outcome) => outcome.tags)).toEqual(expect.arrayContaining([tag, ...small]));
    for (const name of [tag, ...small]) {
      expect(totalOf(await countRowsByTag(name, own.pool))).toBe(0);
      expect(await registered(name)).toBe(false);
    }
  }, 60_000);
});

describe('Expired tags still referenced by live tags', () => {
  test('When a whole page of expired tags is kept, then the sweeper pages past them to the others, and logs each kept tag once until its reason changes', async () => {
    const live = uniqueTag('live');
    await registerTag(live, {}, own.pool);
    const kept: string[] = [];
    for (let index = 0; index < 30; index += 1) {
      const tag = uniqueTag('kept');
      kept.push(tag);
      await registerTag(tag, { expiresInSeconds: -600 }, own.pool);
      const graph = await insertGraph(tag, {}, own.pool);
      await insertOrder(live, graph.ids.userId, graph.ids.productId, own.pool);
    }
    const plain = [uniqueTag('plain'), uniqueTag('plain'), uniqueTag('plain')];
    for (const tag of plain) {
      await registerTag(tag, { expiresInSeconds: -60 }, own.pool);
      await insertGraph(tag, {}, own.pool);
    }
    const { logger, entries } = capturingLogger();
    const sweeper = createSweeper({ pool: own.db.pool, logger, metrics: own.metrics, intervalSeconds: 0, batchSize: 30 });
    const keptWarnings = (): number => entries.filter((entry) => entry.level === 40 && kept.includes(entry.tag as string)).length;

    const first = await sweeper.sweepCycle();
    const warningsAfterFirst = keptWarnings();
    await sweeper.sweepCycle();
    await sweeper.sweepCycle();

    expect(first.flatMap((outcome) => outcome.tags).sort()).toEqual([...plain].sort());
    for (const tag of plain) expect(await registered(tag)).toBe(false);
    for (const tag of kept) expect(await registered(tag)).toBe(true);
    expect(warningsAfterFirst).toBe(30);
    // Two more full cycles: the same 30 tags, kept for the same reason, not logged again.
    expect(keptWarnings()).toBe(30);

    // Once the live tag goes, its references go, and the next cycle sweeps the 30.
    await http(own.app).delete(`/tags/${live}`).expect(200);
    const freed = await sweeper.sweepCycle();
    expect(freed.flatMap((outcome) => outcome.tags).sort()).toEqual([...kept].sort());
  }, 60_000);
});
