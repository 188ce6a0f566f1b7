import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  test('When nothing is set, then documented defaults apply and the service binds to loopback only', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      apiKeys: [],
      defaultTagTtlSeconds: 86_400,
      dbConnectTimeoutMs: 5_000,
      dbPoolWaitMs: 30_000,
      statementTimeoutMs: 30_000,
      shutdownGraceMs: 10_000,
      logLevel: 'info',
      tagSweepIntervalSeconds: 60,
      requestTimeoutMs: 180_000,
      readyTimeoutMs: 2_000,
      lockTimeoutMs: 1_000,
      deleteBatchRows: 10_000,
      vacuumAfterDeletedRows: 100_000,
      headersTimeoutMs: 10_000,
      requestUploadTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 256,
    });
  });

  test('When an API key is set and HOST is not, then the service listens on every interface', () => {
    expect(loadConfig({ TESTAPI_API_KEY: 'k'.repeat(32) }).host).toBe('0.0.0.0');
  });

  test('When several comma-separated keys are set, then each is accepted (rotation)', () => {
    expect(loadConfig({ TESTAPI_API_KEY: `${'a'.repeat(16)}, ${'b'.repeat(16)}` }).apiKeys).toEqual(['a'.repeat(16), 'b'.repeat(16)]);
  });

  test.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DEFAULT_TAG_TTL_SECONDS', '0'],
    ['DB_CONNECT_TIMEOUT_MS', '-5'],
    ['STATEMENT_TIMEOUT_MS', '1.5'],
    ['SHUTDOWN_GRACE_MS', 'soon'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['TESTAPI_API_KEY', 'short'],
    ['TAG_SWEEP_INTERVAL_SECONDS', 'x'],
    ['REQUEST_TIMEOUT_MS', '10'],
    ['READY_TIMEOUT_MS', 'fast'],
    ['LOCK_TIMEOUT_MS', '0'],
    ['DELETE_BATCH_ROWS', '10'],
    ['VACUUM_AFTER_DELETED_ROWS', '-1'],
    ['HEADERS_TIMEOUT_MS', '0'],
    ['REQUEST_UPLOAD_TIMEOUT_MS', '-1'],
    ['KEEP_ALIVE_TIMEOUT_MS', '1e3'],
    ['MAX_CONNECTIONS', '0'],
  ])('When %s=%s, then start-up fails with one line naming the variable', (name, value) => {
    const attempt = (): unknown => loadConfig({ [name]: value });

    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^Invalid ${name}: `));
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as ConfigError).variable).toBe(name);
    }
  });

  test.each([
    ['a space inside', 'abcdefgh ijklmnopq'],
    ['a tab inside', 'abcdefgh\tijklmnopq'],
    ['non-ASCII', 'clé-secrète-très-longue'],
    ['a control character', 'abcdefghijklmnop\u0007'],
  ])('When an API key holds %s, then start-up refuses it (it could never authenticate) without echoing it', (_what, key) => {
    const attempt = (): unknown => loadConfig({ TESTAPI_API_KEY: `${'a'.repeat(20)},${key}` });

    expect(attempt).toThrow(/^Invalid TESTAPI_API_KEY: key 2 can never authenticate/);
    expect(attempt).not.toThrow(key);
  });

  test('When TESTAPI_UNIQUE and TESTAPI_NOT_UNIQUE name columns, then they are read as entries; an entry that is not table.column is refused naming the variable', () => {
    const config = loadConfig({ TESTAPI_UNIQUE: 'Users.email, billing.invoice.number', TESTAPI_NOT_UNIQUE: 'members.username' });
    expect(config.uniqueDeclarations).toEqual({ declared: ['Users.email', 'billing.invoice.number'], optedOut: ['members.username'] });
    expect(loadConfig({}).uniqueDeclarations).toEqual({ declared: [], optedOut: [] });
    expect(() => loadConfig({ TESTAPI_UNIQUE: 'email' })).toThrow(/^Invalid TESTAPI_UNIQUE: expected comma-separated table.column entries .* got "email"/);
    expect(() => loadConfig({ TESTAPI_NOT_UNIQUE: 'a.b.c.d' })).toThrow(/^Invalid TESTAPI_NOT_UNIQUE: /);
  });

  test('When HEADERS_TIMEOUT_MS exceeds REQUEST_UPLOAD_TIMEOUT_MS, then start-up fails naming HEADERS_TIMEOUT_MS', () => {
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '5000', REQUEST_UPLOAD_TIMEOUT_MS: '1000' })).toThrow(/^Invalid HEADERS_TIMEOUT_MS: must not exceed/);
  });

  test('When DATABASE_URL is malformed, then the error never echoes it (it may hold a password)', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not a url secret-pw' })).toThrow(/^Invalid DATABASE_URL: expected a postgres/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url secret-pw' })).not.toThrow(/secret-pw/);
  });

  test.each([
    [{ NODE_ENV: 'production' }, 'NODE_ENV'],
    [{ TESTAPI_ENV: 'production' }, 'TESTAPI_ENV'],
    [{ TESTAPI_ENV: 'test', NODE_ENV: 'production' }, 'NODE_ENV'],
  ])('When %j, then testapi refuses to start in production', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid ${variable}: testapi refuses to run in production`));
  });

  test('When production is explicitly allowed, then start-up proceeds', () => {
    expect(loadConfig({ NODE_ENV: 'production', TESTAPI_ALLOW_PRODUCTION: 'true' }).port).toBe(3000);
  });
});
