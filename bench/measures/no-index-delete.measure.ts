/**
 * A 21-row tag deleted on an application's schema whose foreign-key columns
 * have no index (a Sequelize app, test/fixtures/schemas/conduit-sequelize.sql),
 * against the same rows deleted by hand (issue 24's row). On a PostgreSQL with
 * JIT on (Debian's 15) this is where a session setting that priced sequential
 * scans out made every foreign-key check cost ~10^10 and be JIT-compiled:
 * 1.9–7.9 s per delete instead of milliseconds.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { serviceDataSource } from '../../src/db/connect';
import { databaseOf } from '../../src/db/database';
import { runMigrations } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/observability/metrics';
import { fmt, verdict, type ReportRow } from '../support/report';
import { createDatabaseFrom } from '../support/sql-database';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []));
const CONDUIT = path.join(PROJECT_ROOT, 'test', 'fixtures', 'schemas', 'conduit-sequelize.sql');
const RUNS = 30;
const WARM_UP = 5;
/** 1 user, 4 articles, 4 comments by that user on each: 21 rows. */
const GRAPH = { users: [{ as: 'author', articles: [{ count: 4, comments: [{ count: 4, connect: { authorId: { ref: 'author' } } }] }] }] };

export interface NoIndexDeleteOutcome {
  serviceP50: number;
  byHandP50: number;
  jit: string;
  serverVersion: string;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The same 21 rows the graph writes, inserted by hand (untimed); returns their keys. */
async function insertByHand(pool: Pool, run: number): Promise<{ user: number; articles: number[]; comments: number[] }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const user = (
      await client.query<{ id: number }>(
        `INSERT INTO users (email, username, hash, "createdAt", "updatedAt") VALUES ($1, $1, 'x', now(), now()) RETURNING id`,
        [`bench-${run}-${randomBytes(3).toString('hex')}@example.com`],
      )
    ).rows[0]!.id;
    const articles = (
      await client.query<{ id: number }>(
        `INSERT INTO articles (slug, title, description, body, "authorId", "createdAt", "updatedAt")
         SELECT 'bench-' || $2 || '-' || g, 't', 'd', 'b', $1, now(), now() FROM generate_series(1, 4) g RETURNING id`,
        [user, `${run}-${randomBytes(3).toString('hex')}`],
      )
    ).rows.map((row) => row.id);
    const comments = (
      await client.query<{ id: number }>(
        `INSERT INTO comments (body, "articleId", "authorId", "createdAt", "updatedAt")
         SELECT 'c', a, $2, now(), now() FROM unnest($1::int[]) a, generate_series(1, 4) g RETURNING id`,
        [articles, user],
      )
    ).rows.map((row) => row.id);
    await client.query('COMMIT');
    return { user, articles, comments };
  } finally {
    client.release();
  }
}

/** Children first, one transaction, by primary key: what a test's own teardown would do. */
async function deleteByHand(pool: Pool, rows: { user: number; articles: number[]; comments: number[] }): Promise<number> {
  const client = await pool.connect();
  try {
    const start = performance.now();
    await client.query('BEGIN');
    await client.query('DELETE FROM comments WHERE id = ANY($1)', [rows.comments]);
    await client.query('DELETE FROM articles WHERE id = ANY($1)', [rows.articles]);
    await client.query('DELETE FROM users WHERE id = $1', [rows.user]);
    await client.query('COMMIT');
    return performance.now() - start;
  } finally {
    client.release();
  }
}

async function provision(base: string, tag: string): Promise<void> {
  const res = await fetch(`${base}/graphs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tag, graph: GRAPH }) });
  const body = (await res.json()) as { counts?: Record<string, number> };
  const total = Object.values(body.counts ?? {}).reduce((sum, n) => sum + n, 0);
  if (res.status !== 201 || total !== 21) throw new Error(`POST /graphs: ${res.status}, ${total} rows: ${JSON.stringify(body).slice(0, 300)}`);
}

async function deleteTag(base: string, tag: string): Promise<number> {
  const start = performance.now();
  const res = await fetch(`${base}/tags/${tag}`, { method: 'DELETE' });
  const body = (await res.json()) as { total?: number };
  const ms = performance.now() - start;
  if (res.status !== 200 || body.total !== 21) throw new Error(`DELETE /tags/${tag}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return ms;
}

/** Runs on its own database of `clusterUrl` with its own in-process service in target mode; drops the database after. */
export async function measureNoIndexDelete(clusterUrl: string): Promise<NoIndexDeleteOutcome> {
  const conduit = await createDatabaseFrom(clusterUrl, 'bench_conduit', CONDUIT);
  const config = loadConfig({ LOG_LEVEL: 'silent', TAG_SWEEP_INTERVAL_SECONDS: '0', TESTAPI_TARGET_SCHEMAS: 'public', DATABASE_URL: conduit.url });
  const dataSource = serviceDataSource(config, conduit.url);
  const pool = new Pool({ connectionString: conduit.url, max: 2 });
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
    const app = createApp({ config, db: databaseOf(dataSource), logger: createLogger('silent'), metrics: createMetrics() });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const service: number[] = [];
      const byHand: number[] = [];
      // Alternated, so the machine's drift reaches both sides alike; the first runs warm caches and plans.
      for (let run = 0; run < WARM_UP + RUNS; run += 1) {
        const tag = `bench-noindex-${run}`;
        await provision(base, tag);
        const serviceMs = await deleteTag(base, tag);
        const byHandMs = await deleteByHand(pool, await insertByHand(pool, run));
        if (run >= WARM_UP) {
          service.push(serviceMs);
          byHand.push(byHandMs);
        }
      }
      const settings = await pool.query<{ jit: string; version: string }>(`SELECT current_setting('jit') AS jit, current_setting('server_version') AS version`);
      return { serviceP50: median(service), byHandP50: median(byHand), jit: settings.rows[0]!.jit, serverVersion: settings.rows[0]!.version };
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  } finally {
    await pool.end();
    if (dataSource.isInitialized) await dataSource.destroy();
    await conduit.drop();
  }
}

/** ≤ 2× the by-hand delete and ≤ 50 ms p50 (issue 24). */
export function noIndexDeleteRow(outcome: NoIndexDeleteOutcome): ReportRow {
  const ratio = outcome.serviceP50 / outcome.byHandP50;
  return {
    metric: `21-row DELETE, FKs without index (PG ${outcome.serverVersion}, jit ${outcome.jit} for other sessions)`,
    measured: `p50 ${fmt.ms(outcome.serviceP50)}`,
    reference: `by hand ${fmt.ms(outcome.byHandP50)}`,
    ratio: fmt.times(ratio),
    target: '≤ 2.0× and ≤ 50 ms',
    verdict: verdict(ratio <= 2 && outcome.serviceP50 <= 50),
  };
}
