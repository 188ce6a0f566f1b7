/**
 * `npm run soak -- --workers 16 --seconds 60 [--replicas 3]`: many workers provision random
 * scenarios under their own tags and delete them again, against one service,
 * for a while; then the database is checked. Fails (exit 1) on any 5xx, any
 * unexpected answer, any row left under the soak's tags, or any change to a
 * sentinel tag that the soak never addresses.
 *
 * Uses DATABASE_URL when set (migrating it if needed), otherwise a throwaway
 * embedded PostgreSQL; the service runs in this process (createApp + listen).
 * With --replicas N > 1, see soak-replicas.ts: N service processes behind a
 * round-robin proxy, one of them killed and restarted midway.
 */
import 'reflect-metadata';
import { randomBytes, randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { serviceDataSource } from '../src/db/connect';
import { databaseOf } from '../src/db/database';
import { startThrowawayPostgres } from '../test/support/throwaway-postgres';
import { runMigrations } from '../src/db/migrate';
import { DOMAIN_TABLES_DELETE_ORDER } from '../src/db/tables';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/observability/metrics';
import { runReplicaSoak } from './soak-replicas';

export interface SoakOptions {
  workers: number;
  seconds: number;
  /** An existing database (migrated here if needed); unset starts a throwaway one. */
  databaseUrl?: string;
  /** Progress and the report; silent when omitted. */
  log?: (line: string) => void;
}

export interface SoakReport {
  requests: number;
  provisioned: number;
  deletedTags: number;
  /** Answers other than the expected 2xx, and failed requests. */
  errors: number;
  serverErrors: number;
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  /** Rows (and test_tags entries) still present under the soak's tags. */
  leftovers: number;
  sentinelIntact: boolean;
  /** A few examples of what went wrong, for the report. */
  failures: string[];
  ok: boolean;
}

interface ScenarioCall {
  scenario: string;
  body: Record<string, unknown>;
}

/** Small, valid, random requests across the catalog (bulk-orders is the benchmark's job). */
export function randomCall(tag: string): ScenarioCall {
  const seed = randomInt(0, 2_147_483_647);
  switch (randomInt(0, 4)) {
    case 0:
      return { scenario: 'user', body: { tag, seed, params: { addresses: randomInt(0, 4) } } };
    case 1:
      return { scenario: 'user-with-orders', body: { tag, seed, params: { orders: randomInt(1, 6), itemsPerOrder: randomInt(1, 4) } } };
    case 2:
      return { scenario: 'organization', body: { tag, seed, params: { members: randomInt(1, 6) } } };
    default:
      return { scenario: 'catalog', body: { tag, seed, params: { products: randomInt(1, 21) } } };
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** A fingerprint of every row a tag owns: any insert, update or delete changes it. */
export async function fingerprint(pool: Pool, tag: string): Promise<string> {
  const parts: string[] = [];
  for (const table of [...DOMAIN_TABLES_DELETE_ORDER, 'test_tags']) {
    const column = table === 'test_tags' ? 'tag' : 'test_tag';
    const order = table === 'test_tags' ? 'tag' : 'id';
    const result = await pool.query<{ n: number; digest: string | null }>(
      `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t.${order})) AS digest FROM ${table} t WHERE t.${column} = $1`,
      [tag],
    );
    parts.push(`${table}:${result.rows[0]?.n}:${result.rows[0]?.digest}`);
  }
  return parts.join(',');
}

export async function leftoversUnder(pool: Pool, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[\\%_]/g, '\\$&')}%`;
  const selects = [
    ...DOMAIN_TABLES_DELETE_ORDER.map((table) => `SELECT count(*)::int AS n FROM ${table} WHERE test_tag LIKE $1`),
    'SELECT count(*)::int AS n FROM test_tags WHERE tag LIKE $1',
  ];
  const result = await pool.query<{ n: number }>(selects.join(' UNION ALL '), [pattern]);
  return result.rows.reduce((sum, row) => sum + row.n, 0);
}

/** What a soak counts while it runs; the replicas soak extends it with its own counters. */
export interface Stats {
  latencies: number[];
  requests: number;
  provisioned: number;
  deletedTags: number;
  errors: number;
  serverErrors: number;
  failures: string[];
}

export function newStats(): Stats {
  return { latencies: [], requests: 0, provisioned: 0, deletedTags: 0, errors: 0, serverErrors: 0, failures: [] };
}

async function call(stats: Stats, method: string, url: string, expected: number, body?: unknown): Promise<unknown> {
  const started = performance.now();
  stats.requests += 1;
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    stats.latencies.push(performance.now() - started);
    if (res.status >= 500) stats.serverErrors += 1;
    if (res.status !== expected) {
      stats.errors += 1;
      if (stats.failures.length < 10) stats.failures.push(`${method} ${new URL(url).pathname} -> ${res.status} ${text.slice(0, 300)}`);
      return undefined;
    }
    return JSON.parse(text) as unknown;
  } catch (error) {
    stats.errors += 1;
    if (stats.failures.length < 10) stats.failures.push(`${method} ${new URL(url).pathname} -> ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function worker(base: string, prefix: string, index: number, deadline: number, stats: Stats): Promise<void> {
  for (let round = 0; performance.now() < deadline; round += 1) {
    const tag = `${prefix}w${index}-${round}`;
    // One to three graphs under the tag, sometimes a look at it, then its deletion.
    const graphs = randomInt(1, 4);
    for (let i = 0; i < graphs; i += 1) {
      const { scenario, body } = randomCall(tag);
      if ((await call(stats, 'POST', `${base}/scenarios/${scenario}`, 201, body)) !== undefined) stats.provisioned += 1;
    }
    if (randomInt(0, 4) === 0) await call(stats, 'GET', `${base}/tags/${tag}`, 200);
    // Deleted even when a provisioning call failed: whatever it left must go.
    if ((await call(stats, 'DELETE', `${base}/tags/${tag}`, 200)) !== undefined) stats.deletedTags += 1;
  }
}

/** Runs the soak and checks the database; never throws for a failed check (see `ok`). */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const cluster = options.databaseUrl ? undefined : await startThrowawayPostgres();
  const url = options.databaseUrl ?? cluster!.url;
  const poolSize = Math.min(50, Math.max(10, options.workers));
  const config = loadConfig({
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    TAG_SWEEP_INTERVAL_SECONDS: '0',
    DB_POOL_SIZE: String(poolSize),
    PORT: '0',
  });
  const dataSource = serviceDataSource(config, url, 'testapi-soak');
  const checks = new Pool({ connectionString: url, max: 2 });
  let server: Server | undefined;
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
    const app = createApp({ config, db: databaseOf(dataSource), logger: createLogger('silent'), metrics: createMetrics() });
    const listening = app.listen(0, '127.0.0.1');
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('listening', resolve);
      listening.once('error', reject);
    });
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    const run = randomBytes(4).toString('hex');
    const prefix = `soak-${run}-`;

    // A tag the soak never addresses: it must come out byte-for-byte unchanged.
    const sentinel = `sentinel-${run}`;
    const setup = newStats();
    await call(setup, 'POST', `${base}/scenarios/user-with-orders`, 201, { tag: sentinel, seed: 1, params: { orders: 2 } });
    await call(setup, 'POST', `${base}/scenarios/organization`, 201, { tag: sentinel, seed: 2, params: { members: 2 } });
    if (setup.errors > 0) throw new Error(`could not seed the sentinel tag: ${setup.failures.join('; ')}`);
    const before = await fingerprint(checks, sentinel);

    log(`soak: ${options.workers} workers for ${options.seconds} s against ${base} (tags ${prefix}*)`);
    const stats = newStats();
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    await Promise.all(Array.from({ length: options.workers }, (_, index) => worker(base, prefix, index, deadline, stats)));
    const elapsedSeconds = (performance.now() - started) / 1000;

    const leftovers = await leftoversUnder(checks, prefix);
    const sentinelIntact = (await fingerprint(checks, sentinel)) === before;
    await call(setup, 'DELETE', `${base}/tags/${sentinel}`, 200);

    const sorted = [...stats.latencies].sort((a, b) => a - b);
    const report: SoakReport = {
      requests: stats.requests,
      provisioned: stats.provisioned,
      deletedTags: stats.deletedTags,
      errors: stats.errors,
      serverErrors: stats.serverErrors,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      requestsPerSecond: stats.requests / elapsedSeconds,
      leftovers,
      sentinelIntact,
      failures: stats.failures,
      ok: stats.errors === 0 && stats.serverErrors === 0 && leftovers === 0 && sentinelIntact && stats.requests > 0,
    };
    log(formatReport(report));
    return report;
  } finally {
    const closing = server;
    if (closing) {
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    }
    await checks.end();
    if (dataSource.isInitialized) await dataSource.destroy();
    await cluster?.destroy();
  }
}

