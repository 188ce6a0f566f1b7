import express, { type Express } from 'express';
import type { Config } from './config';
import type { Database } from './db/database';
import { requireApiKey } from './http/auth';
import { refuseDeepJson } from './http/json-depth';
import { securityHeaders } from './http/security-headers';
import { docsRoutes } from './http/docs.routes';
import { problemHandler, unknownRoute } from './http/error-handler';
import { healthRoutes } from './http/health.routes';
import { liveContractRoutes } from './http/live-contract.routes';
import { metricsRoutes } from './http/metrics.routes';
import { pactRoutes } from './http/pact.routes';
import { pageRoutes } from './http/page.routes';
import { AppError } from './errors';
import { requestScope } from './http/request-scope';
import { graphsRoutes } from './http/graphs.routes';
import { schemaRoutes } from './http/schema.routes';
import { copiesRoutes } from './http/copies.routes';
import { exceptSnapshotImports, snapshotsRoutes } from './http/snapshots.routes';
import { ExportSlots } from './snapshots/export.use-case';
import { ImportBudget } from './snapshots/import-budget';
import { schemaRegistryOf } from './schema/schema-registry';
import { scenariosRoutes } from './http/scenarios.routes';
import { targetScenariosRoutes } from './http/target-scenarios.routes';
import { tagsRoutes } from './http/tags.routes';
import type { Logger } from './logger';
import { httpMetrics } from './observability/http-metrics';
import type { Metrics } from './observability/metrics';
import { requestLog } from './observability/request-log';
import { requestIdFor } from './http/request-id';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  metrics: Metrics;
}

/** Builds the Express app: routes, middleware, error handler. Never listens. */
export function createApp(deps: AppDeps): Express {
  const { config, db, logger, metrics } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  // One short line per request: method, route pattern, status, duration, request id, tag. The
  // logger's req serializer allow-lists headers and drops query values (safe-request-log.ts).
  app.use(requestLog(logger, { idFor: requestIdFor, ignore: (url) => url === '/health' || url === '/ready' }));
  app.use(securityHeaders());
  app.use(httpMetrics(metrics));
  app.use(refuseWhileDraining);
  metrics.watchPool(db.pool);
  // Before the body parser: an unauthenticated caller's body is never read.
  app.use(requireApiKey(config.apiKeys));
  app.use(exceptSnapshotImports(express.json({ limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'], verify: (_req, _res, body) => refuseDeepJson(body) })));
  app.use(requestScope(config.requestTimeoutMs));

  // Each router gets only what its use cases need. Express tries them in
  // order, so the routes suites call in their hot loop (provision, delete)
  // come first; no two routers share a path.
  // The shop scenarios need the shop tables: with a target schema they are not offered.
  app.use(config.targetSchemas.length > 0 ? targetScenariosRoutes({ config, db }) : scenariosRoutes({ config, db, metrics }));
  app.use(
    tagsRoutes({
      pool: db.pool,
      metrics,
      logger,
      schema: schemaRegistryOf(db, config),
      deleteBatchRows: config.deleteBatchRows,
      vacuumAfterDeletedRows: config.vacuumAfterDeletedRows,
    }),
  );
  app.use(healthRoutes(db, config.readyTimeoutMs));
  app.use(docsRoutes());
  app.use(liveContractRoutes({ config, db }));
  app.use(pageRoutes());
  app.use(metricsRoutes(metrics));
  app.use(schemaRoutes({ config, db }));
  app.use(graphsRoutes({ config, db }));
  app.use(snapshotsRoutes({ pool: db.pool, schema: schemaRegistryOf(db, config), config, importBudget: new ImportBudget(config.importMemoryBudgetBytes), exportSlots: ExportSlots.forPool(config.dbPoolSize) }));
  app.use(copiesRoutes({ pool: db.pool, schema: schemaRegistryOf(db, config), config }));
  app.use(pactRoutes({ config, db, metrics }));

  app.use(unknownRoute);
  app.use(problemHandler(logger));
  return app;
}

const DRAINING = Symbol('testapi.draining');

/** Called by the server on SIGTERM: from now on, new requests are refused. */
export function markDraining(app: Express): void {
  (app.locals as Record<symbol, boolean>)[DRAINING] = true;
}

/**
 * During shutdown a request can still arrive on a keep-alive connection opened
 * before: it must not start new work, and its connection must close so the
 * server can finish draining.
 */
const refuseWhileDraining: express.RequestHandler = (req, res, next) => {
  if (!(req.app.locals as Record<symbol, boolean>)[DRAINING]) {
    next();
    return;
  }
  res.setHeader('Connection', 'close');
  throw new AppError({
    type: 'shutting-down',
    title: 'Shutting down',
    status: 503,
    detail: 'testapi is shutting down and takes no new requests; retry in a moment.',
    headers: { 'Retry-After': '1' },
  });
};
