import 'reflect-metadata';
import type { Express } from 'express';
import type { Pool } from 'pg';
import { createApp } from '../../../../src/app';
import { loadConfig, type Config } from '../../../../src/config';
import { createDataSource } from '../../../../src/db/data-source';
import { databaseOf, type Database } from '../../../../src/db/database';
import { runMigrations } from '../../../../src/db/migrate';
import { createLogger } from '../../../../src/logger';
import { createMetrics } from '../../../../src/observability/metrics';
import { createFixtureDatabase, dropDatabase, type FixtureName } from '../../../fixtures/schemas/fixtures';
import { assertionPool, databaseUrl } from '../../../support/database';
import { liveContract, useContractFor } from '../../../support/http';

export interface TargetApp {
  app: Express;
  db: Database;
  config: Config;
  /** The fixture database's URL. */
  url: string;
  /** For the test's own reads and writes (the "system under test"). */
  pool: Pool;
}

/**
 * The real app in target mode (TESTAPI_TARGET_SCHEMAS=public, own state in
 * schema `testapi`) on a fresh database holding one fixture schema and its
 * data, migrated as the service would be at start-up. Dropped in afterAll.
 */
export function useTargetApp(fixture: FixtureName, env: Record<string, string> = {}): TargetApp {
  let built: (TargetApp & { close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    const url = await createFixtureDatabase(databaseUrl(), fixture);
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      TAG_SWEEP_INTERVAL_SECONDS: '0',
      DB_POOL_SIZE: '6',
      TESTAPI_TARGET_SCHEMAS: 'public',
      ...env,
      DATABASE_URL: url,
    });
    const dataSource = createDataSource({
      url,
      poolSize: config.dbPoolSize,
      connectTimeoutMs: config.dbConnectTimeoutMs,
      statementTimeoutMs: config.statementTimeoutMs,
      stateSchema: config.stateSchema,
    });
    await dataSource.initialize();
    await runMigrations(dataSource);
    const db = databaseOf(dataSource);
    const app = createApp({ config, db, logger: createLogger(config.logLevel), metrics: createMetrics() });
    const pool = assertionPool(url, 4);
    // Answers about this schema's graphs and scenarios are checked against the deployment's own contract.
    useContractFor(app, await liveContract(app, config.apiKeys[0]));
    built = {
      app,
      db,
      config,
      url,
      pool,
      async close() {
        await pool.end();
        if (dataSource.isInitialized) await dataSource.destroy();
        await dropDatabase(databaseUrl(), url);
      },
    };
  }, 60_000);
  afterAll(async () => {
    await built?.close();
  });
  const current = (): TargetApp => {
    if (!built) throw new Error('useTargetApp(): the app exists only inside tests and hooks, after beforeAll');
    return built;
  };
  return {
    get app() {
      return current().app;
    },
    get db() {
      return current().db;
    },
    get config() {
      return current().config;
    },
    get url() {
      return current().url;
    },
    get pool() {
      return current().pool;
    },
  };
}
