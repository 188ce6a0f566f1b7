import 'reflect-metadata';
import { startThrowawayPostgres } from './throwaway-postgres';
import { createDataSource } from '../../src/db/data-source';
import { runMigrations } from '../../src/db/migrate';

/**
 * One real PostgreSQL for the whole run (embedded unless DATABASE_URL is set),
 * migrated once. Test files work under their own tags; nothing is truncated.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const cluster = await startThrowawayPostgres();
    (globalThis as { __TESTAPI_PG__?: typeof cluster }).__TESTAPI_PG__ = cluster;
    process.env.DATABASE_URL = cluster.url;
  }
  const dataSource = createDataSource({ url: process.env.DATABASE_URL, poolSize: 1, connectTimeoutMs: 10_000, statementTimeoutMs: 60_000 });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
