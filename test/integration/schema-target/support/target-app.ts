import type { Express } from 'express';
import type { Pool } from 'pg';
import type { Config } from '../../../../src/config';
import type { Database } from '../../../../src/db/database';
import { createFixtureDatabase, dropDatabase, type FixtureName } from '../../../fixtures/schemas/fixtures';
import { buildTestApp, readThrough } from '../../../support/app';
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

export interface TargetAppOptions {
  /** Runs on the fresh fixture database before the app reads its model (e.g. a table of the test's own). */
  prepare?: (pool: Pool) => Promise<void>;
  /** libpq options the app's DATABASE_URL carries (`?options=`), as a user's URL would. */
  urlOptions?: string;
}

/**
 * The real app in target mode (TESTAPI_TARGET_SCHEMAS=public, own state in
 * schema `testapi`) on a fresh database holding one fixture schema and its
 * data, migrated as the service would be at start-up. Dropped in afterAll.
 */
export function useTargetApp(fixture: FixtureName, env: Record<string, string> = {}, options: TargetAppOptions = {}): TargetApp {
  let built: (TargetApp & { close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    const url = await createFixtureDatabase(databaseUrl(), fixture);
    const pool = assertionPool(url, 4);
    await options.prepare?.(pool);
    const appUrl = options.urlOptions === undefined ? url : `${url}?options=${encodeURIComponent(options.urlOptions)}`;
    const testApp = await buildTestApp({ DB_POOL_SIZE: '6', TESTAPI_TARGET_SCHEMAS: 'public', ...env }, appUrl, { migrate: true });
    const { app, config } = testApp;
    // Answers about this schema's graphs and scenarios are checked against the deployment's own contract.
    useContractFor(app, await liveContract(app, config.apiKeys[0]));
    built = {
      app,
      db: testApp.db,
      config,
      url,
      pool,
      async close() {
        await pool.end();
        await testApp.close();
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
  return readThrough(current, ['app', 'db', 'config', 'url', 'pool']);
}
