import type { Pool } from 'pg';
import { createDataSource } from '../../src/db/data-source';
import { runMigrations } from '../../src/db/migrate';
import { buildTestApp, type TestApp } from './app';
import { assertionPool } from './database';
import { startServerProcess, type ServerProcess } from './server-process';
import { startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres';

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

export interface OwnClusterOptions {
  /** Configuration of the app and the server, as the service would read it (DATABASE_URL is the cluster's). */
  env?: Record<string, string>;
  /** Build the app in-process on the cluster (createApp). Default: true unless `server` is set. */
  app?: boolean;
  /** Start the built service (`dist/`) as a real process on the cluster. */
  server?: boolean;
  /** Connections of the pool for the test's own reads; 0 for none. Default 2. */
  pool?: number;
}

/** What useOwnCluster gives; `app`, `db`, `config` and `metrics` are those of the in-process app. */
export interface OwnCluster extends Omit<TestApp, 'close'> {
  readonly cluster: ThrowawayPostgres;
  readonly url: string;
  readonly server: ServerProcess;
  /** For assertions on the rows really in the cluster. */
  readonly pool: Pool;
  /** One more app on the same cluster, with its own configuration; closed with the cluster. */
  buildApp(env?: Record<string, string>): Promise<TestApp>;
}

interface Parts {
  cluster: ThrowawayPostgres;
  app?: TestApp;
  server?: ServerProcess;
  pool?: Pool;
  extraApps: TestApp[];
}

/**
 * The own-cluster setup of a test file (or of one describe block): a cluster
 * and what the options ask for, built in beforeAll and torn down in afterAll.
 * The returned object reads through to them, so `own.app` works inside tests.
 */
export function useOwnCluster(options: OwnClusterOptions = {}): OwnCluster {
  const { env = {}, server = false, app = !server, pool = 2 } = options;
  let built: Parts | undefined;

  beforeAll(async () => {
    const cluster = await startOwnCluster();
    built = { cluster, extraApps: [] };
    if (app) built.app = await buildTestApp(env, cluster.url);
    if (server) built.server = await startServerProcess({ ...env, DATABASE_URL: cluster.url });
    if (pool > 0) built.pool = assertionPool(cluster.url, pool);
  }, 60_000);

  afterAll(async () => {
    const current = built;
    built = undefined;
    if (!current) return;
    try {
      // A test may have stopped the service itself (shutdown tests).
      const child = current.server?.child;
      if (child && child.exitCode === null && child.signalCode === null) await current.server!.stop();
      await current.pool?.end();
      for (const extra of [current.app, ...current.extraApps]) await extra?.close();
    } finally {
      await current.cluster.destroy();
    }
  }, 60_000);

  const parts = (): Parts => {
    if (!built) throw new Error('useOwnCluster(): the cluster exists only inside tests and hooks, after beforeAll');
    return built;
  };
  function part<K extends 'app' | 'server' | 'pool'>(name: K): NonNullable<Parts[K]> {
    const value = parts()[name];
    if (!value) throw new Error(`useOwnCluster(): no ${name} was asked for; pass { ${name}: ${name === 'pool' ? 2 : true} }`);
    return value as NonNullable<Parts[K]>;
  }

  return {
    get cluster() {
      return parts().cluster;
    },
    get url() {
      return parts().cluster.url;
    },
    get app() {
      return part('app').app;
    },
    get db() {
      return part('app').db;
    },
    get config() {
      return part('app').config;
    },
    get metrics() {
      return part('app').metrics;
    },
    get server() {
      return part('server');
    },
    get pool() {
      return part('pool');
    },
    async buildApp(extraEnv = {}) {
      const current = parts();
      const extra = await buildTestApp(extraEnv, current.cluster.url);
      current.extraApps.push(extra);
      return extra;
    },
  };
}
