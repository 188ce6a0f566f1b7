import fs from 'node:fs';
import { Router } from 'express';
import YAML from 'yaml';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { liveDocument } from '../contract/live-document';
import { scenarioFilesOf, type ScenarioFilesConfig, type ScenarioSet } from '../scenario-files/scenario-set';
import type { ModelIndex } from '../schema/schema-model';
import { schemaRegistryOf } from '../schema/schema-registry';
import { findOpenApiFile } from './docs.routes';

export interface LiveContractDeps {
  config: Pick<Config, 'targetSchemas' | 'uniqueDeclarations'> & ScenarioFilesConfig;
  db: Database;
}

/**
 * GET /openapi.json and /openapi.live.yaml: this deployment's contract (see
 * src/contract/live-document.ts). /openapi.yaml stays the fixed contract,
 * public; these name the application's tables and columns, so they sit
 * behind the key like GET /schema.
 */
export function liveContractRoutes(deps: LiveContractDeps): Router {
  const router = Router();
  const fixed = YAML.parse(fs.readFileSync(findOpenApiFile(), 'utf8')) as Record<string, unknown>;
  const targetMode = deps.config.targetSchemas.length > 0;
  let last: { index?: ModelIndex; scenarios?: ScenarioSet; document: Record<string, unknown> } | undefined;

  // Rebuilt only when a reload swapped the model or the scenario set.
  const current = async (): Promise<Record<string, unknown>> => {
    if (!targetMode) {
      last ??= { document: liveDocument(fixed, undefined) };
      return last.document;
    }
    const index = await schemaRegistryOf(deps.db, deps.config).current();
    const scenarios = await scenarioFilesOf(deps.db, deps.config).current();
    if (last?.index !== index || last.scenarios !== scenarios) last = { index, scenarios, document: liveDocument(fixed, { index, scenarios }) };
    return last.document;
  };

  router.get('/openapi.json', async (_req, res) => {
    res.json(await current());
  });
  router.get('/openapi.live.yaml', async (_req, res) => {
    res.type('application/yaml').send(YAML.stringify(await current(), { aliasDuplicateObjects: false }));
  });
  return router;
}
