import { createDataSource } from '../../src/db/data-source';
import { startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres';
import { runMigrations } from '../../src/db/migrate';

/**
 * A private, migrated PostgreSQL for tests that affect a whole database
 * (stopping it, global cleanup, the sweeper, fuzzing cleanup), so they never
 * disturb the test files running beside them on the shared one.
 */
export async function startOwnCluster(): Promise<ThrowawayPostgres> {
  const cluster = await startThrowawayPostgres();
  const dataSource = createDataSource({ url: cluster.url, poolSize: 1, connectTimeoutMs: 10_000, statementTimeoutMs: 60_000 });
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
  } catch (error) {
    await cluster.destroy();
    throw error;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
  return cluster;
}
