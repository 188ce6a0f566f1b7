import { Router } from 'express';
import { notFound } from '../errors';

/**
 * GET /scenarios and POST /scenarios/{name} when testapi models a target
 * schema: the built-in recipes write the shop tables, which that database
 * does not have, so none is offered; graphs (POST /graphs) are the way in.
 */
export function targetScenariosRoutes(): Router {
  const router = Router();
  router.get('/scenarios', (_req, res) => {
    res.json({ scenarios: [] });
  });
  router.post('/scenarios/:name', () => {
    throw notFound('testapi models a target schema (TESTAPI_TARGET_SCHEMAS): the built-in scenarios need the shop tables and are not offered. Use POST /graphs.');
  });
  return router;
}
