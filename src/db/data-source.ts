import 'reflect-metadata';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ENTITIES } from './entities';
import { MIGRATIONS, TARGET_MODE_MIGRATIONS } from '../../migrations';

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  connectTimeoutMs: number;
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
  /**
   * Price sequential scans out for the whole session (enable_seqscan = off),
   * for the service's own connections. Why: once a table was emptied and then
   * vacuumed or analyzed (autovacuum does it after a cleanup), its statistics
   * say "0 rows", and the foreign-key checks PostgreSQL runs for every
   * inserted row (its own SPI queries, planned once per connection and
   * cached) are planned as sequential scans of the very tables the requests
   * are filling: each check then reads more than the last. Measured on
   * Debian's PostgreSQL 15 after a cleanup and VACUUM ANALYZE: 3.6–5.6 ms of
   * PostgreSQL CPU per small request instead of 0.5–0.6 (the same for a bulk
   * request: 55 s instead of 7.8 s at 575k rows). An index serves every
   * lookup testapi makes, so nothing it runs needs a sequential scan when an
   * index exists; where none does, PostgreSQL still scans.
   */
  planForGrowingTables?: boolean;
}

/**
 * The one DataSource. `synchronize` stays off: the schema changes only through
 * reviewed migrations in migrations/.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
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
      connectionTimeoutMillis: options.connectTimeoutMs,
      statement_timeout: options.statementTimeoutMs,
      // The client-side bound: a database that stops answering altogether
      // (frozen host, SIGSTOP) cannot cancel anything, so pg gives up on its
      // own shortly after PostgreSQL's statement_timeout would have fired.
      query_timeout: queryTimeoutFor(options.statementTimeoutMs),
      ...(options.lockTimeoutMs ? { lock_timeout: options.lockTimeoutMs } : {}),
      idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs * 2, 60_000),
      application_name: options.applicationName ?? 'testapi',
      ...sessionOptions(options),
    },
  });
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

/** PostgreSQL settings sent at connection start (libpq's `options`), when any. */
function sessionOptions(options: DataSourceOptions): { options?: string } {
  const settings = [
    ...(options.stateSchema ? [`-c search_path=${options.stateSchema}`] : []),
    ...(options.planForGrowingTables ? ['-c enable_seqscan=off'] : []),
  ];
  return settings.length > 0 ? { options: settings.join(' ') } : {};
}
