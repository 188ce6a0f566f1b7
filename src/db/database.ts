import { Pool, type PoolClient, type QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { poolOf } from './data-source';

/** What the app needs from the database: the DataSource and its pg pool. */
export interface Database {
  dataSource: DataSource;
  pool: Pool;
}

export function databaseOf(dataSource: DataSource): Database {
  const pool = poolOf(dataSource);
  listenOnBorrowedClients(pool);
  return { dataSource, pool };
}

/**
 * pg emits 'error' on a client whose connection drops (PostgreSQL stopped or
 * restarted). An idle client has the pool's listener, a borrowed one has none
 * unless its borrower adds one, and an unheard 'error' event kills the process
 * (seen: the service exited when PostgreSQL stopped mid-transaction). Every
 * client gets a listener once; the statement in flight still rejects (503) and
 * pg-pool discards the client at release because it is no longer queryable.
 */
function listenOnBorrowedClients(pool: Pool): void {
  const heard = new WeakSet<PoolClient>();
  pool.on('acquire', (client) => {
    if (heard.has(client)) return;
    heard.add(client);
    client.on('error', () => undefined);
  });
}

/**
 * Readiness asks its own one-connection pool, so a saturated request pool
 * (every connection busy with long work) does not read as "not ready": /ready
 * is about the database. Created on first use, closed with closeReadinessProbe.
 */
const probes = new WeakMap<Pool, Pool>();

function probeOf(pool: Pool): Pool {
  let probe = probes.get(pool);
  if (!probe) {
    probe = new Pool({ ...pool.options, max: 1, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    // An idle probe connection that the server ends must not crash the process.
    probe.on('error', () => undefined);
    probes.set(pool, probe);
  }
  return probe;
}

export async function closeReadinessProbe(db: Database): Promise<void> {
  const probe = probes.get(db.pool);
  probes.delete(db.pool);
  await probe?.end().catch(() => undefined);
}

/**
 * Ready = reachable and every migration applied (read-only check, safe to
 * poll), answered within `timeoutMs` whatever the database does: a frozen
 * PostgreSQL must make /ready say 503, not hang it.
 */
export async function checkReadiness(db: Database, timeoutMs = 2_000): Promise<{ ready: boolean; reason?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<{ ready: false; reason: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: `the database did not answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    // The DataSource's own list: the shop mode and the target mode apply different ones.
    const expected = db.dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
    return await Promise.race([askDatabase(probeOf(db.pool), timeoutMs, expected), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function askDatabase(probe: Pool, timeoutMs: number, expected: readonly string[]): Promise<{ ready: boolean; reason?: string }> {
  try {
    // pg reads a per-query query_timeout; its types do not list it.
    const query: QueryConfig & { query_timeout: number } = { text: 'SELECT name FROM testapi_migrations', query_timeout: timeoutMs };
    const result = await probe.query<{ name: string }>(query);
    const applied = new Set(result.rows.map((row) => row.name));
    const pending = expected.filter((name) => !applied.has(name));
    return pending.length === 0 ? { ready: true } : { ready: false, reason: `migrations pending: ${pending.join(', ')}` };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42P01') return { ready: false, reason: 'migrations have not run' };
    return { ready: false, reason: 'database unreachable' };
  }
}
