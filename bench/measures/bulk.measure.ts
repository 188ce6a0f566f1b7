import { performance } from 'node:perf_hooks';
import { emptyCounts, type TableCounts } from '../../src/db/tables';
import { attempt, type BenchContext } from '../support/context';
import { copyInOneTransaction, prepareCopy } from '../support/copy-writer';
import { checkpoint } from '../support/database';
import { generateGraph, scaleCounts, totalRows } from '../support/graph';
import { callJson, expectStatus, type ProvisionResult } from '../support/http-client';
import { saveGraphPerEntity } from '../support/typeorm-writer';

export const BULK_PARAMS = { users: 10_000, ordersPerUser: 5, itemsPerOrder: 3 };

/** What bulk-orders 10,000 × 5 × 3 is expected to write, for the baselines when the endpoint fails. */
export const BULK_FALLBACK_COUNTS: TableCounts = { ...emptyCounts(), users: 10_000, products: 50, orders: 50_000, order_items: 150_000 };

export interface Throughput {
  tag: string;
  rows: number;
  ms: number;
  rowsPerSec: number;
}

export interface BulkOutcome {
  http?: Throughput & { counts: TableCounts };
  ceiling?: Throughput;
  baseline?: Throughput & { sliceOf: number };
}

function throughput(tag: string, rows: number, ms: number): Throughput {
  return { tag, rows, ms, rowsPerSec: rows / (ms / 1000) };
}

export async function measureBulk(context: BenchContext): Promise<BulkOutcome> {
  const { db, service, tagPrefix, log } = context;
  const outcome: BulkOutcome = {};

  outcome.http = await attempt(context, 'bulk: POST /scenarios/bulk-orders', async () => {
    const tag = `${tagPrefix}-bulk-http`;
    await checkpoint(db.pool);
    const call = expectStatus(
      await callJson<ProvisionResult>('POST', `${service.url}/scenarios/bulk-orders`, { tag, seed: 1, params: BULK_PARAMS }),
      201,
      'bulk-orders',
    );
    const rows = totalRows(call.body.counts);
    log(`bulk: HTTP bulk-orders wrote ${rows.toLocaleString('en-US')} rows in ${Math.round(call.ms)} ms`);
    return { ...throughput(tag, rows, call.ms), counts: call.body.counts };
  });
  const counts = outcome.http?.counts ?? BULK_FALLBACK_COUNTS;

  outcome.ceiling = await attempt(context, 'bulk: raw COPY ceiling', async () => {
    const tag = `${tagPrefix}-bulk-copy`;
    const prepared = prepareCopy(tag, generateGraph(tag, counts));
    const client = await db.pool.connect();
    try {
      await checkpoint(db.pool);
      const started = performance.now();
      await copyInOneTransaction(client, prepared);
      const ms = performance.now() - started;
      log(`bulk: raw COPY wrote ${prepared.rows.toLocaleString('en-US')} rows in ${Math.round(ms)} ms`);
      return throughput(tag, prepared.rows, ms);
    } finally {
      client.release();
    }
  });

  outcome.baseline = await attempt(context, 'bulk: TypeORM save per entity', async () => {
    const sliceOf = 10;
    const tag = `${tagPrefix}-bulk-typeorm`;
    const graph = generateGraph(tag, scaleCounts(counts, sliceOf));
    await checkpoint(db.pool);
    const started = performance.now();
    const rows = await saveGraphPerEntity(db.dataSource, tag, graph);
    const ms = performance.now() - started;
    log(`bulk: TypeORM save per entity wrote ${rows.toLocaleString('en-US')} rows (1/${sliceOf} slice) in ${Math.round(ms)} ms`);
    return { ...throughput(tag, rows, ms), sliceOf };
  });

  return outcome;
}
