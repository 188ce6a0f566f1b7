import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { removeStaleTempClusters } from '../../test/support/throwaway-postgres';
import { runMigrations } from '../../src/db/migrate';
import { onTeardown, tearingDown } from './teardown';

export interface BenchDatabase {
  url: string;
  embedded: boolean;
  /** For the TypeORM baseline. */
  dataSource: DataSource;
  /** Raw pg work; 8 connections, the concurrency of the small-request phase. */
  pool: Pool;
  serverVersion: string;
  /** The embedded cluster's postmaster, for CPU accounting; unknown on DATABASE_URL. */
  postmasterPid?: number;
}

const TEMP_PREFIX = 'testapi-bench-pg-';

/**
 * DATABASE_URL when set; otherwise a fresh embedded cluster with default
 * durability (fsync on: the figures must hold for a real database), removed
 * on teardown.
 */
export async function openBenchDatabase(log: (message: string) => void): Promise<BenchDatabase> {
  let url = process.env.DATABASE_URL?.trim();
  const embedded = !url;
  let postmasterPid: number | undefined;
  if (!url) {
    removeStaleTempClusters(TEMP_PREFIX);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
    // The postgres OS user (under root) must reach the data folder.
    fs.chmodSync(root, 0o755);
    onTeardown('remove the cluster folder', async () => fs.rmSync(root, { recursive: true, force: true }));
    const cluster = await startEmbeddedPostgres({ dataDir: path.join(root, 'data'), durable: true, log });
    onTeardown('stop PostgreSQL', () => cluster.stop());
    url = cluster.url;
    postmasterPid = Number(fs.readFileSync(path.join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  }

  const dataSource = createDataSource({ url, poolSize: 2, connectTimeoutMs: 10_000, statementTimeoutMs: 600_000, applicationName: 'testapi-bench' });
  await dataSource.initialize();
  onTeardown('close the DataSource', () => dataSource.destroy());
  await runMigrations(dataSource);

  const pool = new Pool({ connectionString: url, max: 8, application_name: 'testapi-bench' });
  // An idle connection dropped by a stopping server (Ctrl-C reaches PostgreSQL too) must not crash the teardown.
  pool.on('error', (error) => {
    if (!tearingDown()) log(`idle pg connection lost: ${error.message}`);
  });
  onTeardown('close the pg pool', () => pool.end());
  const version = await pool.query<{ server_version: string }>('SHOW server_version');
  postmasterPid ??= await localPostmaster(pool);
  return { url, embedded, dataSource, pool, serverVersion: version.rows[0].server_version, postmasterPid };
}

/**
 * A DATABASE_URL server on this host (e.g. Debian's packaged PostgreSQL) is
 * CPU-accounted like the embedded one: our backend's parent is its
 * postmaster. A remote server's backend pid means nothing here: undefined
 * unless that pid is a local postgres process.
 */
async function localPostmaster(pool: Pool): Promise<number | undefined> {
  try {
    const backend = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const stat = fs.readFileSync(`/proc/${backend}/stat`, 'utf8');
    if (!/\((postgres|postmaster)\)/.test(stat)) return undefined;
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return /\((postgres|postmaster)\)/.test(fs.readFileSync(`/proc/${parent}/stat`, 'utf8')) ? parent : undefined;
  } catch {
    return undefined;
  }
}

/** Starts each timed phase from the same WAL state: no checkpoint lands inside one measurement by luck. */
export async function checkpoint(pool: Pool): Promise<void> {
  await pool.query('CHECKPOINT').catch(() => undefined); // needs superuser/pg_checkpoint on a foreign DATABASE_URL
}

/** Rows in every domain table (exact count). */
export async function domainRowCount(pool: Pool): Promise<number> {
  const result = await pool.query<{ total: string }>(
    `SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM users) + (SELECT count(*) FROM memberships)
          + (SELECT count(*) FROM addresses) + (SELECT count(*) FROM products) + (SELECT count(*) FROM orders)
          + (SELECT count(*) FROM order_items) + (SELECT count(*) FROM payments) + (SELECT count(*) FROM shipments) AS total`,
  );
  return Number(result.rows[0].total);
}
