import { Router } from 'express';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Metrics } from '../observability/metrics';
import { fileCatalog, recipeCatalog } from '../pact/catalog';
import type { MappingContext, ScenarioCatalog } from '../pact/mapping';
import { getMapping, putMapping, removeMapping } from '../pact/mappings.use-case';
import { changeProviderState } from '../pact/provider-state.use-case';
import { loadResultSchemas } from '../pact/result-schemas';
import { parseStateChange } from '../pact/state-request';
import { scenarioFilesOf } from '../scenario-files/scenario-set';
import { findScenario, scenarioNames } from '../scenarios/registry';
import { schemaRegistryOf } from '../schema/schema-registry';
import { findOpenApiFile } from './docs.routes';
import { refuseNonJsonBody } from './json-body';

export interface PactRoutesDeps {
  config: Pick<Config, 'maxConcurrentBulk' | 'maxRowsPerRequest' | 'defaultTagTtlSeconds' | 'targetSchemas' | 'uniqueDeclarations' | 'scenariosDir'>;
  db: Database;
  metrics: Pick<Metrics, 'rowsProvisioned' | 'rowsDeleted'>;
}

/** The header that names the tag a setup provisioned (documented in openapi.yaml). */
export const STATE_TAG_HEADER = 'X-Testapi-Tag';

/** PUT|GET|DELETE /pact/mappings/{name} and POST /pact/provider-states (the Pact verifier's state change URL). */
export function pactRoutes(deps: PactRoutesDeps): Router {
  const router = Router();
  const schema = schemaRegistryOf(deps.db, deps.config);
  const files = scenarioFilesOf(deps.db, deps.config);
  // The route resolves scenario names; the pact use cases only see this catalog. With a target
  // schema the built-in recipes are not offered (they write the shop's tables): the scenario files are.
  const builtIns = recipeCatalog(findScenario, scenarioNames);
  const scenarios = async (): Promise<ScenarioCatalog> => (schema.targetMode ? fileCatalog(await files.current()) : builtIns);
  const results = loadResultSchemas(findOpenApiFile());
  const limits = { maxRows: deps.config.maxRowsPerRequest, defaultTtlSeconds: deps.config.defaultTagTtlSeconds };
  const mappings = async (): Promise<MappingContext> => ({ scenarios: await scenarios(), results, defaultTtlSeconds: deps.config.defaultTagTtlSeconds, model: await schema.current(), limits });
  const stateDeps = { ...deps, schema, scenarios, removal: { pool: deps.db.pool, metrics: deps.metrics, schema } };

  router.put('/pact/mappings/:name', async (req, res) => {
    refuseNonJsonBody(req);
    const { mapping, created } = await putMapping({ db: deps.db, mappings }, req.params.name, req.body);
    res.status(created ? 201 : 200).json(mapping);
  });

  router.get('/pact/mappings/:name', async (req, res) => {
    res.json(await getMapping(deps, req.params.name));
  });

  router.delete('/pact/mappings/:name', async (req, res) => {
    await removeMapping(deps, req.params.name);
    res.status(204).end();
  });

  router.post('/pact/provider-states', async (req, res) => {
    refuseNonJsonBody(req);
    const reply = await changeProviderState(stateDeps, parseStateChange(req.query, req.body));
    if (reply.tag) res.setHeader(STATE_TAG_HEADER, reply.tag);
    res.json(reply.values);
  });

  return router;
}
