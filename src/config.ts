/**
 * Configuration is read from the environment once, at start-up, validated and
 * passed down as a typed object. Nothing else in the service reads process.env.
 * Every key is documented in README.md and .env.example.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Unset means: start an embedded PostgreSQL from npm. */
  databaseUrl: string | undefined;
  /** Accepted bearer keys; several allow rotation. Empty means auth is off. */
  apiKeys: string[];
  defaultTagTtlSeconds: number;
  dbConnectTimeoutMs: number;
  statementTimeoutMs: number;
  dbPoolSize: number;
  shutdownGraceMs: number;
  logLevel: LogLevel;
  tagSweepIntervalSeconds: number;
  maxRowsPerRequest: number;
  maxConcurrentBulk: number;
  bodyLimitBytes: number;
  /** Where the embedded database keeps its data; unset picks a folder in the project. */
  embeddedDataDir: string | undefined;
  /** TESTAPI_TARGET_SCHEMAS: the application's schemas testapi models; empty means the built-in shop tables. */
  targetSchemas: string[];
  /** TESTAPI_SCHEMA: where testapi keeps its own state (tags, keys, row ledger) when target schemas are set. */
  stateSchema: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  const value = Number(raw.trim());
  if (value < min || value > max) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `expected true or false, got "${env[name]}"`);
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readLogLevel(env: Env): LogLevel {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  return raw as LogLevel;
}

function readDatabaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL?.trim();
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Never echo the value: it may hold a password.
    throw new ConfigError('DATABASE_URL', 'expected a postgres:// or postgresql:// URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `expected a postgres:// or postgresql:// URL, got protocol "${url.protocol}"`);
  }
  return raw;
}

function readApiKeys(env: Env): string[] {
  const raw = env.TESTAPI_API_KEY;
  if (raw === undefined || raw.trim() === '') return [];
  const keys = raw.split(',').map((key) => key.trim());
  if (keys.some((key) => key.length < 16)) {
    throw new ConfigError('TESTAPI_API_KEY', 'every comma-separated key must be at least 16 characters long');
  }
  return keys;
}

function readHost(env: Env, authEnabled: boolean): string {
  const raw = env.HOST?.trim();
  // Without a key the service must never be reachable from the network.
  if (raw === undefined || raw === '') return authEnabled ? '0.0.0.0' : '127.0.0.1';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(raw)) {
    throw new ConfigError('HOST', `expected a host name or IP address, got "${raw}"`);
  }
  return raw;
}

/**
 * testapi writes and deletes rows on request: pointed at production data it
 * would be the thing that breaks it. Refuse unless explicitly overridden.
 */
function refuseProduction(env: Env): void {
  const allowed = readBoolean(env, 'TESTAPI_ALLOW_PRODUCTION', false);
  for (const name of ['NODE_ENV', 'TESTAPI_ENV']) {
    if (env[name]?.trim().toLowerCase() === 'production' && !allowed) {
      throw new ConfigError(
        name,
        'testapi refuses to run in production (it creates and deletes data on request); set TESTAPI_ALLOW_PRODUCTION=true only if this really is a test environment',
      );
    }
  }
}

// Unquoted PostgreSQL identifiers only: they reach SQL as escaped identifiers, but a
// name that needs quoting is almost always a typo of the real schema's name.
const SCHEMA_NAME = /^[a-z_][a-z0-9_$]{0,62}$/;

function readSchemas(env: Env): Pick<Config, 'targetSchemas' | 'stateSchema'> {
  const rawTargets = env.TESTAPI_TARGET_SCHEMAS?.trim() ?? '';
  const targetSchemas = rawTargets === '' ? [] : [...new Set(rawTargets.split(',').map((name) => name.trim()))];
  const badTarget = targetSchemas.find((name) => !SCHEMA_NAME.test(name));
  if (badTarget !== undefined) {
    throw new ConfigError('TESTAPI_TARGET_SCHEMAS', `expected comma-separated lower-case schema names (e.g. public,billing), got "${badTarget}"`);
  }
  const stateSchema = env.TESTAPI_SCHEMA?.trim() || 'testapi';
  if (!SCHEMA_NAME.test(stateSchema)) {
    throw new ConfigError('TESTAPI_SCHEMA', `expected a lower-case schema name, got "${stateSchema}"`);
  }
  if (targetSchemas.includes(stateSchema)) {
    // testapi never runs DDL on a target schema: its own tables must live apart.
    throw new ConfigError('TESTAPI_SCHEMA', `must differ from every schema in TESTAPI_TARGET_SCHEMAS (both are "${stateSchema}")`);
  }
  return { targetSchemas, stateSchema };
}

export function loadConfig(env: Env = process.env): Config {
  refuseProduction(env);
  const apiKeys = readApiKeys(env);
  return {
    port: readInteger(env, 'PORT', 3000, 0, 65535),
    host: readHost(env, apiKeys.length > 0),
    databaseUrl: readDatabaseUrl(env),
    apiKeys,
    defaultTagTtlSeconds: readInteger(env, 'DEFAULT_TAG_TTL_SECONDS', 86_400, 1, 2_592_000),
    dbConnectTimeoutMs: readInteger(env, 'DB_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
    statementTimeoutMs: readInteger(env, 'STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    dbPoolSize: readInteger(env, 'DB_POOL_SIZE', 10, 1, 500),
    shutdownGraceMs: readInteger(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    logLevel: readLogLevel(env),
    tagSweepIntervalSeconds: readInteger(env, 'TAG_SWEEP_INTERVAL_SECONDS', 60, 0, 86_400),
    maxRowsPerRequest: readInteger(env, 'MAX_ROWS_PER_REQUEST', 1_000_000, 1, 100_000_000),
    maxConcurrentBulk: readInteger(env, 'MAX_CONCURRENT_BULK', 2, 1, 1_000),
    bodyLimitBytes: readInteger(env, 'BODY_LIMIT_BYTES', 1_048_576, 1_024, 104_857_600),
    embeddedDataDir: env.EMBEDDED_PG_DATA_DIR?.trim() || undefined,
    ...readSchemas(env),
  };
}
