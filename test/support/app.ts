import 'reflect-metadata';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { serviceDataSource } from '../../src/db/connect';
import { closeReadinessProbe, databaseOf, type Database } from '../../src/db/database';
import { runMigrations } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { createMetrics, type Metrics } from '../../src/observability/metrics';
import { closeTestPool, databaseUrl } from './database';

export interface TestApp {
  app: Express;
  db: Database;
  config: Config;
  metrics: Metrics;
  close(): Promise<void>;
}

export interface BuildOptions {
  /** Apply pending migrations first, as the service does at start-up (a fresh database of one's own). */
  migrate?: boolean;
}

/**
 * The real app on the run's real PostgreSQL. `env` overrides configuration
 * as the service would read it (e.g. `{ TESTAPI_API_KEY: '...' }`); with
 * TESTAPI_TARGET_SCHEMAS its own tables live in TESTAPI_SCHEMA, as in
 * src/db/connect.ts.
 */
export async function buildTestApp(env: Record<string, string> = {}, url = databaseUrl(), options: BuildOptions = {}): Promise<TestApp> {
  const config = loadConfig({ LOG_LEVEL: 'silent', TAG_SWEEP_INTERVAL_SECONDS: '0', DB_POOL_SIZE: '5', ...env, DATABASE_URL: url });
  const dataSource = serviceDataSource(config, url);
  await dataSource.initialize();
  if (options.migrate) await runMigrations(dataSource);
  const db = databaseOf(dataSource);
  const metrics = createMetrics();
  const app = createApp({ config, db, logger: createLogger(config.logLevel), metrics });
  return {
    app,
    db,
    config,
    metrics,
    async close() {
      await closeReadinessProbe(db);
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/**
 * The usual test-file setup: the app is built in beforeAll and closed (with
 * the shared assertion pool) in afterAll. The returned object reads through
 * to the app built for this file, so `testApp.app` works inside tests.
 */
export function useTestApp(env: Record<string, string> = {}): TestApp {
  let built: TestApp | undefined;
  beforeAll(async () => {
    built = await buildTestApp(env);
  });
  afterAll(async () => {
    await built?.close();
    await closeTestPool();
  });
  const current = (): TestApp => {
    if (!built) throw new Error('useTestApp(): the app exists only inside tests and hooks, after beforeAll');
    return built;
  };
  return readThrough(current, ['app', 'db', 'config', 'metrics', 'close']);
}

/**
 * An object whose `keys` are getters reading `current()`'s, for setups whose
 * parts are built in beforeAll but handed out when the test file loads.
 */
export function readThrough<T extends object, K extends keyof T>(current: () => T, keys: readonly K[]): Pick<T, K> {
  const view = {} as Pick<T, K>;
  for (const key of keys) Object.defineProperty(view, key, { enumerable: true, get: () => current()[key] });
  return view;
}
