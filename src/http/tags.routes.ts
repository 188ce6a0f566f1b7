import { Router } from 'express';
import type { AppDeps } from '../app';
import { cleanup } from '../tags/cleanup.use-case';
import { parseCleanupRequest } from '../tags/cleanup-request';
import { deleteTag } from '../tags/delete-tag.use-case';
import { getTag } from '../tags/get-tag.use-case';
import { listTags } from '../tags/list-tags.use-case';
import { parseGetTagQuery, parseListTagsQuery, parseTagParam } from '../tags/tag-query';

/** GET /tags, GET|DELETE /tags/{tag}, POST /cleanup: parse, call the use case, answer. */
export function tagsRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/tags', async (req, res) => {
    res.json(await listTags(deps, parseListTagsQuery(req.query)));
  });

  router.get('/tags/:tag', async (req, res) => {
    const tag = parseTagParam(req.params.tag);
    res.json(await getTag(deps, tag, parseGetTagQuery(req.query)));
  });

  router.delete('/tags/:tag', async (req, res) => {
    res.json(await deleteTag(deps, parseTagParam(req.params.tag)));
  });

  router.post('/cleanup', async (req, res) => {
    res.json(await cleanup(deps, parseCleanupRequest(req.body)));
  });

  return router;
}
