import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApp, markDraining } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import type { Database } from './db/database';
import { ScenarioFilesError, startupLine } from './files/read-scenario-files';
import { scenarioFilesOf } from './scenario-files/scenario-set';
import { openDatabase } from './db/connect';
import { unusableTargetSchemasLine } from './schema/target-schemas-check';
import { createHttpServer } from './http/http-server';
import { portProblem } from './http/port-check';
import { createLogger, resolveLogFormat, type Logger } from './logger';
import { startBackgroundTasks } from './background';
import { isClusterPrimary, isClusterWorker, resolveWorkers, runPrimary, workerLogger } from './cluster';
import { createMetrics } from './observability/metrics';

/**
 * The only file that listens: config -> database -> app -> listen, then a
 * graceful shutdown on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`testapi: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = workerLogger(createLogger(config.logLevel, undefined, resolveLogFormat(config.logFormat, process.stdout.isTTY === true)));
  installProcessHandlers(logger);

  const busy = isClusterWorker() ? undefined : await portProblem(config.port, config.host);
  if (busy) {
    process.stderr.write(`testapi: ${busy}\n`);
    process.exit(1);
  }
  // TESTAPI_WORKERS > 1: this process only supervises; the workers run the rest of main() (see cluster.ts).
  const workers = resolveWorkers(config.workers);
  if (isClusterPrimary(workers)) return runPrimary(config, logger, workers);
  const database = await openDatabase(config, logger);
  await checkTargetSchemas(config, database);
  await checkScenarioFiles(config, database);
  const deps = { config, db: database.db, logger, metrics: createMetrics() };
  const app = createApp(deps);
  const background = startBackgroundTasks(deps);
  // With target schemas: listening for the other processes' reloads (and catching up on one missed
  // since the model was read) before serving, but never longer than READY_TIMEOUT_MS.
  await background.ready;

  const server = createHttpServer(app, config).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (error) => {
    await database.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  logger.info({ host: address.address, port: address.port, auth: config.apiKeys.length > 0 }, `testapi listening on http://${address.address}:${address.port}`);
  if (config.apiKeys.length === 0 && !isLoopback(address.address)) {
    logger.warn({ host: address.address }, 'no TESTAPI_API_KEY is set and the service listens beyond loopback: anyone who can reach this port can create and delete data');
  }

  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');

    // Stop accepting connections. Requests that still arrive on open keep-alive
    // connections get a 503 with Connection: close (see createApp), and every
    // connection is closed as soon as it is idle: without the sweep, a client
    // that keeps reusing its connection would hold the shutdown to the grace.
    markDraining(app);
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    await background.stop();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), config.shutdownGraceMs);
    });
    if ((await Promise.race([drained, graceOver])) === 'timeout') {
      // What is left is cancelled: its transactions roll back, nothing partial stays.
      logger.warn('grace period over: cancelling in-flight requests');
      await database.cancelInFlight();
      server.closeAllConnections();
      await drained;
    }
    clearTimeout(timer);
    clearInterval(idleSweep);
    await database.close();
    logger.info('shutdown complete');
    logger.flush();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Scenario files are read and checked against the model before the service listens: a bad one stops it in one line. */
/** Refuses to start on a TESTAPI_TARGET_SCHEMAS entry that names no schema with tables, in one line naming it. */
async function checkTargetSchemas(config: Config, database: { db: Database; close(): Promise<void> }): Promise<void> {
  const problem = await unusableTargetSchemasLine(database.db.pool, config.targetSchemas);
  if (!problem) return;
  process.stderr.write(`testapi: ${problem}\n`);
  await database.close();
  process.exit(2);
}

async function checkScenarioFiles(config: Config, database: { db: Database; close(): Promise<void> }): Promise<void> {
  if (config.scenariosDir === undefined) return;
  try {
    await scenarioFilesOf(database.db, config).current();
  } catch (error) {
    if (!(error instanceof ScenarioFilesError)) throw error;
    process.stderr.write(`testapi: ${startupLine(error, config.scenariosDir)}\n`);
    await database.close();
    process.exit(1);
  }
}

function isLoopback(host: string): boolean {
  return host === '::1' || host === 'localhost' || host.startsWith('127.') || host.startsWith('::ffff:127.');
}

function installProcessHandlers(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`testapi failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
