import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Config } from './config';
import type { Database } from './db/database';
import { docsRoutes } from './http/docs.routes';
import { problemHandler, unknownRoute } from './http/error-handler';
import { healthRoutes } from './http/health.routes';
import { requestIdFor } from './http/request-id';
import { scenariosRoutes } from './http/scenarios.routes';
import { tagsRoutes } from './http/tags.routes';
import type { Logger } from './logger';
import type { Metrics } from './observability/metrics';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  metrics: Metrics;
}

/** Builds the Express app: routes, middleware, error handler. Never listens. */
export function createApp(deps: AppDeps): Express {
  const { config, db, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger,
      genReqId: requestIdFor,
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/ready' },
    }),
  );
  app.use(express.json({ limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'] }));

  app.use(healthRoutes(db));
  app.use(docsRoutes());
  app.use(scenariosRoutes(deps));
  app.use(tagsRoutes(deps));

  app.use(unknownRoute);
  app.use(problemHandler(logger));
  return app;
}
