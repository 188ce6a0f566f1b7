import { Router } from 'express';
import { copyFromSource, type CopyDeps } from '../copies/copy.use-case';
import { AppError } from '../errors';
import { parseTagParam } from '../tags/tag-query';
import { assertWellFormedStrings } from '../validation/well-formed-strings';

/** POST /tags/{tag}/copies: a sanitized sample of a named source database, written under the tag. */
export function copiesRoutes(deps: CopyDeps): Router {
  const router = Router();
  router.post('/tags/:tag/copies', async (req, res) => {
    const tag = parseTagParam(req.params.tag);
    if (req.body === undefined && !req.is('json')) {
      throw new AppError({ type: 'unsupported-media-type', title: 'Unsupported media type', status: 415, detail: 'Send the body as application/json.' });
    }
    assertWellFormedStrings(req.body);
    res.status(201).json(await copyFromSource(deps, tag, req.body));
  });
  return router;
}
