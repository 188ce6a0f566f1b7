import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { poolOf } from './data-source';

/** What the app needs from the database: the DataSource and its pg pool. */
export interface Database {
  dataSource: DataSource;
  pool: Pool;
}

export function databaseOf(dataSource: DataSource): Database {
  return { dataSource, pool: poolOf(dataSource) };
}

const EXPECTED_MIGRATIONS = MIGRATIONS.map((migration) => migration.name);

/** Ready = reachable and every migration applied (read-only check, safe to poll). */
export async function checkReadiness(db: Database): Promise<{ ready: boolean; reason?: string }> {
  try {
    const result = await db.pool.query<{ name: string }>(
      'SELECT name FROM testapi_migrations',
    );
    const applied = new Set(result.rows.map((row) => row.name));
    const pending = EXPECTED_MIGRATIONS.filter((name) => !applied.has(name));
    return pending.length === 0 ? { ready: true } : { ready: false, reason: `migrations pending: ${pending.join(', ')}` };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42P01') return { ready: false, reason: 'migrations have not run' };
    return { ready: false, reason: 'database unreachable' };
  }
}
