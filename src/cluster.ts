import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import type { Config } from './config';
import { openDatabase } from './db/connect';
import type { Logger } from './logger';

/**
 * TESTAPI_WORKERS > 1: this process becomes the primary of `node:cluster`
 * and runs that many service processes behind its one port (the primary
 * accepts connections and hands them to the workers in turn). Everything the
 * workers share lives in PostgreSQL (tag locks, idempotency keys, bulk slots,
 * the sweeper's SKIP LOCKED, the schema reload generation and its NOTIFY, see
 * schema/reload-follower.ts), so workers coordinate exactly as replicas do;
 * the one thing only one process may do is start the embedded PostgreSQL, so
 * the primary does that (and applies the migrations) and hands its URL down.
 */

/** A worker that dies this soon after its last replacement makes the next wait, so a crash loop does not spin. */
const RESTART_BACKOFF_MS = 1_000;
/** Beyond SHUTDOWN_GRACE_MS (each worker's own bound), how long the primary waits before it kills what is left. */
const SHUTDOWN_MARGIN_MS = 5_000;

/** `auto` (TESTAPI_WORKERS=auto) means one worker per core this process may use. */
export function resolveWorkers(configured: number | 'auto'): number {
  return configured === 'auto' ? Math.max(1, os.availableParallelism()) : configured;
}

/** True in the primary of a multi-worker service: main() hands over to runPrimary instead of serving itself. */
export function isClusterPrimary(workers: number): boolean {
  return workers > 1 && cluster.isPrimary;
}

/** In a worker: the worker's pid on every log line, so a reader can tell the processes apart. */
export function workerLogger(logger: Logger): Logger {
  return cluster.isWorker ? logger.child({ pid: process.pid }) : logger;
}

/** True in a worker process: the primary already checked the port (a worker's probe would find its siblings' listener). */
export const isClusterWorker = (): boolean => cluster.isWorker;

export async function runPrimary(config: Config, logger: Logger, count: number): Promise<void> {
  const database = await openDatabase(config, logger);
  const env = { DATABASE_URL: database.url };

  let shuttingDown = false;
  let lastRestart = 0;
  const listening = new WeakSet<Worker>();

  const fork = (): Worker => cluster.fork(env);
  cluster.on('listening', (worker) => listening.add(worker));
  cluster.on('exit', (worker, code, signal) => {
    if (shuttingDown) return;
    if (!listening.has(worker)) {
      // It never served: a start-up failure (bad configuration, database gone) that a restart would repeat.
      logger.fatal({ pid: worker.process.pid, code, signal }, 'a worker exited before it listened; stopping the service');
      void shutdown('worker start-up failed', 1);
      return;
    }
    const wait = Math.max(0, lastRestart + RESTART_BACKOFF_MS - Date.now());
    logger.error({ pid: worker.process.pid, code, signal, restartInMs: wait }, 'a worker died; starting a replacement');
    lastRestart = Date.now() + wait;
    setTimeout(() => {
      if (!shuttingDown) fork();
    }, wait);
  });
  for (let i = 0; i < count; i += 1) fork();
  logger.info({ workers: count, pid: process.pid }, `testapi primary: ${count} workers on port ${config.port}`);

  async function shutdown(reason: string, exitCode: number): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ reason }, 'stopping the workers');
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    const exited = Promise.all(workers.map((worker) => (worker.isDead() ? undefined : new Promise((resolve) => worker.once('exit', resolve)))));
    // Each worker drains itself on SIGTERM (see server.ts): in-flight requests finish within SHUTDOWN_GRACE_MS.
    for (const worker of workers) worker.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      logger.warn('workers still running after the grace period: killing them');
      for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
    }, config.shutdownGraceMs + SHUTDOWN_MARGIN_MS);
    await exited;
    clearTimeout(timer);
    await database.close();
    logger.info('shutdown complete');
    logger.flush();
    process.exit(exitCode);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
}
