import type { Pool, PoolClient } from 'pg';
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

/** Ready = reachable and every migration applied (read-only check, safe to poll). */
export async function checkReadiness(db: Database): Promise<{ ready: boolean; reason?: string }> {
  try {
    const result = await db.pool.query<{ name: string }>(
      'SELECT name FROM testapi_migrations',
    );
    const applied = new Set(result.rows.map((row) => row.name));
    // The DataSource's own list: the shop mode and the target mode apply different ones.
    const expected = db.dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
    const pending = expected.filter((name) => !applied.has(name));
    return pending.length === 0 ? { ready: true } : { ready: false, reason: `migrations pending: ${pending.join(', ')}` };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42P01') return { ready: false, reason: 'migrations have not run' };
    return { ready: false, reason: 'database unreachable' };
  }
}
