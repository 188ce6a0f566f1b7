import { Router, type Request } from 'express';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { AppError } from '../errors';
import type { Metrics } from '../observability/metrics';
import type { ScenarioCatalog } from '../pact/mapping';
import { getMapping, putMapping, removeMapping } from '../pact/mappings.use-case';
import { changeProviderState } from '../pact/provider-state.use-case';
import { loadResultSchemas } from '../pact/result-schemas';
import { parseStateChange } from '../pact/state-request';
import { findScenario, scenarioNames } from '../scenarios/registry';

export interface PactRoutesDeps {
  config: Pick<Config, 'maxConcurrentBulk' | 'maxRowsPerRequest' | 'defaultTagTtlSeconds'>;
  db: Database;
  metrics: Pick<Metrics, 'rowsProvisioned' | 'rowsDeleted'>;
}

/** The header that names the tag a setup provisioned (documented in openapi.yaml). */
export const STATE_TAG_HEADER = 'X-Testapi-Tag';

function refuseNonJsonBody(req: Request): void {
  // express.json() leaves other media types unparsed: refuse them rather than read an empty request.
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (req.body === undefined && hasBody && !req.is('json')) {
    throw new AppError({ type: 'unsupported-media-type', title: 'Unsupported media type', status: 415, detail: 'Send the body as application/json.' });
  }
}

/** PUT|GET|DELETE /pact/mappings/{name} and POST /pact/provider-states (the Pact verifier's state change URL). */
export function pactRoutes(deps: PactRoutesDeps): Router {
  const router = Router();
  // The route resolves scenario names; the pact use cases only see this catalog.
  const scenarios: ScenarioCatalog = { find: findScenario, names: scenarioNames };
  const mappings = { scenarios, results: loadResultSchemas(), defaultTtlSeconds: deps.config.defaultTagTtlSeconds };
  const stateDeps = { ...deps, scenarios, removal: { pool: deps.db.pool, metrics: deps.metrics } };

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
