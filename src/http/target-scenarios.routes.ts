import { Router } from 'express';
import { notFound } from '../errors';
import type { GraphDeps } from '../graphs/graph.use-case';
import { logTag } from '../observability/request-log';
import { overridesSchema } from '../scenario-files/json-schemas';
import { provisionFileScenario } from '../scenario-files/provision-file-scenario.use-case';
import { scenarioFilesOf, type ScenarioFilesConfig, type ScenarioSet } from '../scenario-files/scenario-set';
import { refuseNonJsonBody } from './json-body';
import { assertWellFormedStrings } from '../validation/well-formed-strings';

export interface TargetScenariosDeps extends GraphDeps {
  config: GraphDeps['config'] & ScenarioFilesConfig;
}

/** GET /scenarios' entries of the scenario files: the same shape as the built-ins'. */
export function describeScenarioSet(set: ScenarioSet): object[] {
  return [...set.values()].map((definition) => ({
    name: definition.name,
    description: definition.description,
    version: definition.version,
    paramsSchema: definition.params.schema,
    overridesSchema: overridesSchema(definition),
  }));
}

/**
 * GET /scenarios and POST /scenarios/{name} when testapi models a target
 * schema: the built-in recipes write the shop tables, which that database
 * does not have, so none is offered; the scenario files of
 * TESTAPI_SCENARIOS_DIR are, and POST /graphs for anything else.
 */
export function targetScenariosRoutes(deps: TargetScenariosDeps): Router {
  const router = Router();
  const files = scenarioFilesOf(deps.db, deps.config);

  router.get('/scenarios', async (_req, res) => {
    res.json({ scenarios: describeScenarioSet(await files.current()) });
  });

  router.post('/scenarios/:name', async (req, res) => {
    refuseNonJsonBody(req);
    const set = await files.current();
    const definition = set.get(req.params.name);
    if (!definition) {
      const known = [...set.keys()];
      throw notFound(
        known.length > 0
          ? `No scenario "${req.params.name}". Known scenarios: ${known.join(', ')} (the files of TESTAPI_SCENARIOS_DIR; GET /scenarios lists them).`
          : `No scenario "${req.params.name}": testapi models a target schema (TESTAPI_TARGET_SCHEMAS), where the built-in scenarios are not offered; add scenario files (TESTAPI_SCENARIOS_DIR) or use POST /graphs.`,
      );
    }
    assertWellFormedStrings(req.body);
    const reply = await provisionFileScenario(deps, { definition, body: req.body, idempotencyKey: req.get('Idempotency-Key') });
    if (reply.replayed) res.setHeader('Idempotent-Replayed', 'true');
    logTag(res, reply.body.tag);
    res.status(reply.status).json(reply.body);
  });
  return router;
}
