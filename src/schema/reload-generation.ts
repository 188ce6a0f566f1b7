import { createHash } from 'node:crypto';
import os from 'node:os';
import type { Pool } from 'pg';
import type { Database } from '../db/database';

/**
 * The reload generation in testapi's own schema (migration
 * 1764800000000-reload-generation) and the NOTIFY channel that announces a
 * new one. Both are named for the own-state schema: two testapi deployments
 * with their own TESTAPI_SCHEMA on one database never reload each other.
 */
export interface ReloadMark {
  generation: number;
  /** `host:pid` of the process that last answered POST /schema/reload; null before the first. */
  by: string | null;
}

type Queryable = Pick<Pool, 'query'>;

/** Who this process is in a mark and in the followers' log lines. */
export const RELOAD_ORIGIN = `${os.hostname()}:${process.pid}`;

/** testapi's own schema in target mode (the DataSource's, also its connections' search_path); undefined in the shop mode. */
export function ownStateSchema(db: Database): string | undefined {
  return (db.dataSource.options as { schema?: string }).schema;
}

/** NOTIFY refuses a channel name of 64 bytes or more: a long schema name keeps a prefix and a digest of the whole. */
export function reloadChannel(stateSchema: string): string {
  const channel = `${stateSchema}.schema_reload`;
  if (channel.length < 64) return channel;
  return `${stateSchema.slice(0, 40)}.schema_reload.${createHash('sha256').update(stateSchema).digest('hex').slice(0, 8)}`;
}

export async function readReloadMark(db: Queryable): Promise<ReloadMark> {
  const result = await db.query<{ generation: string; reloaded_by: string | null }>('SELECT generation, reloaded_by FROM testapi_reload_generation');
  const row = result.rows[0];
  return { generation: Number(row?.generation ?? 0), by: row?.reloaded_by ?? null };
}

/**
 * Counts a reload and notifies `channel` in one statement, so one transaction:
 * listeners hear of the generation exactly when it is committed, never of one
 * that rolled back, and no committed one goes unannounced.
 */
export async function announceReload(db: Queryable, channel: string): Promise<number> {
  const result = await db.query<{ generation: string }>(
    `WITH bumped AS (
       UPDATE testapi_reload_generation SET generation = generation + 1, reloaded_at = now(), reloaded_by = $2 RETURNING generation
     )
     SELECT generation, pg_notify($1, json_build_object('generation', generation, 'by', $2::text)::text) FROM bumped`,
    [channel, RELOAD_ORIGIN],
  );
  const row = result.rows[0];
  if (!row) throw new Error('testapi_reload_generation holds no row: run the migrations (npm run migrate) before serving');
  return Number(row.generation);
}

/** A notification's payload; undefined when it is not one of ours. */
export function parseReloadPayload(payload: string | undefined): ReloadMark | undefined {
  try {
    const parsed = JSON.parse(payload ?? '') as { generation?: unknown; by?: unknown };
    if (typeof parsed.generation !== 'number' || !Number.isSafeInteger(parsed.generation)) return undefined;
    return { generation: parsed.generation, by: typeof parsed.by === 'string' ? parsed.by : null };
  } catch {
    return undefined;
  }
}
