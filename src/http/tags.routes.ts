import { Router } from 'express';
import { cleanup, type CleanupDeps } from '../tags/cleanup.use-case';
import { parseCleanupRequest, splitCleanupDependents } from '../tags/cleanup-request';
import { deleteTag, type DeleteTagDeps } from '../tags/delete-tag.use-case';
import { getTag, type GetTagDeps } from '../tags/get-tag.use-case';
import { listTags, type ListTagsDeps } from '../tags/list-tags.use-case';
import { parseDeleteTagQuery, parseGetTagQuery, parseListTagsQuery, parseTagParam } from '../tags/tag-query';
import { parseTagRowsQuery, tagRowsPage } from '../snapshots/tag-rows-page.use-case';
import { parseDependentsQuery, tagDependents } from '../tags/tag-dependents.use-case';
import { assertWellFormedStrings } from '../validation/well-formed-strings';

/** What the tag endpoints' use cases need, together. */
export type TagsRoutesDeps = ListTagsDeps & GetTagDeps & DeleteTagDeps & CleanupDeps;

/** GET /tags, GET|DELETE /tags/{tag}, GET /tags/{tag}/rows, POST /cleanup: parse, call the use case, answer. */
export function tagsRoutes(deps: TagsRoutesDeps): Router {
  const router = Router();

  router.get('/tags', async (req, res) => {
    res.json(await listTags(deps, parseListTagsQuery(req.query)));
  });

  router.get('/tags/:tag', async (req, res) => {
    const tag = parseTagParam(req.params.tag);
    res.json(await getTag(deps, tag, parseGetTagQuery(req.query)));
  });

  router.get('/tags/:tag/rows', async (req, res) => {
    const tag = parseTagParam(req.params.tag);
    res.json(await tagRowsPage(deps, tag, parseTagRowsQuery(req.query)));
  });

  router.get('/tags/:tag/dependents', async (req, res) => {
    const tag = parseTagParam(req.params.tag);
    res.json(await tagDependents(deps, tag, parseDependentsQuery(req.query)));
  });

  router.delete('/tags/:tag', async (req, res) => {
    const tag = parseTagParam(req.params.tag);
    res.json(await deleteTag(deps, tag, parseDeleteTagQuery(req.query)));
  });

  router.post('/cleanup', async (req, res) => {
    assertWellFormedStrings(req.body);
    const { body, dependents } = splitCleanupDependents(req.body);
    res.json(await cleanup(deps, parseCleanupRequest(body), { dependents }));
  });

  return router;
}
