/**
 * `npm run bench`: provisioning and cleanup measured against PostgreSQL itself,
 * in one run on one database, printed as a table of ratios (see
 * docs/PERFORMANCE.md). A measurement, not a test: a missed target still exits
 * 0; an error (a failed request, a crashed service) exits 1.
 *
 * BENCH_ONLY=bulk,small,cleanup,memory,tiny,snapshot,noindex runs a subset (while profiling);
 * BENCH_CPU_PROF=<dir> makes the service write a V8 CPU profile there.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { measureBulk, type BulkOutcome } from './measures/bulk.measure';
import { measureBigCleanup, measureSmallCleanup, type BigCleanupOutcome, type SmallCleanupOutcome } from './measures/cleanup.measure';
import { measureMemory, type MemoryOutcome } from './measures/memory.measure';
import { measureNoIndexDelete, noIndexDeleteRow, type NoIndexDeleteOutcome } from './measures/no-index-delete.measure';
import { CONCURRENCY, measureSmall, type SmallOutcome } from './measures/small.measure';
import { measureSnapshot, type SnapshotOutcome } from './measures/snapshot.measure';
import { attempt, type BenchContext } from './support/context';
import { openBenchDatabase, type BenchDatabase } from './support/database';
import { describeCpu } from './support/cpu-time';
import { totalRows } from './support/graph';
import { fmt, formatTable, verdict, type ReportRow } from './support/report';
import { RssSampler } from './support/rss-sampler';
import { startBenchService } from './support/service';
import { onTeardown, teardown, teardownOnSignals, tearingDown } from './support/teardown';
import { DOMAIN_TABLES_DELETE_ORDER } from '../src/db/tables';

const PHASES = ['bulk', 'small', 'cleanup', 'memory', 'tiny', 'snapshot', 'noindex'] as const;
type Phase = (typeof PHASES)[number];

interface Outcomes {
  /** Absent when BENCH_ONLY left out every phase that needs it. */
  bulk?: BulkOutcome;
  small?: SmallOutcome;
  bigCleanup?: BigCleanupOutcome;
  memory?: MemoryOutcome;
  smallCleanup?: SmallCleanupOutcome;
  snapshot?: SnapshotOutcome;
  noIndexDelete?: NoIndexDeleteOutcome;
}

const NOT_RUN = '-';

