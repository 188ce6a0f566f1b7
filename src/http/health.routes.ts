import { Router } from 'express';
import { checkReadiness, type Database } from '../db/database';
import { AppError } from '../errors';

/** `readyTimeoutMs`: READY_TIMEOUT_MS, the longest /ready waits for the database. */
export function healthRoutes(db: Database, readyTimeoutMs?: number): Router {
  const router = Router();

  /** Liveness: the process answers; the database is not consulted. */
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  /** Readiness: the database answers and every migration is applied. */
  router.get('/ready', async (_req, res) => {
    const readiness = await checkReadiness(db, readyTimeoutMs);
    if (!readiness.ready) {
      throw new AppError({
        type: 'not-ready',
        title: 'Not ready',
        status: 503,
        detail: `testapi is not ready: ${readiness.reason}.`,
        headers: { 'Retry-After': '1' },
      });
    }
    res.json({ status: 'ready' });
  });

  return router;
}