export function formatReport(report: SoakReport): string {
  const lines = [
    `requests      ${report.requests} (${report.requestsPerSecond.toFixed(1)}/s), ${report.provisioned} graphs provisioned, ${report.deletedTags} tags deleted`,
    `errors        ${report.errors} (5xx: ${report.serverErrors})`,
    `latency       p50 ${report.p50Ms.toFixed(1)} ms, p99 ${report.p99Ms.toFixed(1)} ms`,
    `leftovers     ${report.leftovers} rows under the soak's tags`,
    `sentinel tag  ${report.sentinelIntact ? 'intact' : 'CHANGED'}`,
    ...report.failures.map((failure) => `  failure: ${failure}`),
    report.ok ? 'soak: OK' : 'soak: FAILED',
  ];
  return lines.join('\n');
}

function positiveInteger(name: string, raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`--${name} expects a whole number ≥ 1, got "${raw}"`);
  return Number(raw);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workers: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '60' },
      replicas: { type: 'string', default: '1' },
    },
    strict: true,
  });
  const replicas = positiveInteger('replicas', values.replicas);
  if (replicas > 1) {
    // Several service processes behind a round-robin proxy, one killed and restarted midway.
    const report = await runReplicaSoak({
      replicas,
      workers: positiveInteger('workers', values.workers),
      seconds: positiveInteger('seconds', values.seconds),
      databaseUrl: process.env.DATABASE_URL?.trim() || undefined,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.exitCode = report.ok ? 0 : 1;
    return;
  }
  const report = await runSoak({
    workers: positiveInteger('workers', values.workers),
    seconds: positiveInteger('seconds', values.seconds),
    databaseUrl: process.env.DATABASE_URL?.trim() || undefined,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.exitCode = report.ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
