/**
 * `npm run bench:target`: POST /graphs on a schema testapi did not write
 * (Chinook, TESTAPI_TARGET_SCHEMAS=public) against the same rows written by
 * hand, as ratios (issue 13's targets):
 * - a 100,000-row graph (one artist, 100,000 albums) against COPY of the same
 *   rows in one transaction: ≥ 0.4 of COPY, testapi's ledger rows included;
 * - a 15-row graph (a customer, 2 invoices, 4 lines, their 4 tracks and 4
 *   media types) against one raw pg transaction inserting the same rows:
 *   ≥ 0.5 of raw pg, sequential requests.
 * - a 21-row tag deleted where the foreign-key columns have no index (a
 *   Sequelize app) against the same rows deleted by hand: ≤ 2× and ≤ 50 ms p50
 *   (issue 24; see bench/measures/no-index-delete.measure.ts).
 * BENCH_ONLY=noindex runs only that row.
 * DATABASE_URL is used when set (a database is created on it); otherwise a
 * throwaway embedded cluster. A measurement, not a test: it always exits 0.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { serviceDataSource } from '../src/db/connect';
import { databaseOf } from '../src/db/database';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { runMigrations } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/observability/metrics';
import { measureNoIndexDelete, noIndexDeleteRow } from './measures/no-index-delete.measure';
import { fmt, formatTable, verdict, type ReportRow } from './support/report';
import { createDatabaseFrom } from './support/sql-database';

const PROJECT_ROOT = path.resolve(__dirname, '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []));
const CHINOOK = path.join(PROJECT_ROOT, 'test', 'fixtures', 'schemas', 'chinook.sql');
const BULK_ROWS = 100_000;
const BULK_RUNS = 3;
const SMALL_RUNS = 200;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function openCluster(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.DATABASE_URL?.trim();
  if (given) return { url: given, stop: async () => undefined };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-bench-target-'));
  fs.chmodSync(root, 0o755);
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(root, 'data'), durable: true, log: () => undefined });
  return {
    url: cluster.url,
    async stop() {
      await cluster.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

async function createChinook(clusterUrl: string): Promise<string> {
  return (await createDatabaseFrom(clusterUrl, 'bench_target', CHINOOK)).url;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function post(base: string, path_: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}${path_}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST ${path_}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

async function remove(base: string, tag: string): Promise<void> {
  const res = await fetch(`${base}/tags/${tag}`, { method: 'DELETE' });
  if (res.status !== 200) throw new Error(`DELETE /tags/${tag}: ${res.status}`);
  await res.arrayBuffer();
}

/** The same 100,000 albums by COPY, in one transaction, then rolled back so every run starts alike. */
async function rawCopy(pool: Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const artist = (await client.query<{ id: number }>(`INSERT INTO artist (name) VALUES ('Bench Artist') RETURNING artist_id AS id`)).rows[0]!.id;
    const lines = function* (): Generator<string> {
      for (let chunk = 0; chunk < BULK_ROWS; chunk += 10_000) {
        let text = '';
        for (let row = chunk; row < Math.min(BULK_ROWS, chunk + 10_000); row += 1) text += `Album title ${row}\t${artist}\n`;
        yield text;
      }
    };
    const ms = await timed(() => pipeline(Readable.from(lines()), client.query(copyFrom('COPY album (title, artist_id) FROM STDIN'))));
    await client.query('ROLLBACK');
    return ms;
  } finally {
    client.release();
  }
}

