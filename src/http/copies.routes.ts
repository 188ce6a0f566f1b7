import { Router } from 'express';
import { copyFromSource, type CopyDeps } from '../copies/copy.use-case';
import { sourceRulesView } from '../copies/source-rules-view.use-case';
import { AppError } from '../errors';
import { parseTagParam } from '../tags/tag-query';
import { assertWellFormedStrings } from '../validation/well-formed-strings';

/** POST /tags/{tag}/copies: a sanitized sample of a named source database, written under the tag; GET /sources/{source}/rules: what it does with each column. */
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
  router.get('/sources/:source/rules', async (req, res) => {
    res.json(await sourceRulesView(deps, req.params.source));
  });
  return router;
}
