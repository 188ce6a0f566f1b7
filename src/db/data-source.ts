import 'reflect-metadata';
import { Client, type ClientConfig, type Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ENTITIES } from './entities';
import { MIGRATIONS, TARGET_MODE_MIGRATIONS } from '../../migrations';
import { mergeSessionOptions, ownSessionSettings } from './session-settings';

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  /** Longest wait for PostgreSQL to accept a new connection: past it, the database counts as unreachable. */
  connectTimeoutMs: number;
  /**
   * Longest wait for a connection of the pool when every one is in use. A
   * different wait from connecting: the database answers, the pool is busy.
   * Unset: the same as connectTimeoutMs (tools, tests).
   */
  poolWaitMs?: number;
  statementTimeoutMs: number;
  /**
   * PostgreSQL lock_timeout of every connection: a request that would wait
   * longer on a row another request holds gives up (409, retry) instead of
   * holding a pool connection others need. Unset: no bound (tools, tests).
   */
  lockTimeoutMs?: number;
  /** Lets shutdown find (and cancel) this process's own backends. */
  applicationName?: string;
  /**
   * Set when testapi models target schemas (TESTAPI_TARGET_SCHEMAS): its own
   * tables live in this schema, which becomes the connections' search_path,
   * so every unqualified statement of the tag registry, the idempotency keys
   * and the ledger reaches it; target tables are always schema-qualified.
   */
  stateSchema?: string;
}

/**
 * The one DataSource. `synchronize` stays off: the schema changes only through
 * reviewed migrations in migrations/.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  // The URL's own ?options= merged with testapi's session settings (session-settings.ts).
  const session = mergeSessionOptions(options.url, ownSessionSettings(options.stateSchema));
  return new DataSource({
    type: 'postgres',
    url: session.url,
    entities: ENTITIES,
    migrations: options.stateSchema ? TARGET_MODE_MIGRATIONS : MIGRATIONS,
    ...(options.stateSchema ? { schema: options.stateSchema } : {}),
    migrationsTableName: 'testapi_migrations',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    logging: false,
    // A `where: { id: undefined }` must never match every row.
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    extra: {
      max: options.poolSize,
      // pg-pool bounds both waits with one option: its own (a free connection) takes the pool wait,
      // the connection it opens keeps the connect timeout (clientConnectingWithin).
      connectionTimeoutMillis: options.poolWaitMs ?? options.connectTimeoutMs,
      Client: clientConnectingWithin(options.connectTimeoutMs),
      statement_timeout: options.statementTimeoutMs,
      // The client-side bound: a database that stops answering altogether
      // (frozen host, SIGSTOP) cannot cancel anything, so pg gives up on its
      // own shortly after PostgreSQL's statement_timeout would have fired.
      query_timeout: queryTimeoutFor(options.statementTimeoutMs),
      ...(options.lockTimeoutMs ? { lock_timeout: options.lockTimeoutMs } : {}),
      idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs * 2, 60_000),
      application_name: options.applicationName ?? 'testapi',
      options: session.options,
    },
  });
}

/** pg's Client, but giving up on connecting after `connectTimeoutMs` whatever the pool's own wait is. */
function clientConnectingWithin(connectTimeoutMs: number): typeof Client {
  return class ClientConnectingWithin extends Client {
    constructor(config?: ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
    }
  };
}

/** Margin above statement_timeout before the client gives up on a statement (a cancelled one needs a moment to report back). */
export const QUERY_TIMEOUT_MARGIN_MS = 2_000;

export function queryTimeoutFor(statementTimeoutMs: number): number {
  return statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS;
}

/** The pg pool under the DataSource: hot paths (bulk writes, cleanup) use it directly. */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}
