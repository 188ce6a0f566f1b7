import autocannon from 'autocannon';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { emptyCounts, type TableCounts } from '../../src/db/tables';
import { attempt, type BenchContext } from '../support/context';
import { cpuPerUnit, cpuSources, describeCpu } from '../support/cpu-time';
import { checkpoint } from '../support/database';
import { generateGraph, totalRows } from '../support/graph';
import { callJson, expectStatus, type ProvisionResult } from '../support/http-client';
import { percentile } from '../support/report';
import { startBenchService, type BenchService } from '../support/service';
import { graphInserts, inTransaction } from '../support/sql-writer';

export const SMALL_PARAMS = { orders: 3, itemsPerOrder: 2 };
export const CONCURRENCY = 8;
const DURATION_S = 10;
const WARMUP_S = 2;

/** A user with 3 orders × 2 items, 5 products, a payment and a shipment per order: 21 rows. */
export const SMALL_FALLBACK_COUNTS: TableCounts = { ...emptyCounts(), users: 1, products: 5, orders: 3, order_items: 6, payments: 3, shipments: 3 };

/** CPU ms per request (or transaction), by process: where the 2 cores go. */
export type CpuBudget = Record<string, number>;

export interface HttpRun {
  requestsPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  cpu: CpuBudget;
}

export interface SmallOutcome {
  counts: TableCounts;
  /** One service process (TESTAPI_WORKERS=1, the default). */
  http?: HttpRun;
  /** TESTAPI_WORKERS=auto: one worker per available core. */
  workers?: HttpRun & { count: number };
  raw?: { txPerSec: number; p50: number; p99: number; transactions: number; cpu: CpuBudget };
}

async function runAutocannon(service: BenchService, tagBase: string, seconds: number): Promise<autocannon.Result> {
  let sequence = 0;
  const result = await autocannon({
    url: `${service.url}/scenarios/user-with-orders`,
    connections: CONCURRENCY,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // Each request under its own tag, as parallel tests would do.
        setupRequest: (request) => {
          sequence += 1;
          return { ...request, body: JSON.stringify({ tag: `${tagBase}-${sequence}`, seed: sequence, params: SMALL_PARAMS }) };
        },
      },
    ],
  });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`user-with-orders under load: ${result.non2xx} non-2xx (${JSON.stringify(result.statusCodeStats)}), ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return result;
}

/** The same rows as raw pg transactions: tag row + one named multi-row INSERT per table, `CONCURRENCY` at a time. */
async function runRaw(context: BenchContext, tagBase: string, counts: TableCounts, seconds: number): Promise<{ transactions: number; ms: number; latencies: number[] }> {
  const latencies: number[] = [];
  let sequence = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      sequence += 1;
      const tag = `${tagBase}-${sequence}`;
      const txStarted = performance.now();
      // Generation is inside the clock, as it is for the service.
      const statements = graphInserts(tag, generateGraph(tag, counts));
      const client = await context.db.pool.connect();
      try {
        await inTransaction(client, async () => {
          for (const statement of statements) await client.query(statement);
        });
      } finally {
        client.release();
      }
      latencies.push(performance.now() - txStarted);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { transactions: latencies.length, ms: performance.now() - started, latencies };
}

/** Warm-up, then DURATION_S of autocannon, with the CPU of every process per request. */
async function measureHttp(context: BenchContext, service: BenchService, tagBase: string): Promise<HttpRun> {
  const { db, log } = context;
  await runAutocannon(service, `${tagBase}-warm`, WARMUP_S);
  await checkpoint(db.pool);
  const { result, perUnit: cpu } = await cpuPerUnit(
    cpuSources({ servicePid: service.pid, postmasterPid: db.postmasterPid, client: true }),
    () => runAutocannon(service, `${tagBase}-http`, DURATION_S),
    (run) => run['2xx'],
  );
  const requests = result['2xx'];
  const requestsPerSec = requests / result.duration;
  log(
    `small: ${requests} requests in ${result.duration.toFixed(1)} s (${Math.round(requestsPerSec)}/s), p50 ${result.latency.p50} ms, ` +
      `p99 ${result.latency.p99} ms; CPU ms per request: ${describeCpu(cpu)}`,
  );
  return { requestsPerSec, p50: result.latency.p50, p99: result.latency.p99, requests, cpu };
}

export async function measureSmall(context: BenchContext): Promise<SmallOutcome> {
  const { db, service, tagPrefix, log } = context;
  const shape = await attempt(context, 'small: POST /scenarios/user-with-orders', async () => {
    const call = expectStatus(
      await callJson<ProvisionResult>('POST', `${service.url}/scenarios/user-with-orders`, { tag: `${tagPrefix}-small-probe`, seed: 1, params: SMALL_PARAMS }),
      201,
      'user-with-orders',
    );
    return call.body.counts;
  });
  const outcome: SmallOutcome = { counts: shape ?? SMALL_FALLBACK_COUNTS };

  if (shape) {
    outcome.http = await attempt(context, 'small: user-with-orders under autocannon', () => measureHttp(context, service, `${tagPrefix}-small`));
    outcome.workers = await attempt(context, 'small: user-with-orders with TESTAPI_WORKERS=auto', async () => {
      const workers = await startBenchService(db.url, { TESTAPI_WORKERS: 'auto' });
      try {
        log(`small: service with TESTAPI_WORKERS=auto ready at ${workers.url} (pid ${workers.pid})`);
        return { ...(await measureHttp(context, workers, `${tagPrefix}-small-auto`)), count: os.availableParallelism() };
      } finally {
        await workers.stop();
      }
    });
  }

  outcome.raw = await attempt(context, 'small: raw pg transactions', async () => {
    await runRaw(context, `${tagPrefix}-small-rawwarm`, outcome.counts, 1);
    await checkpoint(db.pool);
    const { result: run, perUnit: cpu } = await cpuPerUnit(
      cpuSources({ postmasterPid: db.postmasterPid, client: true }),
      () => runRaw(context, `${tagPrefix}-small-raw`, outcome.counts, DURATION_S),
      (done) => done.transactions,
    );
    const sorted = [...run.latencies].sort((a, b) => a - b);
    const txPerSec = run.transactions / (run.ms / 1000);
    log(
      `small: raw pg ${run.transactions} transactions of ${totalRows(outcome.counts)} rows in ${(run.ms / 1000).toFixed(1)} s (${Math.round(txPerSec)}/s), ` +
        `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms; CPU ms per tx: ${describeCpu(cpu)}`,
    );
    return { txPerSec, p50: percentile(sorted, 50), p99: percentile(sorted, 99), transactions: run.transactions, cpu };
  });
  return outcome;
}
