import { escapeIdentifier } from 'pg';
import type { DataSource } from 'typeorm';
import { MigrationExecutor } from 'typeorm/migration/MigrationExecutor';

/** Arbitrary but fixed: every replica of testapi takes the same lock. */
const MIGRATION_LOCK_KEY = 7_401_122_001;

/**
 * Runs pending migrations under a session-level advisory lock on one pinned
 * connection, so replicas starting together apply each migration once.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // Waiting for another replica's migrations is expected: not bounded by the requests' lock_timeout.
    await runner.query('SET lock_timeout = 0');
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const stateSchema = (dataSource.options as { schema?: string }).schema;
      // The migrations table lives in the state schema: it must exist before the executor looks.
      if (stateSchema) await runner.query(`CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(stateSchema)}`);
      // The same connection that holds the lock runs the migrations: a pool of one must not deadlock.
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    // Back to the connection's configured lock_timeout before the pool reuses it.
    await runner.query('RESET lock_timeout').catch(() => undefined);
    await runner.release();
  }
}
