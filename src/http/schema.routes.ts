import { Router } from 'express';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { schemaRegistryOf } from '../schema/schema-registry';
import type { ModelIndex } from '../schema/schema-model';
import { columnRule } from '../copies/anonymize-rules';

export interface SchemaRoutesDeps {
  config: Pick<Config, 'targetSchemas'>;
  db: Database;
}

function describe(index: ModelIndex, targetMode: boolean): object {
  const { model } = index;
  // Each column says what a sanitized copy (POST /tags/{tag}/copies) does with it before any source's own rules (GET /sources/{source}/rules).
  const tables = model.tables.map((table) => ({
    ...table,
    columns: table.columns.map((column) => {
      const { rule, reason } = columnRule(table, column);
      return { ...column, anonymize: { rule, reason } };
    }),
  }));
  return { mode: targetMode ? 'target' : 'shop', schemas: model.schemas, loadedAt: model.loadedAt, tables };
}

/** GET /schema (the model testapi provisions from) and POST /schema/reload (re-read it after a migration). */
export function schemaRoutes(deps: SchemaRoutesDeps): Router {
  const router = Router();
  const registry = schemaRegistryOf(deps.db, deps.config);

  router.get('/schema', async (_req, res) => {
    res.json(describe(await registry.current(), registry.targetMode));
  });

  router.post('/schema/reload', async (_req, res) => {
    res.json(describe(await registry.reload(), registry.targetMode));
  });

  return router;
}
