import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TableCounts } from '../db/tables';

export type SweeperOutcome = 'ok' | 'failed';

/**
 * Prometheus metrics of one app instance. Each app gets its own Registry so
 * several apps in one process (tests) never clash on metric names.
 */
export interface Metrics {
  registry: Registry;
  rowsProvisioned(scenario: string, counts: Partial<TableCounts>): void;
  rowsDeleted(counts: Partial<TableCounts>): void;
  /** One finished HTTP request; `route` is the route pattern, never the raw URL. */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** One pass of the tag sweeper. */
  sweeperRun(outcome: SweeperOutcome): void;
  /** Reports this pool's usage on every scrape. */
  watchPool(pool: Pool): void;
}

// Provisioning spans ~1 ms (a user) to minutes (bulk-orders): buckets cover both ends.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const provisioned = new Counter({
    name: 'testapi_rows_provisioned_total',
    help: 'Rows created by provisioning, by scenario and table',
    labelNames: ['scenario', 'table'] as const,
    registers: [registry],
  });
  const deleted = new Counter({
    name: 'testapi_rows_deleted_total',
    help: 'Rows deleted by cleanup and the sweeper, by table',
    labelNames: ['table'] as const,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'testapi_http_requests_total',
    help: 'HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'testapi_http_request_duration_seconds',
    help: 'HTTP request latency by method and route pattern, from the first byte read to the last byte written',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const sweeps = new Counter({
    name: 'testapi_sweeper_runs_total',
    help: 'Tag sweeper passes by outcome (ok or failed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  // Zero series exist from the start, so a dashboard's rate() has a baseline.
  sweeps.inc({ outcome: 'ok' }, 0);
  sweeps.inc({ outcome: 'failed' }, 0);

  let pool: Pool | undefined;
  const poolGauge = (name: string, help: string, read: (p: Pool) => number): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        if (pool) this.set(read(pool));
      },
    });
  };
  poolGauge('testapi_db_pool_connections', 'Open connections in the pg pool (idle and in use)', (p) => p.totalCount);
  poolGauge('testapi_db_pool_idle_connections', 'Idle connections in the pg pool', (p) => p.idleCount);
  poolGauge('testapi_db_pool_waiting_requests', 'Queries waiting for a free pg pool connection', (p) => p.waitingCount);
  poolGauge('testapi_db_pool_max_connections', 'Configured size of the pg pool (DB_POOL_SIZE)', (p) => p.options.max ?? 0);

  return {
    registry,
    rowsProvisioned(scenario, counts) {
      for (const [table, n] of Object.entries(counts)) if (n) provisioned.inc({ scenario, table }, n);
    },
    rowsDeleted(counts) {
      for (const [table, n] of Object.entries(counts)) if (n) deleted.inc({ table }, n);
    },
    httpRequest(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
    sweeperRun(outcome) {
      sweeps.inc({ outcome });
    },
    watchPool(watched) {
      pool = watched;
    },
  };
}