function selectedPhases(): Set<Phase> {
  const raw = process.env.BENCH_ONLY?.trim();
  if (!raw) return new Set(PHASES);
  const chosen = raw.split(',').map((phase) => phase.trim());
  const unknown = chosen.filter((phase) => !(PHASES as readonly string[]).includes(phase));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown phase(s) ${unknown.join(', ')}; expected some of ${PHASES.join(', ')}`);
  return new Set(chosen as Phase[]);
}

/**
 * The service's CPU per small request before issue 17 ("Performance II"), as
 * that issue measured it on this machine class: its target is half of it.
 */
const SERVICE_CPU_BEFORE_MS = 0.75;

/** Bulk vs COPY: the embedded build (-Os) leaves the service more headroom than an -O2 server such as Debian's. */
const bulkTarget = (embedded: boolean): number => (embedded ? 0.75 : 0.6);

function bulkRows(bulk: BulkOutcome, embedded: boolean): ReportRow[] {
  const rows: ReportRow[] = [];
  const http = bulk.http;
  const shape = http ? `${fmt.int(http.rows)} rows` : '10k×5×3';

  const bulkRatio = http && bulk.ceiling ? http.rowsPerSec / bulk.ceiling.rowsPerSec : undefined;
  const target = bulkTarget(embedded);
  rows.push({
    metric: `bulk-orders 10k×5×3 over HTTP (${shape})`,
    measured: http ? fmt.rate(http.rowsPerSec, 'rows/s') : 'error',
    reference: bulk.ceiling ? `COPY ${fmt.rate(bulk.ceiling.rowsPerSec, 'rows/s')}` : 'error',
    ratio: bulkRatio === undefined ? NOT_RUN : fmt.ratio(bulkRatio),
    target: `≥ ${target.toFixed(2)}`,
    verdict: verdict(bulkRatio === undefined ? undefined : bulkRatio >= target),
  });
  // Information only: it measures PostgreSQL's COPY against round trips, not testapi (retired target: ≥ 25×).
  const baselineRatio = http && bulk.baseline ? http.rowsPerSec / bulk.baseline.rowsPerSec : undefined;
  rows.push({
    metric: 'bulk-orders vs TypeORM save per entity',
    measured: http ? fmt.rate(http.rowsPerSec, 'rows/s') : 'error',
    reference: bulk.baseline ? `save ${fmt.rate(bulk.baseline.rowsPerSec, 'rows/s')}` : 'error',
    ratio: baselineRatio === undefined ? NOT_RUN : fmt.times(baselineRatio),
    target: NOT_RUN,
    verdict: http && bulk.baseline ? 'info' : 'ERROR',
  });
  return rows;
}

function smallRows(small: SmallOutcome): ReportRow[] {
  const rows: ReportRow[] = [];
  const { http, workers, raw } = small;
  const rate = (run: { requestsPerSec: number } | undefined): number | undefined => (run && raw ? run.requestsPerSec / raw.txPerSec : undefined);
  const oneWorker = rate(http);
  rows.push({
    metric: `user-with-orders 3×2 (${totalRows(small.counts)} rows), c=${CONCURRENCY}, 10 s, 1 worker`,
    measured: http ? fmt.rate(http.requestsPerSec, 'req/s') : 'error',
    reference: raw ? `raw pg ${fmt.rate(raw.txPerSec, 'tx/s')}` : 'error',
    ratio: oneWorker === undefined ? NOT_RUN : fmt.ratio(oneWorker),
    target: '≥ 0.85',
    verdict: verdict(oneWorker === undefined ? undefined : oneWorker >= 0.85),
  });
  const p99Ratio = http && raw ? http.p99 / raw.p99 : undefined;
  rows.push({
    metric: 'user-with-orders p99 latency, 1 worker',
    measured: http ? fmt.ms(http.p99) : 'error',
    reference: raw ? `raw pg ${fmt.ms(raw.p99)}` : 'error',
    ratio: p99Ratio === undefined ? NOT_RUN : fmt.times(p99Ratio),
    target: '≤ 1.5×',
    verdict: verdict(p99Ratio === undefined ? undefined : p99Ratio <= 1.5),
  });
  rows.push({
    metric: 'user-with-orders p50 latency, 1 worker',
    measured: http ? fmt.ms(http.p50) : 'error',
    reference: raw ? `raw pg ${fmt.ms(raw.p50)}` : 'error',
    ratio: NOT_RUN,
    target: NOT_RUN,
    verdict: http ? 'info' : 'ERROR',
  });
  const serviceCpu = http?.cpu.service;
  rows.push({
    metric: 'service CPU per user-with-orders request, 1 worker',
    measured: serviceCpu === undefined ? 'error' : fmt.ms(serviceCpu),
    reference: `before: ${fmt.ms(SERVICE_CPU_BEFORE_MS)}`,
    ratio: serviceCpu === undefined ? NOT_RUN : fmt.ratio(serviceCpu / SERVICE_CPU_BEFORE_MS),
    target: '≤ 0.50',
    verdict: verdict(serviceCpu === undefined ? undefined : serviceCpu / SERVICE_CPU_BEFORE_MS <= 0.5),
  });
  const auto = rate(workers);
  rows.push({
    metric: `user-with-orders, TESTAPI_WORKERS=auto (${workers ? workers.count : '?'} workers)`,
    measured: workers ? fmt.rate(workers.requestsPerSec, 'req/s') : 'error',
    reference: raw ? `raw pg ${fmt.rate(raw.txPerSec, 'tx/s')}` : 'error',
    ratio: auto === undefined ? NOT_RUN : fmt.ratio(auto),
    target: '≥ 1.00',
    verdict: verdict(auto === undefined ? undefined : auto >= 1),
  });
  rows.push({
    metric: 'user-with-orders p99 latency, auto workers',
    measured: workers ? fmt.ms(workers.p99) : 'error',
    reference: raw ? `raw pg ${fmt.ms(raw.p99)}` : 'error',
    ratio: workers && raw ? fmt.times(workers.p99 / raw.p99) : NOT_RUN,
    target: NOT_RUN,
    verdict: workers ? 'info' : 'ERROR',
  });
  return rows;
}

/** Export and import of a 100,000-row tag, as rows/s beside the bulk path that wrote it (information: no target set). */
function snapshotRows(snapshot: SnapshotOutcome): ReportRow[] {
  const reference = `bulk-orders ${fmt.rate(snapshot.bulk.rowsPerSec, 'rows/s')}`;
  const row = (metric: string, run: { rowsPerSec: number } | undefined): ReportRow => ({
    metric,
    measured: run ? fmt.rate(run.rowsPerSec, 'rows/s') : 'error',
    reference,
    ratio: run ? fmt.ratio(run.rowsPerSec / snapshot.bulk.rowsPerSec) : NOT_RUN,
    target: NOT_RUN,
    verdict: run ? 'info' : 'ERROR',
  });
  const rows = fmt.int(snapshot.bulk.rows);
  const rss = snapshot.exported?.rss;
  return [
    row(`GET /tags/{tag}/export of ${rows} rows (JSON)`, snapshot.exported),
    {
      metric: `service peak RSS during that export (${snapshot.exported ? fmt.mb(snapshot.exported.bytes / 2 ** 20) : '?'} of JSON)`,
      measured: rss ? fmt.mb(rss.highWaterMb) : 'error',
      reference: rss ? `before it: ${fmt.mb(rss.startMb)}` : NOT_RUN,
      ratio: NOT_RUN,
      target: NOT_RUN,
      verdict: rss ? 'info' : 'ERROR',
    },
    row(`GET /tags/{tag}/export of ${rows} rows (NDJSON)`, snapshot.ndjson),
    row(`POST /tags/{tag}/import of those ${rows} rows`, snapshot.imported),
  ];
}

function buildTable(outcomes: Outcomes, embedded: boolean): ReportRow[] {
  const rows: ReportRow[] = [];
  const { bulk, small, bigCleanup, memory, smallCleanup, snapshot, noIndexDelete } = outcomes;
  if (bulk) rows.push(...bulkRows(bulk, embedded));
  if (snapshot) rows.push(...snapshotRows(snapshot));
  if (small) rows.push(...smallRows(small));

  if (bigCleanup) {
    const { http: del, raw } = bigCleanup;
    const ratio = del && raw ? del.ms / raw.ms : undefined;
    rows.push({
      metric: `DELETE /tags/{tag} of ${del ? fmt.int(del.rows) : 'the bulk'} rows`,
      measured: del ? fmt.ms(del.ms) : 'error',
      reference: raw ? `raw DELETE ${fmt.ms(raw.ms)}` : 'error',
      ratio: ratio === undefined ? NOT_RUN : fmt.times(ratio),
      target: '≤ 1.5×',
      verdict: verdict(ratio === undefined ? undefined : ratio <= 1.5),
    });
  }

  if (memory) {
    rows.push({
      metric: `bulk-orders ${fmt.int(memory.rows)} rows over HTTP`,
      measured: fmt.rate(memory.rows / (memory.ms / 1000), 'rows/s'),
      reference: NOT_RUN,
      ratio: NOT_RUN,
      target: NOT_RUN,
      verdict: 'info',
    });
    rows.push({
      metric: `service peak RSS during those ${fmt.int(memory.rows)} rows`,
      measured: fmt.mb(memory.rss.highWaterMb),
      reference: `before it: ${fmt.mb(memory.rss.startMb)}`,
      ratio: NOT_RUN,
      target: '≤ 300 MB',
      verdict: verdict(memory.rss.highWaterMb <= 300),
    });
  }

  if (smallCleanup) {
    const ratio = smallCleanup.p50 / smallCleanup.raw.p50;
    rows.push({
      metric: `DELETE /tags/{tag} of ${smallCleanup.rowsPerTag} rows, p50 of 30 (${(smallCleanup.otherRows / 1e6).toFixed(2)}M other rows)`,
      measured: fmt.ms(smallCleanup.p50),
      reference: `by hand, 1 tx ${fmt.ms(smallCleanup.raw.p50)}`,
      ratio: fmt.times(ratio),
      target: '≤ 2.0×',
      verdict: verdict(ratio <= 2),
    });
    rows.push({
      metric: 'DELETE /tags/{tag} of those rows, p99',
      measured: fmt.ms(smallCleanup.p99),
      reference: `by hand, 1 tx ${fmt.ms(smallCleanup.raw.p99)}`,
      ratio: NOT_RUN,
      target: NOT_RUN,
      verdict: 'info',
    });
  }
  if (noIndexDelete) rows.push(noIndexDeleteRow(noIndexDelete));
  return rows;
}

const loadAverage = (): string => os.loadavg().map((load) => load.toFixed(2)).join(' ');

/** Where the CPU went, per unit of work: the figures that explain the ratios, and that machine load moves least. */
function cpuNotes(outcomes: Outcomes): string[] {
  const notes: string[] = [];
  const { bulk, small, memory } = outcomes;
  if (bulk?.http?.cpu) notes.push(`bulk-orders 10k×5×3: ${describeCpu(bulk.http.cpu, 1)} µs per row`);
  if (bulk?.ceiling?.cpu) notes.push(`raw COPY:            ${describeCpu(bulk.ceiling.cpu, 1)} µs per row`);
  if (memory) notes.push(`bulk-orders 1M rows: ${describeCpu(memory.cpu, 1)} µs per row`);
  if (small?.http) notes.push(`user-with-orders:    ${describeCpu(small.http.cpu)} ms per request (client: autocannon)`);
  if (small?.workers) notes.push(`  with auto workers: ${describeCpu(small.workers.cpu)} ms per request`);
  if (small?.raw) notes.push(`raw pg transaction:  ${describeCpu(small.raw.cpu)} ms per transaction`);
  return notes;
}

async function machineInfo(db: BenchDatabase, loadAtStart: string): Promise<string> {
  const cpus = os.cpus();
  const settings = await db.pool.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_wal_size')`,
  );
  const pg = settings.rows.map((row) => `${row.name}=${row.setting}${row.unit ? ` ${row.unit}` : ''}`).join(', ');
  return [
    `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `node ${process.version}; PostgreSQL ${db.serverVersion} (${db.embedded ? 'embedded, fresh cluster' : 'DATABASE_URL'}; ${pg})`,
    // Other work on the machine shows up here: the ratios hold up better than the absolute figures.
    `load average (1/5/15 min): ${loadAtStart} at start, ${loadAverage()} at end`,
  ].join('\n');
}

/** On a foreign DATABASE_URL, leave nothing behind: every row under this run's tags goes. */
function removeRunRowsOnTeardown(db: BenchDatabase, tagPrefix: string): void {
  onTeardown('delete this run’s rows', async () => {
    const client = await db.pool.connect();
    try {
      for (const table of DOMAIN_TABLES_DELETE_ORDER) await client.query(`DELETE FROM ${table} WHERE test_tag LIKE $1`, [`${tagPrefix}-%`]);
      await client.query('DELETE FROM test_tags WHERE tag LIKE $1', [`${tagPrefix}-%`]);
    } finally {
      client.release();
    }
  });
}

async function main(): Promise<number> {
  teardownOnSignals();
  const phases = selectedPhases();
  const started = performance.now();
  const loadAtStart = loadAverage();
  const log = (message: string): void => {
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}\n`);
  };
  const failures: string[] = [];

  const db = await openBenchDatabase(log);
  const tagPrefix = `bench-${randomBytes(3).toString('hex')}`;
  if (!db.embedded) removeRunRowsOnTeardown(db, tagPrefix);
  log(`PostgreSQL ${db.serverVersion} ready (${db.embedded ? 'embedded' : 'DATABASE_URL'})`);

  // 1M rows in one request is over the default MAX_ROWS_PER_REQUEST by a few rows; the rest is the default config.
  const service = await startBenchService(db.url, { MAX_ROWS_PER_REQUEST: '2000000' });
  const rss = new RssSampler(service.pid);
  onTeardown('stop sampling', async () => rss.stop());
  log(`service ready at ${service.url} (pid ${service.pid})`);

  const context: BenchContext = {
    db,
    service,
    rss,
    tagPrefix,
    log,
    fail(what, error) {
      if (tearingDown()) return;
      const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
      failures.push(message);
      log(`ERROR ${message}`);
      // A 5xx is explained in the service's own log, not in the problem document.
      if (/got 5\d\d/.test(message)) log(`service log (tail):\n${service.output().slice(-3000)}`);
    },
  };

  const outcomes: Outcomes = {};
  // The cleanup and memory phases build on the bulk tags.
  const bulk = phases.has('bulk') || phases.has('cleanup') || phases.has('memory') ? await measureBulk(context) : {};
  if (phases.has('bulk')) outcomes.bulk = bulk;
  if (phases.has('small')) outcomes.small = await measureSmall(context);
  if (phases.has('cleanup')) outcomes.bigCleanup = await measureBigCleanup(context, bulk);
  if (phases.has('memory')) outcomes.memory = await attempt(context, 'memory: bulk-orders 1M rows', () => measureMemory(context, bulk));
  if (phases.has('snapshot')) outcomes.snapshot = await attempt(context, 'snapshot: export and import of 100k rows', () => measureSnapshot(context));
  if (phases.has('tiny')) outcomes.smallCleanup = await attempt(context, 'cleanup: 21-row tags', () => measureSmallCleanup(context));

  // On a database of its own beside the bench's, with its own service in target mode.
  if (phases.has('noindex')) outcomes.noIndexDelete = await attempt(context, 'cleanup: 21-row tags, FKs without index', () => measureNoIndexDelete(db.url));

  const info = await machineInfo(db, loadAtStart);
  process.stdout.write(`\ntestapi bench (${new Date().toISOString()})\n${info}\n\n${formatTable(buildTable(outcomes, db.embedded))}\n`);
  const notes = cpuNotes(outcomes);
  if (notes.length > 0) process.stdout.write(`\nCPU time by process:\n${notes.map((note) => `  ${note}`).join('\n')}\n`);
  if (failures.length > 0) process.stdout.write(`\nerrors:\n${failures.map((failure) => `- ${failure}`).join('\n')}\n`);
  process.stdout.write(`\ntook ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  return failures.length > 0 ? 1 : 0;
}

main()
  .then(async (code) => {
    if (tearingDown()) return; // interrupted: the signal handler exits
    await teardown();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    if (tearingDown()) return; // interrupted: the signal handler exits
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await teardown();
    process.exit(1);
  });
