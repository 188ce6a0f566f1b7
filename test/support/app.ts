import 'reflect-metadata';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { databaseOf, type Database } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { createMetrics, type Metrics } from '../../src/observability/metrics';
import { databaseUrl } from './database';

export interface TestApp {
  app: Express;
  db: Database;
  config: Config;
  metrics: Metrics;
  close(): Promise<void>;
}

/**
 * The real app on the run's real PostgreSQL. `env` overrides configuration
 * as the service would read it (e.g. `{ TESTAPI_API_KEY: '...' }`).
 */
export async function buildTestApp(env: Record<string, string> = {}, url = databaseUrl()): Promise<TestApp> {
  const config = loadConfig({ LOG_LEVEL: 'silent', TAG_SWEEP_INTERVAL_SECONDS: '0', DB_POOL_SIZE: '5', ...env, DATABASE_URL: url });
  const dataSource = createDataSource({
    url,
    poolSize: config.dbPoolSize,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  await dataSource.initialize();
  const db = databaseOf(dataSource);
  const metrics = createMetrics();
  const app = createApp({ config, db, logger: createLogger(config.logLevel), metrics });
  return {
    app,
    db,
    config,
    metrics,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
