import { readSourceRules, SourceRulesError, type SourceRules } from './copies/source-rules';

/**
 * Configuration is read from the environment once, at start-up, validated and
 * passed down as a typed object. Nothing else in the service reads process.env.
 * Every key is documented in README.md and .env.example.
 */
import { ownSessionSettings, sessionOptionsConflict } from './db/session-settings';
import { DECLARATION_ENTRY, type UniqueDeclarations } from './schema/declared-uniques';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'json' | 'pretty';

export interface Config {
  port: number;
  host: string;
  /** Unset means: start an embedded PostgreSQL from npm. */
  databaseUrl: string | undefined;
  /** Accepted bearer keys; several allow rotation. Empty means auth is off. */
  apiKeys: string[];
  defaultTagTtlSeconds: number;
  dbConnectTimeoutMs: number;
  /** Longest wait for a free pool connection while all are in use (a busy service, not an unreachable database). */
  dbPoolWaitMs: number;
  statementTimeoutMs: number;
  dbPoolSize: number;
  shutdownGraceMs: number;
  logLevel: LogLevel;
  /** LOG_FORMAT; unset means pretty when stdout is a terminal, JSON otherwise (decided where stdout is known). */
  logFormat?: LogFormat;
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
  /** TESTAPI_UNIQUE and TESTAPI_NOT_UNIQUE: columns the application keeps unique in code, and columns not to salt. */
  uniqueDeclarations: UniqueDeclarations;
  /** TESTAPI_ALLOW_ANY_EMAIL: graphs take e-mail addresses in set outside reserved domains (default: refused with a 400). */
  allowAnyEmail: boolean;
  /** TESTAPI_SCENARIOS_DIR: a folder of scenario files (YAML or JSON) over the target schemas; unset means none. */
  scenariosDir: string | undefined;
  /** Longest a request's database work may take, all statements together (its transaction is cancelled and rolled back after). */
  requestTimeoutMs: number;
  /** Longest GET /ready waits for the database before answering 503. */
  readyTimeoutMs: number;
  /** Longest any statement waits for a row or advisory lock (PostgreSQL lock_timeout); beyond, a 409 'in progress'. */
  lockTimeoutMs: number;
  /** Rows per statement when a tag is too large to delete in one within STATEMENT_TIMEOUT_MS. */
  deleteBatchRows: number;
  /** Rows a table may lose (summed over deletes) before it is vacuumed in the background; 0 never. */
  vacuumAfterDeletedRows: number;
  /** Node's headersTimeout: a client must send its headers within this. */
  headersTimeoutMs: number;
  /** Node's requestTimeout: a client must send its whole request (headers and body) within this. */
  requestUploadTimeoutMs: number;
  /** Node's keepAliveTimeout: an idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; further ones are closed at once. */
  maxConnections: number;
  /** TESTAPI_WORKERS: service processes behind the one port (node:cluster); `auto` is one per available core. */
  workers: number | 'auto';
  /** MAX_IMPORT_BYTES: largest snapshot POST /tags/{tag}/import reads (streamed; the JSON limit does not apply there). */
  maxImportBytes: number;
  /** IMPORT_MEMORY_BUDGET_BYTES: snapshot bytes this process reads at once, all imports together; the rest wait (snapshots/import-budget.ts). */
  importMemoryBudgetBytes: number;
  /** TESTAPI_SOURCES: databases sanitized copies may read, by name (a request names one, never a URL). */
  sources: Record<string, string>;
  /** SOURCE_STATEMENT_TIMEOUT_MS: longest one statement on a source may run. */
  sourceStatementTimeoutMs: number;
  /** TESTAPI_SOURCE_RULES: per-source, per-column copy rules (keep, mask, null, fake: kind) over the inferred ones. */
  sourceRules: SourceRules;
  /** TESTAPI_COPY_SECRET: the key of copies' pseudonyms; unset means one generated once and kept in testapi's own schema. */
  copySecret: string | undefined;
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

function readLogFormat(env: Env): LogFormat | undefined {
  const raw = env.LOG_FORMAT?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'json' && raw !== 'pretty') throw new ConfigError('LOG_FORMAT', `expected json or pretty, got "${env.LOG_FORMAT}"`);
  return raw;
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

/**
 * A key travels as `Authorization: Bearer <key>`, one header token: only
 * visible ASCII can ever match (the auth check takes the token up to the first
 * space, and HTTP header values are bytes, not Unicode). A key with anything
 * else would be configured yet never accepted, so refuse it at start-up.
 */
const API_KEY_CHARACTERS = /^[\x21-\x7e]+$/;

function readApiKeys(env: Env): string[] {
  const raw = env.TESTAPI_API_KEY;
  if (raw === undefined || raw.trim() === '') return [];
  const keys = raw.split(',').map((key) => key.trim());
  if (keys.some((key) => key.length < 16)) {
    throw new ConfigError('TESTAPI_API_KEY', 'every comma-separated key must be at least 16 characters long');
  }
  const unusable = keys.findIndex((key) => !API_KEY_CHARACTERS.test(key));
  if (unusable >= 0) {
    // Never echo the key itself: say which one and why.
    throw new ConfigError(
      'TESTAPI_API_KEY',
      `key ${unusable + 1} can never authenticate: keys may hold only visible ASCII characters (no spaces, tabs or non-ASCII)`,
    );
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

function readSchemas(env: Env): Pick<Config, 'targetSchemas' | 'stateSchema' | 'scenariosDir'> {
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
  return { targetSchemas, stateSchema, scenariosDir: readScenariosDir(env, targetSchemas) };
}

/** Comma-separated `table.column` (or `schema.table.column`) entries. */
function readColumnList(env: Env, name: 'TESTAPI_UNIQUE' | 'TESTAPI_NOT_UNIQUE'): string[] {
  const raw = env[name]?.trim() ?? '';
  if (raw === '') return [];
  const entries = raw.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !DECLARATION_ENTRY.test(entry));
  if (bad !== undefined) throw new ConfigError(name, `expected comma-separated table.column entries (e.g. Users.email,Articles.slug), got "${bad}"`);
  return [...new Set(entries)];
}

function readScenariosDir(env: Env, targetSchemas: string[]): string | undefined {
  const dir = env.TESTAPI_SCENARIOS_DIR?.trim() || undefined;
  // Scenario files are graphs of the application's tables; the shop mode has its built-in recipes.
  if (dir !== undefined && targetSchemas.length === 0) {
    throw new ConfigError('TESTAPI_SCENARIOS_DIR', 'scenario files describe graphs of your schema: set TESTAPI_TARGET_SCHEMAS too');
  }
  return dir;
}

export function loadConfig(env: Env = process.env): Config {
  refuseProduction(env);
  const apiKeys = readApiKeys(env);
  const config: Config = {
    port: readInteger(env, 'PORT', 3000, 0, 65535),
    host: readHost(env, apiKeys.length > 0),
    databaseUrl: readDatabaseUrl(env),
    apiKeys,
    defaultTagTtlSeconds: readInteger(env, 'DEFAULT_TAG_TTL_SECONDS', 86_400, 1, 2_592_000),
    dbConnectTimeoutMs: readInteger(env, 'DB_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
    dbPoolWaitMs: readInteger(env, 'DB_POOL_WAIT_MS', 30_000, 100, 600_000),
    statementTimeoutMs: readInteger(env, 'STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    dbPoolSize: readInteger(env, 'DB_POOL_SIZE', 10, 1, 500),
    shutdownGraceMs: readInteger(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    logLevel: readLogLevel(env),
    logFormat: readLogFormat(env),
    tagSweepIntervalSeconds: readInteger(env, 'TAG_SWEEP_INTERVAL_SECONDS', 60, 0, 86_400),
    maxRowsPerRequest: readInteger(env, 'MAX_ROWS_PER_REQUEST', 1_000_000, 1, 100_000_000),
    maxConcurrentBulk: readInteger(env, 'MAX_CONCURRENT_BULK', 2, 1, 1_000),
    bodyLimitBytes: readInteger(env, 'BODY_LIMIT_BYTES', 1_048_576, 1_024, 104_857_600),
    embeddedDataDir: env.EMBEDDED_PG_DATA_DIR?.trim() || undefined,
    ...readSchemas(env),
    uniqueDeclarations: { declared: readColumnList(env, 'TESTAPI_UNIQUE'), optedOut: readColumnList(env, 'TESTAPI_NOT_UNIQUE') },
    allowAnyEmail: readBoolean(env, 'TESTAPI_ALLOW_ANY_EMAIL', false),
    requestTimeoutMs: readInteger(env, 'REQUEST_TIMEOUT_MS', 180_000, 1_000, 86_400_000),
    readyTimeoutMs: readInteger(env, 'READY_TIMEOUT_MS', 2_000, 100, 60_000),
    lockTimeoutMs: readInteger(env, 'LOCK_TIMEOUT_MS', 1_000, 10, 600_000),
    workers: readWorkers(env),
    deleteBatchRows: readInteger(env, 'DELETE_BATCH_ROWS', 10_000, 100, 1_000_000),
    vacuumAfterDeletedRows: readInteger(env, 'VACUUM_AFTER_DELETED_ROWS', 100_000, 0, 100_000_000),
    ...readConnectionLimits(env),
    maxImportBytes: readInteger(env, 'MAX_IMPORT_BYTES', 104_857_600, 1_024, 2_147_483_647),
    importMemoryBudgetBytes: readInteger(env, 'IMPORT_MEMORY_BUDGET_BYTES', 104_857_600, 1_024, 2_147_483_647),
    sourceStatementTimeoutMs: readInteger(env, 'SOURCE_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    ...readCopyRules(env),
  };
  refuseConflictingSessionOptions(config);
  return config;
}

/** The schema testapi's own sessions put first on their search_path: its state schema when target schemas are modelled. */
export function sessionStateSchema(config: Pick<Config, 'targetSchemas' | 'stateSchema'>): string | undefined {
  return config.targetSchemas.length > 0 ? config.stateSchema : undefined;
}

/** DATABASE_URL's ?options= are merged with testapi's own session settings; one it cannot honour is refused here, at start. */
function refuseConflictingSessionOptions(config: Config): void {
  if (!config.databaseUrl) return;
  const conflict = sessionOptionsConflict(config.databaseUrl, ownSessionSettings(sessionStateSchema(config)));
  if (conflict) throw new ConfigError('DATABASE_URL', conflict);
}

const SOURCE_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** `name=postgres://...` pairs, comma-separated; a password in a URL is never echoed. */
function readSources(env: Env): Record<string, string> {
  const raw = env.TESTAPI_SOURCES?.trim() ?? '';
  const sources: Record<string, string> = {};
  if (raw === '') return sources;
  for (const entry of raw.split(',')) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at).trim();
    const url = entry.slice(at + 1).trim();
    if (at <= 0 || !SOURCE_NAME.test(name)) throw new ConfigError('TESTAPI_SOURCES', 'expected comma-separated name=postgres://... pairs with lower-case names (e.g. staging=postgres://reader@db/app)');
    if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('TESTAPI_SOURCES', `source "${name}": expected a postgres:// or postgresql:// URL`);
    sources[name] = url;
  }
  return sources;
}

/** The rules file beside TESTAPI_SOURCES, and the pseudonyms' key. */
function readCopyRules(env: Env): Pick<Config, 'sources' | 'sourceRules' | 'copySecret'> {
  if (env.TESTAPI_ANONYMIZE?.trim()) {
    // Rules are per source now, in a file; a silently ignored variable would copy what its owner meant to hide.
    throw new ConfigError('TESTAPI_ANONYMIZE', 'is replaced by TESTAPI_SOURCE_RULES, a YAML or JSON file of rules per source, table and column (see README, "Sanitized copies")');
  }
  const sources = readSources(env);
  const file = env.TESTAPI_SOURCE_RULES?.trim();
  let sourceRules: SourceRules = {};
  if (file) {
    try {
      sourceRules = readSourceRules(file, Object.keys(sources));
    } catch (error) {
      if (error instanceof SourceRulesError) throw new ConfigError('TESTAPI_SOURCE_RULES', `${file}: ${error.message}`);
      throw error;
    }
  }
  const secret = env.TESTAPI_COPY_SECRET;
  if (secret !== undefined && secret !== '' && secret.length < 32) {
    // Never echo the secret: its length says enough.
    throw new ConfigError('TESTAPI_COPY_SECRET', `expected at least 32 characters (got ${secret.length}); unset, testapi generates one and keeps it in its own schema`);
  }
  return { sources, sourceRules, copySecret: secret || undefined };
}

function readWorkers(env: Env): number | 'auto' {
  if (env.TESTAPI_WORKERS?.trim().toLowerCase() === 'auto') return 'auto';
  try {
    return readInteger(env, 'TESTAPI_WORKERS', 1, 1, 256);
  } catch {
    throw new ConfigError('TESTAPI_WORKERS', `expected auto or a whole number from 1 to 256, got "${env.TESTAPI_WORKERS}"`);
  }
}

function readConnectionLimits(env: Env): Pick<Config, 'headersTimeoutMs' | 'requestUploadTimeoutMs' | 'keepAliveTimeoutMs' | 'maxConnections'> {
  const headersTimeoutMs = readInteger(env, 'HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestUploadTimeoutMs = readInteger(env, 'REQUEST_UPLOAD_TIMEOUT_MS', 30_000, 100, 3_600_000);
  // Node refuses a headers timeout longer than the whole-request one.
  if (headersTimeoutMs > requestUploadTimeoutMs) {
    throw new ConfigError('HEADERS_TIMEOUT_MS', `must not exceed REQUEST_UPLOAD_TIMEOUT_MS (${requestUploadTimeoutMs}), got ${headersTimeoutMs}`);
  }
  return {
    headersTimeoutMs,
    requestUploadTimeoutMs,
    keepAliveTimeoutMs: readInteger(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    maxConnections: readInteger(env, 'MAX_CONNECTIONS', 256, 1, 100_000),
  };
}
