import { Router } from 'express';
import { AppError } from '../errors';
import { provisionGraph, type GraphDeps } from '../graphs/graph.use-case';

/** POST /graphs: an ad hoc graph of rows in the modelled tables, under a tag. */
export function graphsRoutes(deps: GraphDeps): Router {
  const router = Router();
  router.post('/graphs', async (req, res) => {
    if (req.body === undefined && !req.is('json')) {
      throw new AppError({ type: 'unsupported-media-type', title: 'Unsupported media type', status: 415, detail: 'Send the body as application/json.' });
    }
    const reply = await provisionGraph(deps, { body: req.body, idempotencyKey: req.get('Idempotency-Key') });
    if (reply.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(reply.status).json(reply.body);
  });
  return router;
}
