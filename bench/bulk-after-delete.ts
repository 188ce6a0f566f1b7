/**
 * `npm run build && node dist/bench/bulk-after-delete.js [users]`: reproduces
 * the issue-11 finding that a bulk request right after a large delete cost
 * PostgreSQL several times more. On a throwaway cluster, bulk-orders
 * users × 5 × 3 runs fresh, then after the same rows were deleted with the
 * sequences autovacuum produces (ANALYZE of emptied tables, VACUUM (ANALYZE));
 * it prints the PostgreSQL CPU time of each (wall time is meaningless on a
 * loaded machine) and the planner's view of the emptied tables.
 * See docs/PERFORMANCE.md for a run.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { serviceDataSource } from '../src/db/connect';
import { databaseOf } from '../src/db/database';
import { runMigrations } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/observability/metrics';
import { startThrowawayPostgres } from '../test/support/throwaway-postgres';

/** CPU ms of the postmaster and its children (the backends, autovacuum, checkpointer). */
function postgresCpuMs(dataDir: string): number {
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pid) === postmaster || Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* ended meanwhile */
    }
  }
  return ticks * 10;
}

async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 20_000);
  const cluster = await startThrowawayPostgres();
  const config = loadConfig({ DATABASE_URL: cluster.url, LOG_LEVEL: 'silent', TAG_SWEEP_INTERVAL_SECONDS: '0', STATEMENT_TIMEOUT_MS: '600000', REQUEST_TIMEOUT_MS: '3600000', VACUUM_AFTER_DELETED_ROWS: '0' });
  const dataSource = serviceDataSource(config, cluster.url);
  await dataSource.initialize();
  await runMigrations(dataSource);
  const db = databaseOf(dataSource);
  const server = createApp({ config, db, logger: createLogger('silent'), metrics: createMetrics() }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  try {
    const bulk = async (label: string, tag: string): Promise<void> => {
      const before = postgresCpuMs(cluster.dataDir);
      const res = await fetch(`${base}/scenarios/bulk-orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tag, seed: 1, params: { users, ordersPerUser: 5, itemsPerOrder: 3 } }),
      });
      const cpu = postgresCpuMs(cluster.dataDir) - before;
      out(`${label.padEnd(52)} ${res.status}  PostgreSQL CPU ${(cpu / 1000).toFixed(2)} s`);
      await fetch(`${base}/tags/${tag}`, { method: 'DELETE' });
    };
    const stats = async (): Promise<string> =>
      (await db.pool.query<{ relname: string; t: string; p: number }>(`SELECT relname, reltuples::bigint AS t, relpages AS p FROM pg_class WHERE relname IN ('users', 'orders', 'products') ORDER BY relname`)).rows
        .map((row) => `${row.relname} ${row.t} rows/${row.p} pages`)
        .join(', ');
    await bulk('fresh cluster', 'fresh');
    await bulk('after deleting the same rows', 'deleted');
    await db.pool.query('ANALYZE');
    out(`  planner now: ${await stats()}`);
    await bulk('after deleting, then ANALYZE', 'analyzed');
    await db.pool.query('VACUUM (ANALYZE)');
    out(`  planner now: ${await stats()}`);
    await bulk('after deleting again, then VACUUM (ANALYZE)', 'vacuumed');
  } finally {
    server.close();
    await dataSource.destroy();
    await cluster.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
