import { cpuPerUnit, cpuSources, describeCpu } from '../support/cpu-time';
import { checkpoint } from '../support/database';
import type { BenchContext } from '../support/context';
import { totalRows } from '../support/graph';
import { callJson, expectStatus, type ProvisionResult } from '../support/http-client';
import type { RssPeak } from '../support/rss-sampler';
import { BULK_PARAMS, type BulkOutcome } from './bulk.measure';

const TARGET_ROWS = 1_000_000;
/** The contract's maximum for params.users. */
const MAX_USERS = 100_000;

export interface MemoryOutcome {
  users: number;
  rows: number;
  ms: number;
  rss: RssPeak;
  /** CPU µs per row, by process. */
  cpu: Record<string, number>;
}

/**
 * Sizes one bulk-orders request to ≥ 1M rows from the rows-per-user the
 * 10k request produced, and records the service's peak RSS while it runs.
 */
export async function measureMemory(context: BenchContext, bulk: BulkOutcome): Promise<MemoryOutcome> {
  const { db, service, rss, tagPrefix, log } = context;
  let users = 47_700;
  if (bulk.http) {
    const { counts, rows } = bulk.http;
    // Products (and organizations) do not grow with users.
    const fixed = counts.products + counts.organizations;
    const perUser = (rows - fixed) / counts.users;
    // Per-user rows vary with the seed: 1% headroom keeps the total over 1M.
    users = Math.min(MAX_USERS, Math.ceil((TARGET_ROWS * 1.01 - fixed) / perUser));
  }
  await checkpoint(db.pool);
  rss.reset();
  const { result: call, perUnit } = await cpuPerUnit(
    cpuSources({ servicePid: service.pid, postmasterPid: db.postmasterPid }),
    async () =>
      expectStatus(
        await callJson<ProvisionResult>('POST', `${service.url}/scenarios/bulk-orders`, {
          tag: `${tagPrefix}-million`,
          seed: 2,
          params: { ...BULK_PARAMS, users },
        }),
        201,
        'bulk-orders (1M rows)',
      ),
    (done) => totalRows(done.body.counts),
  );
  const peak = rss.peak();
  const rows = totalRows(call.body.counts);
  if (rows < TARGET_ROWS) throw new Error(`bulk-orders with users=${users} wrote ${rows} rows, fewer than ${TARGET_ROWS}`);
  const cpu = Object.fromEntries(Object.entries(perUnit).map(([name, ms]) => [name, ms * 1000]));
  log(
    `memory: ${rows.toLocaleString('en-US')} rows in ${(call.ms / 1000).toFixed(1)} s (CPU µs per row: ${describeCpu(cpu, 1)}); ` +
      `service RSS ${peak.startMb.toFixed(0)} MB before, peak ${peak.highWaterMb.toFixed(0)} MB (sampled ${peak.sampledMb.toFixed(0)} MB)`,
  );
  return { users, rows, ms: call.ms, rss: peak, cpu };
}
