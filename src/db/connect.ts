import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { sessionStateSchema, type Config } from '../config';
import type { Logger } from '../logger';
import { createDataSource } from './data-source';
import { closeReadinessProbe, databaseOf, type Database } from './database';
import { defaultDataDir, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { superviseEmbedded } from './embedded-supervisor';
import { runMigrations } from './migrate';

export interface OpenDatabase {
  db: Database;
  url: string;
  /** Cancels this process's running statements (their transactions roll back). */
  cancelInFlight(): Promise<void>;
  close(): Promise<void>;
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []));

/** Host, port and database name of a URL: what the log may say (never the password). */
export function describeDatabase(url: string): { host: string; port: number; database: string } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5432), database: decodeURIComponent(parsed.pathname.slice(1)) };
}

/**
 * The service's DataSource on `url`, its connections set up from `config`:
 * the one place that decides them, so the service, the test harness and the
 * bench run the app on the same settings.
 */
export function serviceDataSource(config: Config, url: string, applicationName?: string): DataSource {
  return createDataSource({
    url,
    poolSize: config.dbPoolSize,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    poolWaitMs: config.dbPoolWaitMs,
    statementTimeoutMs: config.statementTimeoutMs,
    lockTimeoutMs: config.lockTimeoutMs,
    ...(applicationName ? { applicationName } : {}),
    // Modelling an application's schemas: testapi's own tables move to a schema of their own.
    ...(sessionStateSchema(config) ? { stateSchema: sessionStateSchema(config) } : {}),
  });
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL when it is
 * unset; then applies pending migrations under an advisory lock.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<OpenDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  const supervisor = superviseEmbedded(logger, (reason) => {
    // Without its database the service is useless: exit so a supervisor (or the user) restarts it.
    logger.fatal({ reason }, 'embedded PostgreSQL is gone; exiting');
    process.exit(1);
  });
  let url = config.databaseUrl;
  if (!url) {
    const dataDir = config.embeddedDataDir ?? defaultDataDir(PROJECT_ROOT);
    embedded = await startEmbeddedPostgres({
      dataDir,
      durable: true,
      log: (message) => logger.info(message),
      onUnexpectedExit: (exit) => supervisor.onUnexpectedExit(exit),
    });
    supervisor.attach(embedded);
    url = embedded.url;
    logger.info({ dataDir }, 'embedded PostgreSQL started');
  }
  logger.info({ database: { ...describeDatabase(url), embedded: Boolean(embedded) } }, 'using database');

  const applicationName = `testapi-${process.pid}`;
  const dataSource = serviceDataSource(config, url, applicationName);
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    await supervisor.close();
    await embedded?.stop();
    throw error;
  }

  const databaseUrl = url;
  const db = databaseOf(dataSource);
  return {
    db,
    url,
    async cancelInFlight() {
      const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: config.dbConnectTimeoutMs });
      try {
        await client.connect();
        await client.query(
          'SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
          [applicationName],
        );
      } catch (error) {
        logger.warn({ err: error }, 'could not cancel in-flight statements');
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    async close() {
      await closeReadinessProbe(db);
      if (dataSource.isInitialized) await dataSource.destroy().catch((error) => logger.warn({ err: error }, 'closing the pool failed'));
      if (embedded) {
        await supervisor.close();
        await embedded.stop();
        logger.info('embedded PostgreSQL stopped');
      }
    },
  };
}
