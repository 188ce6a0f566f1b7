import { Router } from 'express';
import { notFound } from '../errors';
import { provisionScenario, type ProvisionDeps } from '../provisioning/provision.use-case';
import { describeScenarios } from '../provisioning/scenario-schemas';
import { logTag } from '../observability/request-log';
import { refuseNonJsonBody } from './json-body';
import { scenarioResponses } from './scenario-response';
import { findScenario, SCENARIOS, scenarioNames } from '../scenarios/registry';
import { assertWellFormedStrings } from '../validation/well-formed-strings';

/** GET /scenarios (the catalog) and POST /scenarios/{name} (provision one graph). */
export function scenariosRoutes(deps: ProvisionDeps): Router {
  const router = Router();
  // The DTOs do not change while the process runs: build the catalog once.
  const catalog = { scenarios: describeScenarios(SCENARIOS) };
  const respond = scenarioResponses();

  router.get('/scenarios', (_req, res) => {
    res.json(catalog);
  });

  router.post('/scenarios/:name', async (req, res) => {
    refuseNonJsonBody(req);
    const recipe = findScenario(req.params.name);
    if (!recipe) {
      throw notFound(`No scenario "${req.params.name}". Known scenarios: ${scenarioNames().join(', ')} (GET /scenarios lists them).`);
    }
    assertWellFormedStrings(req.body);
    const reply = await provisionScenario(deps, { recipe, body: req.body, idempotencyKey: req.get('Idempotency-Key') });
    if (reply.replayed) res.setHeader('Idempotent-Replayed', 'true');
    logTag(res, (reply.body as { tag?: unknown }).tag);
    respond(res, recipe.name, reply.status, reply.body);
  });

  return router;
}