/** The 15 rows of the small graph in one raw transaction: one multi-row INSERT per table. */
async function rawSmall(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const media = (await client.query<{ id: number }>(`INSERT INTO media_type (name) VALUES ('a'), ('b'), ('c'), ('d') RETURNING media_type_id AS id`)).rows;
    const tracks = (
      await client.query<{ id: number }>(
        'INSERT INTO track (name, media_type_id, milliseconds, unit_price) VALUES ($1, $2, 1000, 0.99), ($1, $3, 1000, 0.99), ($1, $4, 1000, 0.99), ($1, $5, 1000, 0.99) RETURNING track_id AS id',
        ['Track', ...media.map((row) => row.id)],
      )
    ).rows;
    const customer = (await client.query<{ id: number }>(`INSERT INTO customer (first_name, last_name, email) VALUES ('A', 'B', 'a.b@example.com') RETURNING customer_id AS id`)).rows[0]!.id;
    const invoices = (await client.query<{ id: number }>('INSERT INTO invoice (customer_id, invoice_date, total) VALUES ($1, now(), 1), ($1, now(), 2) RETURNING invoice_id AS id', [customer])).rows;
    await client.query('INSERT INTO invoice_line (invoice_id, track_id, unit_price, quantity) VALUES ($1, $3, 1, 1), ($1, $4, 1, 1), ($2, $5, 1, 1), ($2, $6, 1, 1)', [
      invoices[0]!.id,
      invoices[1]!.id,
      ...tracks.map((row) => row.id),
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function main(): Promise<void> {
  const cluster = await openCluster();
  const url = await createChinook(cluster.url);
  const config = loadConfig({ LOG_LEVEL: 'silent', TAG_SWEEP_INTERVAL_SECONDS: '0', TESTAPI_TARGET_SCHEMAS: 'public', DATABASE_URL: url, STATEMENT_TIMEOUT_MS: '600000' });
  const dataSource = serviceDataSource(config, url);
  await dataSource.initialize();
  await runMigrations(dataSource);
  const app = createApp({ config, db: databaseOf(dataSource), logger: createLogger('silent'), metrics: createMetrics() });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = new Pool({ connectionString: url, max: 2 });
  const rows: ReportRow[] = [];
  const onlyNoIndex = process.env.BENCH_ONLY?.trim() === 'noindex';
  try {
    if (!onlyNoIndex) rows.push(...(await chinookRows(base, pool)));
    rows.push(noIndexDeleteRow(await measureNoIndexDelete(cluster.url)));
    process.stdout.write(`${formatTable(rows)}\n`);
  } finally {
    await pool.end();
    await new Promise((resolve) => server.close(resolve));
    await dataSource.destroy();
    await cluster.stop();
  }
}

/** Issue 13's rows on Chinook: the 100,000-row graph against COPY, the 15-row graph against raw pg. */
async function chinookRows(base: string, pool: Pool): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  const service: number[] = [];
  const copy: number[] = [];
  for (let run = 0; run < BULK_RUNS; run += 1) {
    const tag = `bench-bulk-${run}`;
    service.push(await timed(() => post(base, '/graphs', { tag, graph: { artist: [{ album: [{ count: BULK_ROWS }] }] } })));
    await remove(base, tag);
    copy.push(await rawCopy(pool));
  }
  const bulkRatio = median(copy) / median(service);
  rows.push({
    metric: `graph of ${fmt.int(BULK_ROWS + 1)} rows (target schema)`,
    measured: fmt.ms(median(service)),
    reference: `COPY ${fmt.ms(median(copy))}`,
    ratio: fmt.ratio(bulkRatio),
    target: '≥ 0.40',
    verdict: verdict(bulkRatio >= 0.4),
  });

  const smallGraph = { customer: [{ invoice: [{ count: 2, invoice_line: [{ count: 2 }] }] }] };
  for (let warm = 0; warm < 20; warm += 1) {
    await post(base, '/graphs', { tag: `bench-warm-${warm}`, graph: smallGraph });
    await rawSmall(pool);
  }
  const smallService = await timed(async () => {
    for (let run = 0; run < SMALL_RUNS; run += 1) await post(base, '/graphs', { tag: `bench-small-${run % 10}`, graph: smallGraph });
  });
  const smallRaw = await timed(async () => {
    for (let run = 0; run < SMALL_RUNS; run += 1) await rawSmall(pool);
  });
  const smallRatio = smallRaw / smallService;
  rows.push({
    metric: 'graph of 15 rows (target schema), sequential',
    measured: fmt.ms(smallService / SMALL_RUNS),
    reference: `raw pg ${fmt.ms(smallRaw / SMALL_RUNS)}`,
    ratio: fmt.ratio(smallRatio),
    target: '≥ 0.50',
    verdict: verdict(smallRatio >= 0.5),
  });
  return rows;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:target failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
