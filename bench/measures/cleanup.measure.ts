import { performance } from 'node:perf_hooks';
import { DOMAIN_TABLES_DELETE_ORDER, emptyCounts } from '../../src/db/tables';
import { attempt, type BenchContext } from '../support/context';
import { copyInOneTransaction, prepareCopy } from '../support/copy-writer';
import { checkpoint, domainRowCount } from '../support/database';
import { generateGraph, totalRows } from '../support/graph';
import { callJson, expectStatus, type DeleteResult } from '../support/http-client';
import { percentile } from '../support/report';
import { graphInserts, inTransaction, rawDeleteTag } from '../support/sql-writer';
import { BULK_FALLBACK_COUNTS, type BulkOutcome } from './bulk.measure';
import { SMALL_FALLBACK_COUNTS } from './small.measure';

const SMALL_TAGS = 30;
const OTHER_ROWS_NEEDED = 1_000_000;

export interface BigCleanupOutcome {
  http?: { rows: number; ms: number };
  raw?: { rows: number; ms: number };
}

export interface SmallCleanupOutcome {
  rowsPerTag: number;
  otherRows: number;
  p50: number;
  p99: number;
  /** The same rows deleted by hand: one transaction, one DELETE per table holding rows, children first. */
  raw: { p50: number; p99: number };
}

async function deleteOverHttp(context: BenchContext, tag: string, expectedTotal: number): Promise<number> {
  const call = expectStatus(await callJson<DeleteResult>('DELETE', `${context.service.url}/tags/${encodeURIComponent(tag)}`), 200, `DELETE /tags/${tag}`);
  if (call.body.total !== expectedTotal) throw new Error(`DELETE /tags/${tag} deleted ${call.body.total} rows, expected ${expectedTotal}`);
  return call.ms;
}

/** The 210k-row tag through HTTP, and the equal COPY-written tag by raw SQL. */
export async function measureBigCleanup(context: BenchContext, bulk: BulkOutcome): Promise<BigCleanupOutcome> {
  const { db, log } = context;
  const outcome: BigCleanupOutcome = {};
  // The first runs of each: equal counts by construction.
  const provisioned = bulk.http?.first;
  const ceiling = bulk.ceiling?.first;
  if (provisioned) {
    outcome.http = await attempt(context, 'cleanup: DELETE /tags/{bulk tag}', async () => {
      await checkpoint(db.pool);
      const ms = await deleteOverHttp(context, provisioned.tag, provisioned.rows);
      log(`cleanup: DELETE /tags of ${provisioned.rows.toLocaleString('en-US')} rows in ${Math.round(ms)} ms`);
      return { rows: provisioned.rows, ms };
    });
  }
  outcome.raw = await attempt(context, 'cleanup: raw DELETE', async () => {
    let tag = ceiling?.tag;
    let rows = ceiling?.rows ?? 0;
    if (!tag) {
      // The ceiling's COPY failed: write an equal tag to delete.
      tag = `${context.tagPrefix}-cleanup-raw`;
      const prepared = prepareCopy(tag, generateGraph(tag, provisioned?.counts ?? BULK_FALLBACK_COUNTS));
      const client = await db.pool.connect();
      await copyInOneTransaction(client, prepared).finally(() => client.release());
      rows = prepared.rows;
    }
    const client = await db.pool.connect();
    try {
      await checkpoint(db.pool);
      const started = performance.now();
      const deleted = await rawDeleteTag(client, tag);
      const ms = performance.now() - started;
      if (totalRows(deleted) !== rows) throw new Error(`raw DELETE removed ${totalRows(deleted)} rows, expected ${rows}`);
      log(`cleanup: raw DELETE of ${rows.toLocaleString('en-US')} rows in ${Math.round(ms)} ms`);
      return { rows, ms };
    } finally {
      client.release();
    }
  });
  return outcome;
}

/** Tops the database up to `OTHER_ROWS_NEEDED` rows with a COPY-written filler tag. */
async function ensureOtherRows(context: BenchContext): Promise<number> {
  const { db, log } = context;
  let present = await domainRowCount(db.pool);
  if (present < OTHER_ROWS_NEEDED) {
    const missing = OTHER_ROWS_NEEDED - present;
    // 1 user : 5 orders : 15 items, like the bulk graph.
    const users = Math.ceil(missing / 21);
    const tag = `${context.tagPrefix}-filler`;
    const prepared = prepareCopy(tag, generateGraph(tag, { ...emptyCounts(), users, products: 50, orders: users * 5, order_items: users * 15 }));
    const client = await db.pool.connect();
    await copyInOneTransaction(client, prepared).finally(() => client.release());
    log(`cleanup: ${present.toLocaleString('en-US')} rows present, copied ${prepared.rows.toLocaleString('en-US')} filler rows`);
    present += prepared.rows;
  }
  return present;
}

/**
 * p50 of deleting 30 small tags through HTTP, and of deleting 30 equal tags by
 * hand (raw pg, one transaction), alternately, while ≥ 1M other rows sit in
 * the same tables.
 */
export async function measureSmallCleanup(context: BenchContext): Promise<SmallCleanupOutcome> {
  const { db, log, tagPrefix } = context;
  const counts = SMALL_FALLBACK_COUNTS;
  const rowsPerTag = totalRows(counts);
  const otherRows = await ensureOtherRows(context);

  const tags = Array.from({ length: SMALL_TAGS }, (_, i) => ({ http: `${tagPrefix}-tiny-${i}`, raw: `${tagPrefix}-tiny-raw-${i}` }));
  const client = await db.pool.connect();
  try {
    for (const tag of tags.flatMap((pair) => [pair.http, pair.raw])) {
      const statements = graphInserts(tag, generateGraph(tag, counts));
      await inTransaction(client, async () => {
        for (const statement of statements) await client.query(statement);
      });
    }

    // The hand-written cleanup knows which tables the graph wrote.
    const tables = DOMAIN_TABLES_DELETE_ORDER.filter((table) => counts[table] > 0);
    await checkpoint(db.pool);
    const viaHttp: number[] = [];
    const byHand: number[] = [];
    for (const pair of tags) {
      viaHttp.push(await deleteOverHttp(context, pair.http, rowsPerTag));
      const started = performance.now();
      const deleted = await rawDeleteTag(client, pair.raw, tables);
      byHand.push(performance.now() - started);
      if (totalRows(deleted) !== rowsPerTag) throw new Error(`raw DELETE of ${pair.raw} removed ${totalRows(deleted)} rows, expected ${rowsPerTag}`);
    }
    viaHttp.sort((a, b) => a - b);
    byHand.sort((a, b) => a - b);
    const outcome = {
      rowsPerTag,
      otherRows,
      p50: percentile(viaHttp, 50),
      p99: percentile(viaHttp, 99),
      raw: { p50: percentile(byHand, 50), p99: percentile(byHand, 99) },
    };
    log(
      `cleanup: ${SMALL_TAGS} deletes each way of ${rowsPerTag}-row tags with ${otherRows.toLocaleString('en-US')} rows present: ` +
        `HTTP p50 ${outcome.p50.toFixed(2)} ms (max ${viaHttp.at(-1)?.toFixed(2)}), by hand p50 ${outcome.raw.p50.toFixed(2)} ms (max ${byHand.at(-1)?.toFixed(2)})`,
    );
    return outcome;
  } finally {
    client.release();
  }
}
