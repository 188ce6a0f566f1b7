import { Counter, Registry } from 'prom-client';
import type { TableCounts } from '../db/tables';

/**
 * Prometheus metrics of one app instance. Each app gets its own Registry so
 * several apps in one process (tests) never clash on metric names.
 */
export interface Metrics {
  registry: Registry;
  rowsProvisioned(scenario: string, counts: Partial<TableCounts>): void;
  rowsDeleted(counts: Partial<TableCounts>): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
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
  return {
    registry,
    rowsProvisioned(scenario, counts) {
      for (const [table, n] of Object.entries(counts)) if (n) provisioned.inc({ scenario, table }, n);
    },
    rowsDeleted(counts) {
      for (const [table, n] of Object.entries(counts)) if (n) deleted.inc({ table }, n);
    },
  };
}
